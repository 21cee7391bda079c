import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addressOf } from '../../src/teams/proactive';
import type { TicketDocument } from '../../src/tickets';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { message, personalConversation, users, type TestUser } from '../helpers/activities';
import { completion, startFakeOpenAi, toolCall, type FakeOpenAi } from '../fakes/fakeOpenAi';

/**
 * update_ticket on the LLM path: the local chat-completions peer answers with scripted tool calls;
 * RBAC and ownership are enforced in code whatever the model asks for.
 */
let llm: FakeOpenAi;
let t: BotUnderTest;

beforeAll(async () => {
  llm = await startFakeOpenAi({ tls: false });
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-update-ticket-'));
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
  const m = llm.requests[1]?.body.messages.find((x) => x.role === 'tool') as { content?: string } | undefined;
  return m?.content ?? '';
}

describe('update_ticket through LLM function calling', () => {
  it('a support agent resolves a customer’s ticket; the stored ticket changes and the requester is told once', async () => {
    const id = await fileTicket();
    llm.script(
      completion({
        tool_calls: [
          toolCall('call_u1', 'update_ticket', {
            ticketId: id,
            status: 'resolved',
            comment: 'Roller replaced.',
          }),
        ],
      }),
      completion({ content: `Done: ${id} is resolved and the requester has been told.` }),
    );
    const conv = personalConversation(users.dana);
    const activity = message(t.connector.url, conv, `resolve ${id}, roller replaced`, { user: users.dana });
    expect((await t.post(activity)).status).toBe(200);
    expect(llm.requests[0].body.tools?.map((x) => x.function.name)).toContain('update_ticket');
    expect(toolResult()).toContain(`Ticket ${id} is now resolved. I have let the requester know.`);
    const doc = await stored(id);
    expect(doc.status).toBe('resolved');
    expect(doc.updates?.[0]).toMatchObject({
      comment: 'Roller replaced.',
      by: `agent:${users.dana.aadObjectId}`,
    });
    await t.bot.business.notifier!.flush();
    const told = t.connector.messages().filter((c) => c.activity.summary === `Ticket ${id} update`);
    expect(told).toHaveLength(1);
    expect(told[0].conversationId).toBe(doc.address?.conversationId);
  });

  it('an employee asking the model to resolve someone else’s ticket is refused in code; nothing changes', async () => {
    const id = await fileTicket(users.alex);
    llm.script(
      completion({ tool_calls: [toolCall('call_u2', 'update_ticket', { ticketId: id, status: 'closed' })] }),
      completion({ content: 'I could not find that ticket.' }),
    );
    const conv = personalConversation(users.bea);
    expect((await t.post(message(t.connector.url, conv, `close ${id}`, { user: users.bea }))).status).toBe(
      200,
    );
    expect(toolResult()).toContain(`I couldn't find ticket ${id} on your account`);
    expect((await stored(id)).status).toBe('open');

    llm.requests.length = 0;
    llm.script(
      completion({
        tool_calls: [toolCall('call_u3', 'update_ticket', { ticketId: id, status: 'resolved' })],
      }),
      completion({ content: 'Only support can do that.' }),
    );
    const own = personalConversation(users.alex);
    expect(
      (await t.post(message(t.connector.url, own, `mark ${id} resolved`, { user: users.alex }))).status,
    ).toBe(200);
    expect(toolResult()).toContain('Only the support team can set a ticket to resolved');
    expect((await stored(id)).status).toBe('open');
  });

  it('invalid arguments from the model are refused with a message it can act on', async () => {
    const id = await fileTicket();
    llm.script(
      completion({
        tool_calls: [toolCall('call_u4', 'update_ticket', { ticketId: id, status: 'reopened' })],
      }),
      completion({ content: 'Sorry.' }),
    );
    const conv = personalConversation(users.dana);
    expect((await t.post(message(t.connector.url, conv, `reopen ${id}`, { user: users.dana }))).status).toBe(
      200,
    );
    expect(toolResult()).toMatch(/status must be one of in_progress, resolved, closed/);
    expect((await stored(id)).status).toBe('open');
  });

  it('a note without a status keeps the status, is stored and told to the requester; no comment is refused', async () => {
    const id = await fileTicket();
    llm.script(
      completion({
        tool_calls: [
          toolCall('call_u5', 'update_ticket', { ticketId: id, comment: 'Customer called back.' }),
        ],
      }),
      completion({ content: `Noted on ${id}.` }),
    );
    const conv = personalConversation(users.dana);
    const activity = message(t.connector.url, conv, `add a note to ${id}: customer called back`, {
      user: users.dana,
    });
    expect((await t.post(activity)).status).toBe(200);
    expect(toolResult()).toContain(
      `I added your note to ticket ${id}; it stays open. I have let the requester know.`,
    );
    const doc = await stored(id);
    expect(doc.status).toBe('open');
    expect(doc.updates?.at(-1)).toMatchObject({
      status: 'open',
      previousStatus: 'open',
      comment: 'Customer called back.',
    });
    await t.bot.business.notifier!.flush();
    expect(t.connector.messages().filter((c) => c.activity.summary === `Ticket ${id} update`)).toHaveLength(
      1,
    );

    llm.requests.length = 0;
    llm.script(
      completion({ tool_calls: [toolCall('call_u6', 'update_ticket', { ticketId: id })] }),
      completion({ content: 'What should the note say?' }),
    );
    expect((await t.post(message(t.connector.url, conv, `note on ${id}`, { user: users.dana }))).status).toBe(
      200,
    );
    // The same chat: the history holds the first note's result too, the last tool message is this one.
    const tools = llm.requests[1]?.body.messages.filter((x) => x.role === 'tool') as { content?: string }[];
    expect(tools.at(-1)?.content).toMatch(/a note needs a comment/);
    expect((await stored(id)).updates).toHaveLength(1);
  });
});
