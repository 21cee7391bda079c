import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import {
  cardAction,
  groupChat,
  personalConversation,
  users,
  type ConversationRef,
} from '../helpers/activities';
import type { ConnectorCall } from '../helpers/connector';
import { cardsOf, cardText, findExecuteAction } from '../helpers/cards';

/**
 * "My package never arrived" end to end (embedded model): the bot asks which order, listing the
 * requester's orders that are shipped or out for delivery (even when there is only one), then
 * drafts a `delivery` ticket linked to the chosen order; Confirm files it. State checked in Cosmos.
 * Sample data: Alex has one order on its way (ORD-10421, shipped), Bea one (ORD-10430, out for
 * delivery), Dana none.
 */
let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest(freshKnowledgeIndex('kb-delivery-'));
}, 120_000);
afterAll(async () => {
  await t?.stop();
});
beforeEach(() => t.connector.reset());

const allText = (calls: ConnectorCall[]) =>
  calls.map((c) => `${String(c.activity.text ?? '')} ${cardsOf(c).map(cardText).join(' ')}`).join('\n');
const firstCard = (calls: ConnectorCall[]) => cardsOf(calls.find((c) => cardsOf(c).length))[0];
const invoke = (conv: ConversationRef, verb: string, data: Record<string, unknown>, user = users.alex) =>
  t.post(cardAction(t.connector.url, conv, verb, data, user));

async function ticketsOf(conversationId: string): Promise<Record<string, any>[]> {
  const { resources } = await t.bot.stores.containers.tickets.items
    .query({
      query: "SELECT * FROM c WHERE c.type = 'ticket' AND c.conversationId = @cid",
      parameters: [{ name: '@cid', value: conversationId }],
    })
    .fetchAll();
  return resources;
}

describe('missing deliveries', () => {
  it('asks which order even with one candidate, drafts a delivery ticket for it, and Confirm files it', async () => {
    const conv = personalConversation();
    const sent = await t.say(conv, 'my package never arrived');
    const card = firstCard(sent);
    expect(allText(sent)).toMatch(/Is it this order/);
    const pick = findExecuteAction(card, 'delivery.selectOrder');
    expect(pick?.data).toEqual({ orderId: 'ORD-10421' });
    // Only orders on their way: not the processing ORD-10422 nor the delivered ORD-10388.
    expect(cardText(card)).not.toMatch(/ORD-10422|ORD-10388/);
    expect(await ticketsOf(conv.id)).toHaveLength(0);

    const res = await invoke(conv, 'delivery.selectOrder', pick!.data);
    expect(res.status).toBe(200);
    const confirm = findExecuteAction(res.body?.value, 'ticket.confirm');
    expect(confirm, JSON.stringify(res.body)).toBeDefined();
    const [draft] = await ticketsOf(conv.id);
    expect(draft).toMatchObject({ status: 'draft', category: 'delivery', orderId: 'ORD-10421' });

    const confirmed = await invoke(conv, 'ticket.confirm', confirm!.data);
    expect(JSON.stringify(confirmed.body)).toMatch(/TKT-\d{6}/);
    const [ticket, ...others] = await ticketsOf(conv.id);
    expect(others).toHaveLength(0);
    expect(ticket).toMatchObject({ status: 'open', category: 'delivery', orderId: 'ORD-10421' });
  });

  it('takes a typed order number as the answer', async () => {
    const conv = personalConversation(users.bea);
    const listed = await t.say(conv, "parcel didn't come", users.bea);
    expect(findExecuteAction(firstCard(listed), 'delivery.selectOrder')?.data).toEqual({
      orderId: 'ORD-10430',
    });
    const drafted = await t.say(conv, 'ORD-10430', users.bea);
    expect(findExecuteAction(firstCard(drafted), 'ticket.confirm')).toBeDefined();
    const [draft] = await ticketsOf(conv.id);
    expect(draft).toMatchObject({ status: 'draft', category: 'delivery', orderId: 'ORD-10430' });
  });

  it('drafts at once when the message names the order', async () => {
    const conv = personalConversation();
    const sent = await t.say(conv, "the parcel for ORD-10421 hasn't turned up");
    expect(findExecuteAction(firstCard(sent), 'ticket.confirm')).toBeDefined();
    const [draft] = await ticketsOf(conv.id);
    expect(draft).toMatchObject({ status: 'draft', category: 'delivery', orderId: 'ORD-10421' });
  });

  it('with no order on its way says so and offers a ticket anyway or a person', async () => {
    const conv = personalConversation(users.dana);
    const sent = await t.say(conv, 'my package never arrived', users.dana);
    expect(allText(sent)).toMatch(/None of your orders is on its way/);
    const card = firstCard(sent);
    expect(findExecuteAction(card, 'handoff.request')).toBeDefined();
    const anyway = findExecuteAction(card, 'delivery.ticketWithoutOrder');
    expect(anyway).toBeDefined();
    expect(await ticketsOf(conv.id)).toHaveLength(0);

    const res = await invoke(conv, 'delivery.ticketWithoutOrder', anyway!.data, users.dana);
    expect(findExecuteAction(res.body?.value, 'ticket.confirm')).toBeDefined();
    const [draft] = await ticketsOf(conv.id);
    expect(draft).toMatchObject({ status: 'draft', category: 'delivery' });
    expect(draft.orderId).toBeUndefined();
  });

  it("refuses a tampered pick of someone else's order, like an unknown one, and drafts nothing", async () => {
    const conv = personalConversation();
    const res = await invoke(conv, 'delivery.selectOrder', { orderId: 'ORD-10430' });
    expect(JSON.stringify(res.body)).toMatch(/couldn.t find order ORD-10430/);
    expect(await ticketsOf(conv.id)).toHaveLength(0);
  });

  it('does not list personal orders in a group chat', async () => {
    const conv = groupChat();
    const sent = await t.say(conv, 'my package never arrived');
    const reply = allText(sent);
    expect(reply).toMatch(/1:1 chat/);
    expect(reply).not.toMatch(/ORD-\d+/);
    expect(sent.flatMap(cardsOf)).toHaveLength(0);
  });
});
