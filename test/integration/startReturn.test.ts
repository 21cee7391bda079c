import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import {
  cardAction,
  groupChat,
  personalConversation,
  users,
  type ConversationRef,
} from '../helpers/activities';
import { cardsOf, cardText, findExecuteAction } from '../helpers/cards';
import type { ConnectorCall } from '../helpers/connector';

/**
 * start_return end to end in embedded mode: real activities over HTTP, the embedded intent model's
 * tool call, the confirmation card through the connector, the Confirm click back as an
 * adaptiveCard/action invoke, and the order, the return record and the ticket checked in Cosmos.
 */
let t: BotUnderTest;

const BEA = users.bea.aadObjectId;
const DAY = 24 * 3600 * 1000;
/** Extra delivered orders of Bea's (delivered N days ago), so each test returns its own order. */
const extraOrders: [string, number][] = [
  ['ORD-30001', 3],
  ['ORD-30002', 40],
  ['ORD-30003', 5],
  ['ORD-30004', 2],
  ['ORD-30005', 6],
];

/**
 * An order date `ms` since the epoch, moved to 14 November when it falls in the holiday season
 * (15 Nov–24 Dec, config/returns-policy.json): the holiday rule must not decide these orders'
 * windows, whatever day the tests run.
 */
function orderedOutsideHolidays(ms: number): string {
  const d = new Date(ms);
  const md = d.toISOString().slice(5, 10);
  return md >= '11-15' && md <= '12-24'
    ? new Date(Date.UTC(d.getUTCFullYear(), 10, 14, 10)).toISOString()
    : d.toISOString();
}

/** Orders of Bea's for the returns policy's exceptions (config/returns-policy.json). */
const YEAR = new Date().getUTCFullYear();
const policyOrders = [
  {
    // Several lines, one of them a gift card (non-returnable).
    id: 'ORD-30006',
    items: [
      { sku: 'HP-700', name: 'Wireless over-ear headphones', quantity: 1, price: 179 },
      { sku: 'CS-TRV', name: 'Hard-shell travel case', quantity: 1, price: 24.9 },
      { sku: 'GC-25', name: 'Contoso gift card 25 EUR', quantity: 1, price: 25, category: 'gift_card' },
    ],
    orderedAt: new Date(Date.now() - 6 * DAY).toISOString(),
    deliveredAt: new Date(Date.now() - 4 * DAY).toISOString(),
  },
  {
    // A Contoso Plus order delivered 45 days ago: inside the members' 60 days.
    id: 'ORD-30007',
    membership: 'contoso_plus',
    items: [{ sku: 'MUG-1', name: 'Enamel mug', quantity: 1, price: 9.5 }],
    orderedAt: orderedOutsideHolidays(Date.now() - 48 * DAY),
    deliveredAt: new Date(Date.now() - 45 * DAY).toISOString(),
  },
  {
    // Bought in a holiday season two years back: its 31 January has passed whatever today is.
    id: 'ORD-30008',
    items: [{ sku: 'MUG-1', name: 'Enamel mug', quantity: 1, price: 9.5 }],
    orderedAt: `${YEAR - 2}-12-01T10:00:00Z`,
    deliveredAt: `${YEAR - 2}-12-03T10:00:00Z`,
  },
  {
    // Only a gift card.
    id: 'ORD-30009',
    items: [
      { sku: 'GC-25', name: 'Contoso gift card 25 EUR', quantity: 1, price: 25, category: 'gift_card' },
    ],
    orderedAt: new Date(Date.now() - 6 * DAY).toISOString(),
    deliveredAt: new Date(Date.now() - 4 * DAY).toISOString(),
  },
];

beforeAll(async () => {
  t = await startBotUnderTest();
  const orders = t.bot.stores.containers.orders;
  for (const o of policyOrders) {
    await withTransientRetry(() =>
      orders.items.upsert({
        ownerAadObjectId: BEA,
        customerName: 'Bea Hansen',
        status: 'delivered',
        currency: 'EUR',
        ...o,
      }),
    );
  }
  for (const [id, daysAgo] of extraOrders) {
    await withTransientRetry(() =>
      orders.items.upsert({
        id,
        ownerAadObjectId: BEA,
        customerName: 'Bea Hansen',
        status: 'delivered',
        currency: 'EUR',
        items: [
          { sku: 'MUG-1', name: 'Enamel mug', quantity: 2, price: 9.5 },
          { sku: 'TEA-9', name: 'Green tea tin', quantity: 1, price: 6 },
        ],
        orderedAt: orderedOutsideHolidays(Date.now() - (daysAgo + 3) * DAY),
        deliveredAt: new Date(Date.now() - daysAgo * DAY).toISOString(),
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
const textOf = (calls: ConnectorCall[]) => calls.map((c) => String(c.activity.text ?? '')).join('\n');
const invoke = (conv: ConversationRef, verb: string, data: Record<string, unknown>, user = users.alex) =>
  t.post(cardAction(t.connector.url, conv, verb, data, user));
const hasReturnCard = (calls: ConnectorCall[]) =>
  calls.some((c) => cardsOf(c).some((card) => findExecuteAction(card, 'order.returnConfirm')));

async function query(container: 'orders' | 'returns' | 'tickets', sql: string, value: string) {
  const { resources } = await t.bot.stores.containers[container].items
    .query({ query: sql, parameters: [{ name: '@v', value }] })
    .fetchAll();
  return resources as Record<string, any>[];
}
async function storedOrder(id: string) {
  const rows = await query('orders', 'SELECT * FROM c WHERE c.id = @v', id);
  expect(rows).toHaveLength(1);
  return rows[0];
}
const returnsOf = (orderId: string) =>
  query('returns', "SELECT * FROM c WHERE c.type = 'return' AND c.orderId = @v", orderId);
const ticketsOf = (orderId: string) =>
  query('tickets', "SELECT * FROM c WHERE c.type = 'ticket' AND c.orderId = @v", orderId);

/** Asks for the return and returns the Confirm / Keep buttons of the card the bot sent. */
async function requestReturn(conv: ConversationRef, text: string, user = users.alex) {
  const sent = await say(conv, text, user);
  const card = cardsOf(sent.find((c) => cardsOf(c).length))[0];
  expect(card, textOf(sent)).toBeDefined();
  const confirm = findExecuteAction(card, 'order.returnConfirm');
  const keep = findExecuteAction(card, 'order.returnKeep');
  expect(confirm).toBeDefined();
  expect(keep).toBeDefined();
  return { sent, card, confirm: confirm!, keep: keep! };
}

describe('start_return', () => {
  it('Alex returns ORD-10388: asks why, card citing the policy, Confirm stores RMA, order status and a return ticket', async () => {
    const conv = personalConversation();
    // A refund request is a return; without a reason the bot asks for one.
    expect(textOf(await say(conv, 'I want a refund for ORD-10388'))).toMatch(
      /Why are you returning order ORD-10388/,
    );
    const { sent, card, confirm } = await requestReturn(conv, 'the headset stopped working after a week');
    expect(cardText(card)).toContain('Noise-cancelling headset');
    expect(cardText(card)).toMatch(/original payment method/);
    expect(confirm.data).toMatchObject({
      orderId: 'ORD-10388',
      requester: users.alex.aadObjectId,
      items: [{ sku: 'HS-900', quantity: 1 }],
    });
    // The reply cites the returns policy the way knowledge answers do (Teams citation entity).
    const cited = sent.find((c) => /within 30 days of delivery/.test(String(c.activity.text ?? '')));
    expect(cited, textOf(sent)).toBeDefined();
    expect(String(cited!.activity.text)).toMatch(/\[1\]/);
    const citation = (cited!.activity.entities ?? []).flatMap((e: any) => e.citation ?? [])[0];
    expect(citation?.appearance?.name).toMatch(/Returns and refunds/i);
    expect(citation?.appearance?.url).toBe('https://support.contoso-outfitters.example/returns');
    // Nothing changes before the Confirm.
    expect((await storedOrder('ORD-10388')).status).toBe('delivered');
    expect(await returnsOf('ORD-10388')).toHaveLength(0);

    const res = await invoke(conv, 'order.returnConfirm', confirm.data);
    expect(res.status).toBe(200);
    const body = JSON.stringify(res.body);
    const rmaId = /RMA-\d{6}/.exec(body)?.[0];
    expect(rmaId, body).toBeDefined();
    expect(body).toMatch(/TKT-\d{6}/);

    const order = await storedOrder('ORD-10388');
    expect(order).toMatchObject({ status: 'return_requested', returnRmaId: rmaId });
    const [record, ...more] = await returnsOf('ORD-10388');
    expect(more).toHaveLength(0);
    expect(record).toMatchObject({
      id: rmaId,
      rmaId,
      pk: users.alex.aadObjectId,
      ownerAadObjectId: users.alex.aadObjectId,
      items: [{ sku: 'HS-900', name: 'Noise-cancelling headset', quantity: 1, price: 149 }],
      reason: 'the headset stopped working after a week',
      refundMethod: 'original_payment_method',
      refundAmount: 149,
      requestedBy: { aadObjectId: users.alex.aadObjectId },
    });
    const tickets = await ticketsOf('ORD-10388');
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ category: 'return', status: 'open', ticketId: record.ticketId });
    expect(tickets[0].description).toContain(rmaId);

    // The audit transcript has the tool call and what the Confirm did.
    const entries = (await t.bot.stores.transcripts.list(conv.id)) as any[];
    const calls = entries.filter((e) => e.kind === 'tool_call' && e.toolCall?.name === 'start_return');
    // First the check without a reason (answered "why?"), then the call with it.
    expect(calls.map((e) => e.toolCall.arguments)).toEqual([
      { orderId: 'ORD-10388' },
      { orderId: 'ORD-10388', reason: 'the headset stopped working after a week' },
    ]);
    expect(
      entries.find((e) => e.kind === 'tool_call' && e.toolCall?.name === 'card:order.returnConfirm')?.toolCall
        ?.result,
    ).toMatchObject({ rmaId, ticketId: record.ticketId });

    // Asking again: already requested, with the same RMA id (not "why?"); nothing new is stored.
    const againConv = personalConversation();
    const again = textOf(await say(againConv, 'return ORD-10388'));
    expect(again).toContain(`already been requested: ${rmaId}`);
    expect(again).not.toMatch(/Why are you returning/);
    // No question is left pending: a reason-like message now is not taken as an answer.
    expect(hasReturnCard(await say(againConv, 'it stopped working'))).toBe(false);
    expect(await returnsOf('ORD-10388')).toHaveLength(1);
    // A cancellation of the order being returned says so, without offering a return again.
    const cancel = textOf(await say(personalConversation(), 'cancel my order ORD-10388'));
    expect(cancel).toContain(`ORD-10388 is being returned (${rmaId})`);
    expect(cancel).not.toMatch(/start a return/);
  });

  it('an answer to "why?" that restates the return request still answers about the same order', async () => {
    const conv = personalConversation(users.bea);
    expect(textOf(await say(conv, 'I would like to return ORD-30003', users.bea))).toMatch(
      /Why are you returning order ORD-30003/,
    );
    const sent = await say(conv, 'I want to return it, the mug handle came off', users.bea);
    const card = cardsOf(sent.find((c) => cardsOf(c).length))[0];
    expect(findExecuteAction(card, 'order.returnConfirm')?.data).toMatchObject({
      orderId: 'ORD-30003',
      reason: expect.stringContaining('the mug handle came off'),
    });
  });

  it('a bare order number or a correction is never taken for a return', async () => {
    for (const text of ['ORD-10421', 'oops, I meant ORD-10421']) {
      const sent = await say(personalConversation(), text);
      expect(textOf(sent)).not.toMatch(/return/i);
      expect(hasReturnCard(sent)).toBe(false);
    }
  });

  it('the cancel refusal of a delivered order leads into start_return', async () => {
    const conv = personalConversation(users.bea);
    const refusal = textOf(await say(conv, 'cancel order ORD-30005', users.bea));
    const offer = /say "([^"]+)"/.exec(refusal)?.[1];
    expect(offer, refusal).toMatch(/ORD-30005/);
    expect(textOf(await say(conv, offer!, users.bea))).toMatch(/Why are you returning order ORD-30005/);
    // "cancel" still leaves the flow.
    expect(textOf(await say(conv, 'cancel', users.bea))).toMatch(/stopped that/);
    expect((await storedOrder('ORD-30005')).status).toBe('delivered');
  });

  it("answers someone else's order exactly like an unknown one", async () => {
    const foreign = textOf(await say(personalConversation(), 'return ORD-30001 because it is broken'));
    const unknown = textOf(await say(personalConversation(), 'return ORD-99999 because it is broken'));
    expect(foreign).toMatch(/couldn.t find order ORD-30001/);
    expect(unknown).toBe(foreign.replace('ORD-30001', 'ORD-99999'));
    expect((await storedOrder('ORD-30001')).status).toBe('delivered');
  });

  it('refuses an order not delivered yet, and one still processing (offering to cancel)', async () => {
    const shipped = await say(personalConversation(), 'I want to return ORD-10421, the keyboard is broken');
    expect(hasReturnCard(shipped)).toBe(false);
    expect(textOf(shipped)).toMatch(/ORD-10421 hasn't been delivered yet/);
    const processing = textOf(await say(personalConversation(), 'return ORD-10422 because it is too big'));
    expect(processing).toMatch(/ORD-10422 hasn't shipped yet.*cancel/);
    // Without a reason the order is still checked first: no "why?" for an order that can't go back.
    const bare = textOf(await say(personalConversation(), 'return ORD-10421'));
    expect(bare).toMatch(/hasn't been delivered yet/);
    expect(bare).not.toMatch(/Why are you returning/);
    expect((await storedOrder('ORD-10421')).status).toBe('shipped');
    expect((await storedOrder('ORD-10422')).status).toBe('processing');
  });

  it('refuses an order outside the 30-day window, citing the policy', async () => {
    const sent = await say(personalConversation(users.bea), 'return ORD-30002, wrong size', users.bea);
    expect(hasReturnCard(sent)).toBe(false);
    const text = textOf(sent);
    expect(text).toMatch(/ORD-30002 was delivered more than 30 days ago/);
    const citations = sent.flatMap((c) => (c.activity.entities ?? []).flatMap((e: any) => e.citation ?? []));
    expect(citations[0]?.appearance?.name).toMatch(/Returns and refunds/i);
    expect((await storedOrder('ORD-30002')).status).toBe('delivered');
    expect(await returnsOf('ORD-30002')).toHaveLength(0);
  });

  it('refuses an order that was already returned', async () => {
    const text = textOf(
      await say(personalConversation(users.carl), 'return ORD-10460 it arrived damaged', users.carl),
    );
    expect(text).toMatch(/ORD-10460 has already been returned/);
    expect((await storedOrder('ORD-10460')).status).toBe('returned');
  });

  it('refuses tampered card data and changes nothing', async () => {
    const conv = personalConversation(users.bea);
    const { confirm } = await requestReturn(conv, 'return ORD-30003 because the mug is cracked', users.bea);
    const variants = [
      { ...confirm.data, sig: 'AAAA' + String(confirm.data.sig).slice(4) },
      { ...confirm.data, orderId: 'ORD-30004' },
      { ...confirm.data, items: [{ sku: 'MUG-1', quantity: 1 }] },
      { ...confirm.data, reason: 'something else' },
      { ...confirm.data, requester: users.alex.aadObjectId },
    ];
    for (const data of variants) {
      const res = await invoke(conv, 'order.returnConfirm', data, users.bea);
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).toMatch(/no longer valid/);
    }
    const junk = await invoke(conv, 'order.returnConfirm', { orderId: 'ORD-30003', items: 'all' }, users.bea);
    expect(JSON.stringify(junk.body)).toMatch(/no longer valid/);
    for (const id of ['ORD-30003', 'ORD-30004']) {
      expect((await storedOrder(id)).status).toBe('delivered');
      expect(await returnsOf(id)).toHaveLength(0);
    }
  });

  it('the same Confirm twice (or retried by Teams) creates one RMA, one record and one ticket', async () => {
    const conv = personalConversation(users.bea);
    const { confirm } = await requestReturn(
      conv,
      'I want to send back ORD-30001, not what I expected',
      users.bea,
    );
    const [a, b] = await Promise.all([
      invoke(conv, 'order.returnConfirm', confirm.data, users.bea),
      invoke(conv, 'order.returnConfirm', confirm.data, users.bea),
    ]);
    const first = await storedOrder('ORD-30001');
    const c = await invoke(conv, 'order.returnConfirm', confirm.data, users.bea);
    expect(first.status).toBe('return_requested');
    expect(JSON.stringify(a.body)).toContain(`Return ${first.returnRmaId} requested`);
    expect(b.body).toEqual(a.body);
    expect(c.body).toEqual(a.body);
    const after = await storedOrder('ORD-30001');
    expect(after._etag).toBe(first._etag);
    expect(await returnsOf('ORD-30001')).toHaveLength(1);
    expect(await ticketsOf('ORD-30001')).toHaveLength(1);
  });

  it('in a group chat: no item list, a pointer to the 1:1 chat; a click by someone else there is refused', async () => {
    const group = groupChat();
    const inGroup = await say(group, 'return ORD-30004 because the tea tin is dented and broken', users.bea);
    expect(hasReturnCard(inGroup)).toBe(false);
    expect(textOf(inGroup)).toMatch(/To return ORD-30004, ask me in a 1:1 chat/);
    expect(JSON.stringify(inGroup.map((c) => c.activity))).not.toMatch(/Enamel mug|Green tea|9\.5/);

    const { confirm } = await requestReturn(
      personalConversation(users.bea),
      'return ORD-30004 because the tea tin is dented and broken',
      users.bea,
    );
    for (const user of [users.alex, users.dana]) {
      const res = await invoke(group, 'order.returnConfirm', confirm.data, user);
      expect(JSON.stringify(res.body)).toMatch(/Only the person who asked/);
    }
    expect((await storedOrder('ORD-30004')).status).toBe('delivered');
    expect(await returnsOf('ORD-30004')).toHaveLength(0);
    // The requester still can, also from the group chat (the card is hers).
    const ok = await invoke(group, 'order.returnConfirm', confirm.data, users.bea);
    expect(JSON.stringify(ok.body)).toMatch(/Return RMA-\d{6} requested/);
  });

  it('Keep items changes nothing', async () => {
    const conv = personalConversation(users.bea);
    const { keep } = await requestReturn(conv, 'return ORD-30005, it does not fit', users.bea);
    const res = await invoke(conv, 'order.returnKeep', keep.data, users.bea);
    expect(JSON.stringify(res.body)).toMatch(/ORD-30005: no return/);
    expect((await storedOrder('ORD-30005')).status).toBe('delivered');
  });

  it('a support agent (Dana) may start a return for a customer; the record stays in the customer’s partition', async () => {
    const conv = personalConversation(users.dana);
    const { confirm } = await requestReturn(
      conv,
      'start a return for ORD-30005 because it arrived damaged',
      users.dana,
    );
    const res = await invoke(conv, 'order.returnConfirm', confirm.data, users.dana);
    expect(JSON.stringify(res.body)).toMatch(/Return RMA-\d{6} requested/);
    const [record] = await returnsOf('ORD-30005');
    expect(record).toMatchObject({
      pk: BEA,
      ownerAadObjectId: BEA,
      requestedBy: { aadObjectId: users.dana.aadObjectId },
      refundAmount: 25,
    });
    expect((await storedOrder('ORD-30005')).status).toBe('return_requested');
  });

  it('Alex returns only the headphones of the sample order ORD-10395; the stored return holds only them', async () => {
    const conv = personalConversation();
    const asked = textOf(await say(conv, 'I want to return the headphones from ORD-10395'));
    // The items were named: only the reason is asked, no item list.
    expect(asked).toMatch(/Why are you returning order ORD-10395\?/);
    expect(asked).not.toMatch(/several items/);
    const { card, confirm } = await requestReturn(conv, 'they are too tight');
    expect(cardText(card)).toContain('Wireless over-ear headphones');
    expect(cardText(card)).not.toMatch(/travel case|gift card/i);
    expect(confirm.data).toMatchObject({ orderId: 'ORD-10395', items: [{ sku: 'HP-700', quantity: 1 }] });
    const res = await invoke(conv, 'order.returnConfirm', confirm.data);
    expect(JSON.stringify(res.body)).toMatch(/Return RMA-\d{6} requested/);
    const [record, ...more] = await returnsOf('ORD-10395');
    expect(more).toHaveLength(0);
    expect(record).toMatchObject({ refundAmount: 179, status: 'requested' });
    expect(record!.items.map((i: { sku: string }) => i.sku)).toEqual(['HP-700']);
    expect((await storedOrder('ORD-10395')).status).toBe('return_requested');
  });

  it('"start a return" for an order of several items asks which; the answer picks them; a gift card stays', async () => {
    const conv = personalConversation(users.bea);
    const asked = textOf(await say(conv, 'start a return for ORD-30006', users.bea));
    expect(asked).toMatch(/Why are you returning order ORD-30006\?/);
    expect(asked).toMatch(/several items: Wireless over-ear headphones, Hard-shell travel case\./);
    expect(asked).toMatch(
      /Not included: Contoso gift card 25 EUR \(gift cards and e-vouchers can't be returned\)/,
    );
    const { card, confirm } = await requestReturn(conv, 'the travel case arrived scratched', users.bea);
    expect(cardText(card)).toContain('Hard-shell travel case');
    expect(cardText(card)).not.toMatch(/headphones/);
    expect(confirm.data).toMatchObject({ items: [{ sku: 'CS-TRV', quantity: 1 }] });
    // Nothing stored until the Confirm.
    expect(await returnsOf('ORD-30006')).toHaveLength(0);
    const res = await invoke(conv, 'order.returnConfirm', confirm.data, users.bea);
    expect(JSON.stringify(res.body)).toMatch(/Return RMA-\d{6} requested/);
    const [record] = await returnsOf('ORD-30006');
    expect(record!.items.map((i: { sku: string }) => i.sku)).toEqual(['CS-TRV']);
  });

  // Carl's own order: Bea's messages in this file stay under the per-user rate limit.
  it('the reason said beside the request needs no question; an answer to "why?" may name other items', async () => {
    await withTransientRetry(() =>
      t.bot.stores.containers.orders.items.upsert({
        ...policyOrders[0],
        id: 'ORD-30010',
        ownerAadObjectId: users.carl.aadObjectId,
        customerName: 'Carl Legal',
        status: 'delivered',
        currency: 'EUR',
      }),
    );
    const first = await requestReturn(
      personalConversation(users.carl),
      'can i return the headphones from ORD-30010? they hurt my ears',
      users.carl,
    );
    expect(first.confirm.data).toMatchObject({
      orderId: 'ORD-30010',
      items: [{ sku: 'HP-700', quantity: 1 }],
      reason: 'they hurt my ears',
    });

    const conv = personalConversation(users.carl);
    expect(textOf(await say(conv, 'I want to return the headphones from ORD-30010', users.carl))).toMatch(
      /Why are you returning order ORD-30010\?/,
    );
    const { card, confirm } = await requestReturn(
      conv,
      "actually I'd rather send back the travel case, it's too small",
      users.carl,
    );
    expect(cardText(card)).toContain('Hard-shell travel case');
    expect(cardText(card)).not.toMatch(/headphones/);
    expect(confirm.data).toMatchObject({ items: [{ sku: 'CS-TRV', quantity: 1 }], reason: "it's too small" });
    expect(await returnsOf('ORD-30010')).toHaveLength(0);
  });

  it('refuses a gift card with the policy reason; a card naming it is refused and changes nothing', async () => {
    const conv = personalConversation(users.bea);
    const sent = await say(conv, 'return ORD-30009 because I do not need it', users.bea);
    expect(hasReturnCard(sent)).toBe(false);
    expect(textOf(sent)).toMatch(
      /Contoso gift card 25 EUR from order ORD-30009 can't be returned: the returns policy excludes gift cards and e-vouchers/,
    );
    expect((await storedOrder('ORD-30009')).status).toBe('delivered');
    expect(await returnsOf('ORD-30009')).toHaveLength(0);
  });

  it('Contoso Plus: 45 days after delivery still returnable; a holiday purchase past 31 January is not', async () => {
    const conv = personalConversation(users.bea);
    const { sent, confirm } = await requestReturn(
      conv,
      'return ORD-30007 because it is not needed',
      users.bea,
    );
    expect(textOf(sent)).toMatch(/As a Contoso Plus member you can return it within 60 days of delivery/);
    const res = await invoke(conv, 'order.returnConfirm', confirm.data, users.bea);
    expect(JSON.stringify(res.body)).toMatch(/Return RMA-\d{6} requested/);
    expect((await storedOrder('ORD-30007')).status).toBe('return_requested');

    const holiday = await say(personalConversation(users.bea), 'return ORD-30008, wrong size', users.bea);
    expect(hasReturnCard(holiday)).toBe(false);
    expect(textOf(holiday)).toMatch(
      new RegExp(
        `ORD-30008 was bought in the holiday season, so it could be returned until ${YEAR - 1}-01-31`,
      ),
    );
    expect((await storedOrder('ORD-30008')).status).toBe('delivered');
  });

  it('RMA ids are distinct across returns', async () => {
    const { resources } = await t.bot.stores.containers.returns.items
      .query("SELECT c.rmaId FROM c WHERE c.type = 'return'")
      .fetchAll();
    const ids = resources.map((r: any) => r.rmaId);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
