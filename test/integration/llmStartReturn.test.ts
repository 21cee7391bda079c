import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import {
  cardAction,
  message,
  personalConversation,
  users,
  type ConversationRef,
} from '../helpers/activities';
import { cardsOf, cardText, findExecuteAction } from '../helpers/cards';
import { completion, startFakeOpenAi, toolCall, type FakeOpenAi } from '../fakes/fakeOpenAi';

/**
 * start_return on the LLM path: the local chat-completions peer answers with scripted start_return
 * tool calls (one order line, a refusal, a bad item); the bot shows the confirmation card and the
 * Confirm click stores the return.
 */
let llm: FakeOpenAi;
let t: BotUnderTest;
const DAY = 24 * 3600 * 1000;

beforeAll(async () => {
  llm = await startFakeOpenAi({ tls: false });
  t = await startBotUnderTest({
    OPENAI_BASE_URL: `${llm.url}/v1`,
    OPENAI_MODEL: 'gpt-test',
    OPENAI_API_KEY: 'test-key',
    ...freshKnowledgeIndex('llm-return-'),
  });
  // Bea's two-line order delivered five days ago: the model returns one of its lines.
  await t.bot.stores.containers.orders.items.upsert({
    id: 'ORD-31001',
    ownerAadObjectId: users.bea.aadObjectId,
    customerName: 'Bea Hansen',
    status: 'delivered',
    currency: 'EUR',
    items: [
      { sku: 'LMP-2', name: 'Desk lamp', quantity: 1, price: 39 },
      { sku: 'BLB-6', name: 'LED bulb', quantity: 4, price: 4.5 },
    ],
    orderedAt: new Date(Date.now() - 8 * DAY).toISOString(),
    deliveredAt: new Date(Date.now() - 5 * DAY).toISOString(),
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

async function send(conv: ConversationRef, text: string, user = users.alex) {
  const activity = message(t.connector.url, conv, text, { user });
  expect((await t.post(activity)).status).toBe(200);
  return t.connector.messages(conv.id).filter((c) => c.activityId === activity.id);
}
const toolOutput = () =>
  (llm.requests[1]?.body.messages.find((m) => m.role === 'tool') as { content?: string } | undefined)
    ?.content;

describe('start_return through LLM function calling', () => {
  it('offers the tool, runs a scripted call for some items, shows the card; Confirm stores the return', async () => {
    llm.script(
      completion({
        tool_calls: [
          toolCall('call_r1', 'start_return', {
            orderId: 'ORD-31001',
            items: [{ item: 'LED bulb', quantity: 2 }],
            reason: 'two bulbs flicker',
          }),
        ],
      }),
      completion({ content: 'Please confirm the return on the card.' }),
    );
    const conv = personalConversation(users.bea);
    const sent = await send(conv, 'two of the bulbs from ORD-31001 flicker, I want my money back', users.bea);

    const tool = llm.requests[0].body.tools?.find((x) => x.function.name === 'start_return');
    expect(tool?.function.parameters).toMatchObject({
      required: ['orderId'],
      properties: { items: { type: 'array' }, reason: { type: 'string' } },
    });
    expect(toolOutput()).toMatch(/confirm the return of order ORD-31001/);

    const card = cardsOf(sent.find((c) => cardsOf(c).length))[0];
    expect(cardText(card)).toContain('2 × LED bulb');
    expect(cardText(card)).not.toContain('Desk lamp');
    const confirm = findExecuteAction(card, 'order.returnConfirm');
    expect(confirm?.data).toMatchObject({ orderId: 'ORD-31001', items: [{ sku: 'BLB-6', quantity: 2 }] });

    const res = await t.post(
      cardAction(t.connector.url, conv, 'order.returnConfirm', confirm!.data, users.bea),
    );
    expect(JSON.stringify(res.body)).toMatch(/Return RMA-\d{6} requested/);
    const { resource: order } = await t.bot.stores.containers.orders
      .item('ORD-31001', users.bea.aadObjectId)
      .read();
    expect(order?.status).toBe('return_requested');
    const { resource: record } = await t.bot.stores.containers.returns
      .item(order!.returnRmaId, users.bea.aadObjectId)
      .read();
    expect(record).toMatchObject({
      orderId: 'ORD-31001',
      items: [{ sku: 'BLB-6', quantity: 2 }],
      reason: 'two bulbs flicker',
      refundAmount: 9,
      refundMethod: 'original_payment_method',
    });
    expect(record?.ticketId).toMatch(/^TKT-\d{6}$/);
  });

  it('feeds a refusal (not delivered yet) back to the model and changes nothing', async () => {
    llm.script(
      completion({
        tool_calls: [toolCall('call_r2', 'start_return', { orderId: 'ORD-10421', reason: 'too slow' })],
      }),
      completion({ content: 'That order has not arrived yet.' }),
    );
    await send(personalConversation(), 'refund ORD-10421, too slow');
    expect(toolOutput()).toMatch(/ORD-10421 hasn't been delivered yet/);
    const { resource } = await t.bot.stores.containers.orders
      .item('ORD-10421', users.alex.aadObjectId)
      .read();
    expect(resource?.status).toBe('shipped');
  });

  it('tells the model which arguments were wrong: an item not on the order; without a reason it asks why', async () => {
    llm.script(
      completion({
        tool_calls: [
          toolCall('call_r3', 'start_return', {
            orderId: 'ORD-10388',
            items: [{ item: 'toaster' }],
            reason: 'x y',
          }),
        ],
      }),
      completion({ content: 'Which item do you mean?' }),
    );
    await send(personalConversation(), 'return the toaster from ORD-10388');
    expect(toolOutput()).toMatch(/ORD-10388 has no item matching "toaster"/);
    llm.requests.length = 0;

    llm.script(
      completion({ tool_calls: [toolCall('call_r4', 'start_return', { orderId: 'ORD-10388' })] }),
      completion({ content: 'Why are you returning it?' }),
    );
    await send(personalConversation(), 'return ORD-10388');
    // Without a reason the tool checks the order first, then asks why (no card yet).
    expect(toolOutput()).toMatch(/Why are you returning order ORD-10388/);
    const { resource } = await t.bot.stores.containers.orders
      .item('ORD-10388', users.alex.aadObjectId)
      .read();
    expect(resource?.status).toBe('delivered');
  });
});
