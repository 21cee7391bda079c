import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { cardAction, message, personalConversation, users } from '../helpers/activities';
import { LocalConnector } from '../helpers/connector';
import { cardsOf, cardText, findExecuteAction } from '../helpers/cards';
import { completion, startFakeOpenAi, toolCall, type FakeOpenAi } from '../fakes/fakeOpenAi';

/**
 * request_human and report_missing_delivery on the LLM path: the local chat-completions peer
 * answers with scripted tool calls; the same handlers open the ticket, notify the support
 * conversation and draw the cards as on the embedded path.
 */
const SUPPORT_CONVERSATION = '19:llm-support@thread.tacv2';
let llm: FakeOpenAi;
let support: LocalConnector;
let t: BotUnderTest;

beforeAll(async () => {
  llm = await startFakeOpenAi({ tls: false });
  support = await new LocalConnector().start();
  t = await startBotUnderTest({
    OPENAI_BASE_URL: `${llm.url}/v1`,
    OPENAI_MODEL: 'gpt-test',
    OPENAI_API_KEY: 'test-key',
    SUPPORT_CONVERSATION_ID: SUPPORT_CONVERSATION,
    SUPPORT_SERVICE_URL: support.url,
    ...freshKnowledgeIndex('kb-llm-handoff-'),
  });
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await llm?.close();
  await support?.stop();
});
beforeEach(() => {
  t.connector.reset();
  llm.requests.length = 0;
});

async function send(conv: ReturnType<typeof personalConversation>, text: string) {
  const activity = message(t.connector.url, conv, text);
  expect((await t.post(activity)).status).toBe(200);
  return t.connector.messages(conv.id).filter((c) => c.activityId === activity.id);
}

describe('request_human through LLM function calling', () => {
  it('runs the scripted call: handoff ticket with a summary, one notice, ticket id and phone in the reply', async () => {
    llm.script(
      completion({
        tool_calls: [toolCall('call_h1', 'request_human', { summary: 'Refund for ORD-10388 is missing' })],
      }),
      completion({ content: 'I have passed you to our support team.' }),
    );
    const conv = personalConversation();
    const sent = await send(conv, 'my refund never came, let me speak to a member of staff');
    expect(llm.requests[0].body.tools?.map((x) => x.function.name)).toEqual(
      expect.arrayContaining(['request_human', 'report_missing_delivery']),
    );
    const toolMessage = llm.requests[1].body.messages.find((m) => m.role === 'tool') as { content?: string };
    const ticketId = /TKT-\d{6}/.exec(toolMessage.content ?? '')?.[0];
    expect(ticketId, toolMessage.content).toBeDefined();
    expect(toolMessage.content).toContain('1-800-555-0142');

    const card = cardsOf(sent.find((c) => cardsOf(c).length))[0];
    expect(cardText(card)).toContain(ticketId);
    expect(cardText(card)).toMatch(/Monday to Friday/);

    const { resources } = await t.bot.stores.containers.tickets.items
      .query({
        query: "SELECT * FROM c WHERE c.type = 'ticket' AND c.conversationId = @cid",
        parameters: [{ name: '@cid', value: conv.id }],
      })
      .fetchAll();
    expect(resources).toHaveLength(1);
    expect(resources[0]).toMatchObject({
      ticketId,
      category: 'handoff',
      description: 'Refund for ORD-10388 is missing',
      handoff: { notice: 'sent' },
    });
    const notices = support.messages(SUPPORT_CONVERSATION);
    expect(notices).toHaveLength(1);
    expect(cardText(cardsOf(notices[0])[0])).toContain('Refund for ORD-10388 is missing');
  });

  it('offers a person when the user is frustrated, whatever the model answered, and opens nothing', async () => {
    llm.script(completion({ content: 'Sorry about that. Would you like me to hand you over to a person?' }));
    const conv = personalConversation(users.bea);
    const sent = await send(conv, "I'm angry, this bot is useless");
    const card = cardsOf(sent.find((c) => cardsOf(c).length))[0];
    expect(findExecuteAction(card, 'handoff.request')).toBeDefined();
    const { resources } = await t.bot.stores.containers.tickets.items
      .query({
        query: "SELECT * FROM c WHERE c.type = 'ticket' AND c.conversationId = @cid",
        parameters: [{ name: '@cid', value: conv.id }],
      })
      .fetchAll();
    expect(resources).toHaveLength(0);
  });

  it('lists delivery candidates, then drafts the delivery ticket for the picked order', async () => {
    llm.script(
      completion({ tool_calls: [toolCall('call_d1', 'report_missing_delivery', {})] }),
      completion({ content: 'Which order is it?' }),
    );
    const conv = personalConversation();
    const sent = await send(conv, 'my parcel still is not here');
    const toolMessage = llm.requests[1].body.messages.find((m) => m.role === 'tool') as { content?: string };
    expect(toolMessage.content).toMatch(/ORD-10421 \(shipped\)/);
    const pick = findExecuteAction(cardsOf(sent.find((c) => cardsOf(c).length))[0], 'delivery.selectOrder');
    expect(pick?.data).toEqual({ orderId: 'ORD-10421' });
    const res = await t.post(cardAction(t.connector.url, conv, 'delivery.selectOrder', pick!.data));
    expect(findExecuteAction(res.body?.value, 'ticket.confirm')).toBeDefined();
    const { resources } = await t.bot.stores.containers.tickets.items
      .query({
        query: "SELECT * FROM c WHERE c.type = 'ticket' AND c.conversationId = @cid",
        parameters: [{ name: '@cid', value: conv.id }],
      })
      .fetchAll();
    expect(resources[0]).toMatchObject({ status: 'draft', category: 'delivery', orderId: 'ORD-10421' });
  });
});
