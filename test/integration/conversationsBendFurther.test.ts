import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { groupChat, message, personalConversation, users, type ConversationRef } from '../helpers/activities';
import type { ConnectorCall } from '../helpers/connector';
import { cardsOf, cardText, hasCardAction, shownText } from '../helpers/cards';
import { embeddedRepliesFor } from '../../src/planner/embeddedModel';

/**
 * More of "conversations that bend" (issue #12) through the real server in embedded mode: two
 * requests in one message (an order action with a policy question, one action on two orders, a
 * second request that waits for the first one's question), the user's own orders named by when they
 * were placed, Chinese problem reports offered a ticket before one is drafted, and a stray "yes" in
 * a group chat that is nobody's answer.
 * Sample data: Alex owns ORD-10421 (shipped), ORD-10422 (processing) and ORD-10388 (delivered);
 * this file adds orders for Dana at fixed dates in 2024 and relative to now.
 */
let t: BotUnderTest;
const DAY_MS = 24 * 60 * 60 * 1000;

async function addOrder(id: string, owner: string, orderedAt: string, item: string, status = 'processing') {
  await t.bot.stores.containers.orders.items.upsert({
    id,
    ownerAadObjectId: owner,
    customerName: 'Dana Lee',
    status,
    currency: 'EUR',
    items: [{ sku: `SKU-${id}`, name: item, quantity: 1, price: 10 }],
    orderedAt,
  });
}

beforeAll(async () => {
  t = await startBotUnderTest({
    ...freshKnowledgeIndex('kb-bend-further-'),
    RATE_LIMIT_USER_PER_MIN: '1000',
  });
  const dana = users.dana.aadObjectId;
  await addOrder('ORD-52001', dana, '2024-03-05T10:00:00Z', 'Standing desk', 'delivered');
  await addOrder('ORD-52002', dana, '2024-03-20T10:00:00Z', 'Desk lamp', 'delivered');
  await addOrder('ORD-52003', dana, '2024-07-10T10:00:00Z', 'Monitor arm', 'delivered');
  // Exactly a week ago is always in the previous calendar week; a day ago always yesterday (UTC).
  await addOrder('ORD-52004', dana, new Date(Date.now() - 7 * DAY_MS).toISOString(), 'Label printer');
  await addOrder('ORD-52005', dana, new Date(Date.now() - DAY_MS).toISOString(), 'USB hub');
}, 120_000);
afterAll(async () => {
  await t?.stop();
});
beforeEach(() => t.connector.reset());

const say = async (conv: ConversationRef, text: string, user = users.alex) =>
  shownText(await t.say(conv, text, user));
const cardTitles = (calls: ConnectorCall[]) => calls.flatMap(cardsOf).map(cardText).join('\n');

describe('two requests in one message', () => {
  it('runs the cancellation (its confirmation card) and answers the policy question', async () => {
    const calls = await t.say(
      personalConversation(),
      'please cancel ORD-10422, and could you tell me how long refunds take',
    );
    expect(hasCardAction(calls, 'order.cancelConfirm')).toBe(true);
    expect(cardTitles(calls)).toMatch(/ORD-10422/);
    const text = shownText(calls);
    expect(text).toMatch(/About your other request:/);
    expect(text).toMatch(/business days|24 hours/);
    // Not the return check the word "refund" used to start.
    expect(text).not.toMatch(/nothing to return/i);

    // The question first, the action second: both again.
    const reversed = await t.say(
      personalConversation(),
      'how much does express shipping cost and cancel ORD-10422',
    );
    expect(hasCardAction(reversed, 'order.cancelConfirm')).toBe(true);
    expect(shownText(reversed)).toMatch(/14\.95/);
  });

  it('does one action on two orders, each with its own outcome', async () => {
    const calls = await t.say(personalConversation(), 'could you cancel ORD-10422 and ORD-10421 please');
    expect(hasCardAction(calls, 'order.cancelConfirm')).toBe(true);
    // ORD-10421 has shipped: its refusal is shown, not swallowed by the other order's card.
    expect(shownText(calls)).toMatch(/ORD-10421 has already shipped/);
    const lookups = await t.say(personalConversation(), 'what is the status of ORD-10421 and ORD-10388?');
    const titles = cardTitles(lookups);
    expect(titles).toMatch(/ORD-10421/);
    expect(titles).toMatch(/ORD-10388/);
  });

  it('keeps the second request waiting while the first one needs an answer, then takes it up', async () => {
    const conv = personalConversation();
    const first = await say(conv, 'I need to cancel an order, and I would like to return something too');
    expect(first).toMatch(/Which order do you want to cancel\?/);
    expect(first).toMatch(/I'll come back to your other request \(“I would like to return something too”\)/);
    const cancelled = await t.say(conv, 'ORD-10422');
    expect(hasCardAction(cancelled, 'order.cancelConfirm')).toBe(true);
    expect(shownText(cancelled)).toMatch(/About your other request: .*which order/i);
    const why = await say(conv, 'ORD-10388');
    expect(why).toMatch(/Why are you returning order ORD-10388\?/);
  });
});

describe('the user’s own orders named by when they were placed', () => {
  it('resolves a month, asks between two orders of one month, and knows yesterday and last week', async () => {
    const conv = personalConversation(users.dana);
    const july = await say(conv, 'where is my order from July 2024?', users.dana);
    expect(july).toMatch(/ORD-52003/);
    expect(july).not.toMatch(/ORD-5200[12]/);

    const march = await say(conv, 'what is the status of the one I ordered in March 2024', users.dana);
    expect(march).toMatch(/which order do you mean/i);
    expect(march).toMatch(/ORD-52001 \(Standing desk; 2024-03-05\)/);
    expect(march).toMatch(/ORD-52002 \(Desk lamp; 2024-03-20\)/);
    expect(march).not.toMatch(/ORD-52003|ORD-52004/);
    expect(await say(conv, 'ORD-52002', users.dana)).toMatch(/delivered/i);

    // "the most recent one" after the question means the newer of the two offered, not the newest order.
    const again = personalConversation(users.dana);
    expect(await say(again, 'what is the status of the one I ordered in March 2024', users.dana)).toMatch(
      /which order do you mean/i,
    );
    const newest = await say(again, 'the most recent one', users.dana);
    expect(newest).toMatch(/ORD-52002/);
    expect(newest).not.toMatch(/ORD-52005/);

    const tracking = personalConversation(users.dana);
    expect(await say(tracking, 'I want to check on an order', users.dana)).toMatch(/which order number/i);
    expect(await say(tracking, 'the one I bought yesterday', users.dana)).toMatch(/ORD-52005/);
    const lastWeek = await say(
      personalConversation(users.dana),
      'where is what I ordered last week?',
      users.dana,
    );
    expect(lastWeek).toMatch(/ORD-52004/);
    expect(lastWeek).not.toMatch(/ORD-52005/);
  });

  it('never resolves to another user’s order', async () => {
    const conv = personalConversation(users.carl);
    const reply = await say(conv, 'where is my order from March 2024?', users.carl);
    expect(reply).not.toMatch(/ORD-5200\d|Standing desk|Desk lamp/);
    expect(reply).toMatch(/couldn't match that to one of your orders/i);
    expect(reply).toMatch(/which order number/i);
  });
});

describe('a problem reported in Chinese', () => {
  const zh = embeddedRepliesFor('zh-CN');
  it('is offered a ticket first; 好的 drafts it, 不用了 declines', async () => {
    const conv = personalConversation();
    const offered = await t.say(conv, '我的笔记本屏幕一直闪屏');
    expect(shownText(offered)).toContain(zh.notFoundOfferTicket);
    expect(hasCardAction(offered, 'ticket.confirm')).toBe(false);
    const drafted = await t.say(conv, '好的');
    expect(hasCardAction(drafted, 'ticket.confirm')).toBe(true);
    expect(cardTitles(drafted)).toMatch(/闪屏/);

    const other = personalConversation();
    expect(shownText(await t.say(other, '打印机一直连不上蓝牙'))).toContain(zh.notFoundOfferTicket);
    const declined = await t.say(other, '不用了，谢谢');
    expect(hasCardAction(declined, 'ticket.confirm')).toBe(false);
    expect(shownText(declined)).toContain(zh.offerDeclined);
    // Nothing waits any more: a later 好的 drafts nothing.
    expect(hasCardAction(await t.say(other, '好的'), 'ticket.confirm')).toBe(false);

    // Asking for a ticket in so many words still drafts at once.
    expect(
      hasCardAction(await t.say(personalConversation(), '帮我开个工单：扫描仪开不了机'), 'ticket.confirm'),
    ).toBe(true);
  });
});

describe('a stray "yes" in a group chat', () => {
  const en = embeddedRepliesFor('en');
  it('gets a short reply, never acts on another member’s offer, and is not answered unless addressed', async () => {
    const conv = groupChat();
    expect(await say(conv, 'my laptop screen is flickering', users.alex)).toContain(en.notFoundOfferTicket);
    for (const stray of ['yes', 'ok']) {
      const calls = await t.say(conv, stray, users.carl);
      expect(hasCardAction(calls, 'ticket.confirm')).toBe(false);
      expect(shownText(calls)).toContain(en.nothingPending);
      expect(shownText(calls)).not.toContain(en.outOfScope);
    }
    // Not addressed to the bot (no @mention): nothing at all.
    const unaddressed = message(t.connector.url, conv, 'yes', { user: users.carl });
    expect((await t.post(unaddressed)).status).toBe(200);
    expect(t.connector.messages(conv.id).filter((c) => c.activityId === unaddressed.id)).toHaveLength(0);
    // Alex's offer is still his: his "yes" drafts the ticket.
    const drafted = await t.say(conv, 'yes', users.alex);
    expect(hasCardAction(drafted, 'ticket.refresh')).toBe(true);
  });
});
