import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { cardAction, personalConversation, users, type ConversationRef } from '../helpers/activities';
import { cardsOf, cardText, findExecuteAction } from '../helpers/cards';

/**
 * cancel_order end to end in embedded mode: real activities in over HTTP, the embedded intent
 * model's tool call, the confirmation card out through the connector, the Confirm click back in
 * as an adaptiveCard/action invoke, and the stored order checked in the Cosmos container.
 */
let t: BotUnderTest;

const BEA = users.bea.aadObjectId;
/** Extra processing orders of Bea's, so each test cancels its own order. */
const extraOrders = ['ORD-20001', 'ORD-20002', 'ORD-20003', 'ORD-20004', 'ORD-20005'];

beforeAll(async () => {
  t = await startBotUnderTest();
  const orders = t.bot.stores.containers.orders;
  for (const id of extraOrders) {
    await withTransientRetry(() =>
      orders.items.upsert({
        id,
        ownerAadObjectId: BEA,
        customerName: 'Bea Hansen',
        status: 'processing',
        currency: 'EUR',
        items: [{ sku: 'MUG-1', name: 'Mug', quantity: 1, price: 9.5 }],
        orderedAt: new Date().toISOString(),
      }),
    );
  }
}, 120_000);

/** Fixture writes straight to the embedded Cosmos server: under load a kept-alive socket may drop. */
async function withTransientRetry<T>(op: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (attempt >= 3 || !/socket hang up|ECONNRESET/i.test(String(err))) throw err;
    }
  }
}
afterAll(async () => {
  await t?.stop();
});
beforeEach(() => t.connector.reset());

const say = (conv: ConversationRef, text: string, user = users.alex) => t.say(conv, text, user);
const textOf = (calls: { activity: Record<string, any> }[]) =>
  calls.map((c) => String(c.activity.text ?? '')).join('\n');

async function storedOrder(id: string): Promise<Record<string, any>> {
  const { resources } = await t.bot.stores.containers.orders.items
    .query({ query: 'SELECT * FROM c WHERE c.id = @id', parameters: [{ name: '@id', value: id }] })
    .fetchAll();
  expect(resources).toHaveLength(1);
  return resources[0];
}

/** Asks for the cancellation and returns the Confirm / Keep buttons of the card the bot sent. */
async function requestCancel(conv: ConversationRef, text: string, user = users.alex) {
  const sent = await say(conv, text, user);
  const card = cardsOf(sent.find((c) => cardsOf(c).length))[0];
  expect(card, textOf(sent)).toBeDefined();
  const confirm = findExecuteAction(card, 'order.cancelConfirm');
  const keep = findExecuteAction(card, 'order.cancelKeep');
  expect(confirm).toBeDefined();
  expect(keep).toBeDefined();
  return { card, confirm: confirm!, keep: keep! };
}

const invoke = (conv: ConversationRef, verb: string, data: Record<string, unknown>, user = users.alex) =>
  t.post(cardAction(t.connector.url, conv, verb, data, user));

describe('cancel_order', () => {
  it('Alex cancels ORD-10422: confirmation card, Confirm, the stored order is cancelled', async () => {
    const conv = personalConversation();
    const { card, confirm } = await requestCancel(
      conv,
      'Cancel my order ORD-10422 because I ordered it twice',
    );
    expect(cardText(card)).toContain('ORD-10422');
    // Nothing changes before the Confirm.
    expect((await storedOrder('ORD-10422')).status).toBe('processing');

    const res = await invoke(conv, 'order.cancelConfirm', confirm.data);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toMatch(/Order ORD-10422 cancelled/);
    const stored = await storedOrder('ORD-10422');
    expect(stored.status).toBe('cancelled');
    expect(stored.cancelReason).toBe('I ordered it twice');
    expect(Date.now() - Date.parse(stored.cancelledAt)).toBeLessThan(60_000);

    // The tool call is in the audit transcript.
    const entries = await t.bot.stores.transcripts.list(conv.id);
    const call = entries.find((e: any) => e.kind === 'tool_call') as any;
    expect(call?.toolCall).toMatchObject({ name: 'cancel_order', arguments: { orderId: 'ORD-10422' } });
  });

  it('refuses a shipped order with an explanation and offers a return instead', async () => {
    const conv = personalConversation();
    const sent = await say(conv, 'please cancel order ORD-10421');
    expect(sent.some((c) => cardsOf(c).some((card) => findExecuteAction(card, 'order.cancelConfirm')))).toBe(
      false,
    );
    expect(textOf(sent)).toMatch(/ORD-10421 has already shipped, so it can no longer be cancelled/);
    expect(textOf(sent)).toMatch(/return/);
    expect((await storedOrder('ORD-10421')).status).toBe('shipped');
  });

  it("answers someone else's order exactly like an unknown one", async () => {
    const foreign = textOf(await say(personalConversation(), 'cancel my order ORD-10430'));
    const unknown = textOf(await say(personalConversation(), 'cancel my order ORD-99999'));
    expect(foreign).toMatch(/couldn.t find order ORD-10430/);
    expect(unknown).toBe(foreign.replace('ORD-10430', 'ORD-99999'));
    expect((await storedOrder('ORD-10430')).status).toBe('out_for_delivery');
  });

  it('refuses tampered card data and changes nothing', async () => {
    const conv = personalConversation(users.bea);
    const { confirm } = await requestCancel(conv, 'cancel order ORD-20001', users.bea);
    const tamperedSig = { ...confirm.data, sig: 'AAAA' + String(confirm.data.sig).slice(4) };
    const otherOrder = { ...confirm.data, orderId: 'ORD-20002' };
    for (const data of [tamperedSig, otherOrder]) {
      const res = await invoke(conv, 'order.cancelConfirm', data, users.bea);
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).toMatch(/no longer valid/);
    }
    const junk = await invoke(conv, 'order.cancelConfirm', { orderId: '<script>', sig: 1 }, users.bea);
    expect(junk.status).toBe(200);
    expect(JSON.stringify(junk.body)).toMatch(/no longer valid/);
    expect((await storedOrder('ORD-20001')).status).toBe('processing');
    expect((await storedOrder('ORD-20002')).status).toBe('processing');
  });

  it('the same Confirm twice (or retried by Teams) cancels once and shows the same card', async () => {
    const conv = personalConversation(users.bea);
    const { confirm } = await requestCancel(conv, 'I want to cancel ORD-20003', users.bea);
    const [a, b] = await Promise.all([
      invoke(conv, 'order.cancelConfirm', confirm.data, users.bea),
      invoke(conv, 'order.cancelConfirm', confirm.data, users.bea),
    ]);
    const first = await storedOrder('ORD-20003');
    const c = await invoke(conv, 'order.cancelConfirm', confirm.data, users.bea);
    expect(first.status).toBe('cancelled');
    expect(JSON.stringify(a.body)).toMatch(/Order ORD-20003 cancelled/);
    expect(b.body).toEqual(a.body);
    expect(c.body).toEqual(a.body);
    const after = await storedOrder('ORD-20003');
    expect(after.cancelledAt).toBe(first.cancelledAt);
    expect(after._etag).toBe(first._etag);
  });

  it('refuses a click by someone other than the requester and changes nothing', async () => {
    const conv = personalConversation(users.bea);
    const { confirm } = await requestCancel(conv, 'cancel my order ORD-20004', users.bea);
    for (const user of [users.alex, users.dana]) {
      const res = await invoke(conv, 'order.cancelConfirm', confirm.data, user);
      expect(JSON.stringify(res.body)).toMatch(/Only the person who asked/);
    }
    expect((await storedOrder('ORD-20004')).status).toBe('processing');
    // The requester still can.
    const ok = await invoke(conv, 'order.cancelConfirm', confirm.data, users.bea);
    expect(JSON.stringify(ok.body)).toMatch(/Order ORD-20004 cancelled/);
  });

  it('Keep order changes nothing', async () => {
    const conv = personalConversation(users.bea);
    const { keep } = await requestCancel(conv, 'cancel order ORD-20002', users.bea);
    const res = await invoke(conv, 'order.cancelKeep', keep.data, users.bea);
    expect(JSON.stringify(res.body)).toMatch(/Order ORD-20002 kept/);
    expect((await storedOrder('ORD-20002')).status).toBe('processing');
  });

  it('a support agent (Dana) may cancel a customer’s order', async () => {
    const conv = personalConversation(users.dana);
    const { confirm } = await requestCancel(conv, 'cancel order ORD-20005', users.dana);
    const res = await invoke(conv, 'order.cancelConfirm', confirm.data, users.dana);
    expect(JSON.stringify(res.body)).toMatch(/Order ORD-20005 cancelled/);
    const stored = await storedOrder('ORD-20005');
    expect(stored.status).toBe('cancelled');
    expect(stored.ownerAadObjectId).toBe(BEA);
  });

  it('"cancel my order" without a number asks which order, then shows the card', async () => {
    const conv = personalConversation(users.bea);
    expect(textOf(await say(conv, 'cancel my order', users.bea))).toMatch(
      /Which order do you want to cancel/,
    );
    const second = await say(conv, 'ORD-20001', users.bea);
    const card = cardsOf(second.find((c) => cardsOf(c).length))[0];
    expect(findExecuteAction(card, 'order.cancelConfirm')?.data.orderId).toBe('ORD-20001');
  });

  it('"cancel" alone while a flow is pending still stops the flow', async () => {
    const conv = personalConversation();
    expect(textOf(await say(conv, 'cancel my order'))).toMatch(/Which order/);
    expect(textOf(await say(conv, 'cancel'))).toMatch(/stopped that/);
    // The flow is gone: a bare number is no longer taken as the order to cancel.
    const after = await say(conv, 'ORD-10388');
    expect(after.some((c) => cardsOf(c).some((card) => findExecuteAction(card, 'order.cancelConfirm')))).toBe(
      false,
    );
  });
});
