import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addressOf } from '../../src/teams/proactive';
import type { TicketDocument } from '../../src/tickets';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { groupChat, message, personalConversation, users, type TestUser } from '../helpers/activities';
import { completion, startFakeOpenAi, toolCall, type FakeOpenAi } from '../fakes/fakeOpenAi';

/**
 * assign_ticket on the LLM path: the local chat-completions peer answers with scripted tool calls;
 * RBAC and the assignee's identity (from the mention, never a name) are enforced in code.
 */
let llm: FakeOpenAi;
let t: BotUnderTest;

beforeAll(async () => {
  llm = await startFakeOpenAi({ tls: false });
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-assign-ticket-'));
  t = await startBotUnderTest({
    OPENAI_BASE_URL: `${llm.url}/v1`,
    OPENAI_MODEL: 'gpt-test',
    OPENAI_API_KEY: 'test-key',
    KNOWLEDGE_INDEX_PATH: path.join(dir, 'index.json'),
  });
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await llm?.close();
});
beforeEach(() => {
  t.connector.reset();
  llm.requests.length = 0;
});

/** A confirmed ticket of `user`, filed through the ticket service as the confirm click would. */
async function fileTicket(user: TestUser = users.alex): Promise<string> {
  const conv = personalConversation(user);
  const address = addressOf(message(t.connector.url, conv, 'x', { user }));
  const { draft } = await t.bot.business.tickets.draft(
    {
      title: 'Printer jams',
      description: 'It jams on every page.',
      category: 'technical',
      priority: 'normal',
    },
    { aadObjectId: user.aadObjectId, name: user.name, channelUserId: user.id },
    conv.id,
    address,
  );
  const confirmed = await t.bot.business.tickets.confirm(draft.id, user, {
    sig: t.bot.business.tickets.signDraft(draft.id),
  });
  if (!confirmed.ok) throw new Error(confirmed.error);
  return confirmed.ticket.ticketId!;
}

async function stored(ticketId: string): Promise<TicketDocument> {
  const { resources } = await t.bot.stores.containers.tickets.items
    .query<TicketDocument>({
      query: 'SELECT * FROM c WHERE c.ticketId = @id',
      parameters: [{ name: '@id', value: ticketId }],
    })
    .fetchAll();
  return resources[0];
}

function toolResult(): string {
  // The newest tool message of the turn's second request (a shared chat's memory keeps older ones).
  const m = llm.requests[1]?.body.messages.filter((x) => x.role === 'tool').at(-1) as
    { content?: string } | undefined;
  return m?.content ?? '';
}

describe('assign_ticket through LLM function calling', () => {
  it('the model sees the tool; a support agent takes a ticket and the requester is told', async () => {
    const id = await fileTicket();
    llm.script(
      completion({ tool_calls: [toolCall('call_a1', 'assign_ticket', { ticketId: id, assignee: 'me' })] }),
      completion({ content: `${id} is yours now.` }),
    );
    const activity = message(t.connector.url, personalConversation(users.dana), `I'll handle ${id}`, {
      user: users.dana,
    });
    expect((await t.post(activity)).status).toBe(200);
    expect(llm.requests[0].body.tools?.map((x) => x.function.name)).toContain('assign_ticket');
    expect(toolResult()).toContain(`${id} is now assigned to you. I have let the requester know.`);
    expect((await stored(id)).assignee?.aadObjectId).toBe(users.dana.aadObjectId);
    await t.bot.business.notifier!.flush();
    expect(t.connector.messages().filter((c) => c.activity.summary === `Ticket ${id} update`)).toHaveLength(
      1,
    );
  });

  it('the model cannot name an assignee: "mentioned" without a mention is refused, a name is invalid', async () => {
    const id = await fileTicket();
    llm.script(
      completion({
        tool_calls: [toolCall('call_a2', 'assign_ticket', { ticketId: id, assignee: 'mentioned' })],
      }),
      completion({ content: 'Please mention the agent.' }),
    );
    const conv = groupChat();
    const activity = message(t.connector.url, conv, `give ${id} to Dana`, {
      user: users.dana,
      mention: true,
    });
    expect((await t.post(activity)).status).toBe(200);
    expect(toolResult()).toMatch(/@mention the support agent/);
    llm.requests.length = 0;
    llm.script(
      completion({ tool_calls: [toolCall('call_a3', 'assign_ticket', { ticketId: id, assignee: 'Erin' })] }),
      completion({ content: 'That did not work.' }),
    );
    const again = message(t.connector.url, conv, `give ${id} to Erin`, { user: users.dana, mention: true });
    expect((await t.post(again)).status).toBe(200);
    expect(toolResult()).toMatch(/assignee must be one of me, mentioned, nobody/);
    expect((await stored(id)).assignee).toBeUndefined();
  });

  it('a customer asking the model to assign is refused in code', async () => {
    const id = await fileTicket();
    llm.script(
      completion({ tool_calls: [toolCall('call_a4', 'assign_ticket', { ticketId: id, assignee: 'me' })] }),
      completion({ content: 'Sorry.' }),
    );
    const activity = message(t.connector.url, personalConversation(users.alex), `assign ${id} to me`);
    expect((await t.post(activity)).status).toBe(200);
    expect(toolResult()).toContain('Only support agents can assign tickets.');
    expect((await stored(id)).assignee).toBeUndefined();
  });
});
