import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { cardAction, personalConversation, users, type ConversationRef } from '../helpers/activities';
import type { ConnectorCall } from '../helpers/connector';
import { cardsOf, cardText, findExecuteAction } from '../helpers/cards';

/**
 * "Conversations that bend" (issue #12) in embedded mode through the real server and connector:
 * digressions inside a flow, corrections, orders named by their content (own orders only), two
 * requests in one message, ids typed loosely, and small talk that neither fails nor cancels a flow.
 * Sample data: Alex owns ORD-10421 (keyboard + mouse, shipped), ORD-10422 (monitor, processing) and
 * ORD-10388 (headset, delivered); Carl owns ORD-10455 and ORD-10460; this file adds ORD-31001 for Alex.
 */
let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest({
    ...freshKnowledgeIndex('kb-bend-'),
    // Many turns of one user in a minute: above the default per-user rate limit.
    RATE_LIMIT_USER_PER_MIN: '1000',
  });
  await t.bot.stores.containers.orders.items.upsert({
    id: 'ORD-31001',
    ownerAadObjectId: users.alex.aadObjectId,
    customerName: 'Alex Customer',
    status: 'processing',
    currency: 'EUR',
    items: [{ sku: 'MS-110', name: 'Ergonomic mouse', quantity: 1, price: 24.5 }],
    orderedAt: '2025-01-05T09:00:00Z',
  });
}, 120_000);
afterAll(async () => {
  await t?.stop();
});
beforeEach(() => t.connector.reset());

const allText = (calls: ConnectorCall[]) =>
  calls.map((c) => `${String(c.activity.text ?? '')} ${cardsOf(c).map(cardText).join(' ')}`).join('\n');
const say = async (conv: ConversationRef, text: string, user = users.alex) =>
  allText(await t.say(conv, text, user));
const NOT_FOUND_KB = /couldn't find (?:anything|that) in the knowledge base/i;

async function returnsOf(orderId: string): Promise<unknown[]> {
  const { resources } = await t.bot.stores.containers.returns.items
    .query({ query: 'SELECT * FROM c WHERE c.orderId = @id', parameters: [{ name: '@id', value: orderId }] })
    .fetchAll();
  return resources;
}

describe('conversations that bend', () => {
  it('answers a question asked in the middle of an order lookup, then resumes the lookup', async () => {
    const conv = personalConversation();
    expect(await say(conv, 'can you look up an order for me?')).toMatch(/which order number/i);
    const digression = await say(conv, 'hang on, before that: how do I return an item?');
    expect(digression).toMatch(/30 days|return label|return items/i);
    expect(digression).toMatch(/Now, which order number\?/);
    expect(digression).not.toMatch(NOT_FOUND_KB);
    const resumed = await say(conv, 'it is ORD-10422');
    expect(resumed).toMatch(/ORD-10422/);
    expect(resumed).toMatch(/processing/i);

    // The same inside the ticket flow: the question is answered, nothing is drafted, the flow waits.
    const ticketConv = personalConversation();
    expect(await say(ticketConv, 'I need to raise a support ticket')).toMatch(/what's the problem/i);
    const answer = await t.say(ticketConv, 'quick question first: how much is express shipping?');
    expect(allText(answer)).toMatch(/14\.95/);
    expect(allText(answer)).toMatch(/Now, what's the problem\?/);
    expect(answer.some((c) => cardsOf(c).some((card) => findExecuteAction(card, 'ticket.confirm')))).toBe(
      false,
    );
    const drafted = await t.say(ticketConv, 'the label printer in the warehouse keeps jamming');
    expect(drafted.some((c) => cardsOf(c).some((card) => findExecuteAction(card, 'ticket.confirm')))).toBe(
      true,
    );

    // And inside a return: "why are you returning it?" waits while the phone hours are answered.
    const returnConv = personalConversation();
    expect(await say(returnConv, 'please start a return for order ORD-10388')).toMatch(
      /why are you returning/i,
    );
    const hours = await say(returnConv, 'by the way, which hours is phone support available?');
    expect(hours).toMatch(/8 am/);
    expect(hours).toMatch(/Now, why are you returning order ORD-10388\?/);
    const returned = await t.say(returnConv, 'the ear cushions are cracked');
    expect(
      returned.some((c) => cardsOf(c).some((card) => findExecuteAction(card, 'order.returnConfirm'))),
    ).toBe(true);
    expect(drafted.some((c) => cardsOf(c).some((card) => findExecuteAction(card, 'ticket.confirm')))).toBe(
      true,
    );
  });

  it('re-runs the last order action on the corrected order number', async () => {
    const conv = personalConversation();
    expect(await say(conv, 'any news on ORD-10421?')).toMatch(/shipped/i);
    const corrected = await say(conv, 'my bad, I meant ORD-10388');
    expect(corrected).toMatch(/ORD-10388/);
    expect(corrected).toMatch(/delivered/i);
    expect(corrected).not.toMatch(/order\.returnConfirm|order\.cancelConfirm|why are you returning/i);
    expect(await returnsOf('ORD-10388')).toHaveLength(0);
    const again = await say(conv, 'whoops, I meant ord 10422');
    expect(again).toMatch(/ORD-10422/);
    expect(again).toMatch(/processing/i);
  });

  it('resolves an order named by its content against the requester’s own orders only', async () => {
    const conv = personalConversation();
    expect(await say(conv, 'can you track an order for me')).toMatch(/which order number/i);
    const monitor = await say(conv, 'the one with the screen');
    expect(monitor).toMatch(/ORD-10422/);
    expect(monitor).toMatch(/processing/i);

    const latest = personalConversation();
    await say(latest, 'I want to see where an order is');
    expect(await say(latest, 'my most recent order')).toMatch(/ORD-10422/);

    // Two of Alex's orders have a mouse in them: the bot asks which, listing both.
    const ambiguous = personalConversation();
    await say(ambiguous, 'I want to see where an order is');
    const which = await say(ambiguous, 'the one with the mouse');
    expect(which).toMatch(/which order do you mean/i);
    expect(which).toMatch(/ORD-10421/);
    expect(which).toMatch(/ORD-31001/);
    expect(await say(ambiguous, 'ORD-31001')).toMatch(/processing/i);

    // Carl has no keyboard; Alex's keyboard order is neither resolved nor revealed to him.
    const carl = personalConversation(users.carl);
    await say(carl, 'I want to see where an order is', users.carl);
    const foreign = await say(carl, 'the one with the keyboard', users.carl);
    expect(foreign).not.toMatch(/keyboard|shipped|Alex/i);
    expect(foreign).toMatch(/couldn't match/i);
  });

  it('handles two requests in one message, asking what the second one needs', async () => {
    const hasDraft = (calls: ConnectorCall[]) =>
      calls.some((c) => cardsOf(c).some((card) => findExecuteAction(card, 'ticket.confirm')));
    // Both complete: the order's status and a ticket draft in the same turn.
    const conv = personalConversation();
    const both = await t.say(
      conv,
      'where is ORD-10421 and could you also open a ticket for my broken headset?',
    );
    expect(allText(both)).toMatch(/Order ORD-10421/);
    expect(allText(both)).toMatch(/shipped/i);
    expect(hasDraft(both)).toBe(true);
    expect(allText(both)).toMatch(/My broken headset/);

    // The second needs more: the first is answered, the second's question follows.
    const other = personalConversation();
    const first = await say(other, 'where is ORD-10422 and can you open a ticket about my printer?');
    expect(first).toMatch(/ORD-10422/);
    expect(first).toMatch(/processing/i);
    expect(first).toMatch(/About your other request: What's the problem\?/);
    const drafted = await t.say(other, 'the printer on floor two prints blank pages');
    expect(hasDraft(drafted)).toBe(true);
  });

  it('reads order and ticket numbers written in other forms', async () => {
    const conv = personalConversation();
    expect(await say(conv, 'where is my parcel order')).toMatch(/which order/i);
    const digits = await say(conv, '10421');
    expect(digits).toMatch(/ORD-10421/);
    expect(digits).toMatch(/shipped/i);
    expect(await say(conv, 'what is the status of ord-10388')).toMatch(/delivered/i);
    expect(await say(conv, 'and ORD 10422 please, what is its status')).toMatch(/processing/i);
    expect(await say(conv, 'status of order ORD-1042l')).toMatch(/ORD-10421/);

    // Tickets: file one, then give only its number when asked which ticket.
    const drafted = await t.say(conv, 'please open a ticket: my docking station does not charge my laptop');
    const card = drafted.flatMap((c) => cardsOf(c)).find((c) => findExecuteAction(c, 'ticket.confirm'));
    const confirm = findExecuteAction(card, 'ticket.confirm');
    const filed = await t.post(
      cardAction(t.connector.url, conv, 'ticket.confirm', confirm!.data, users.alex),
    );
    const ticketId = /TKT-(\d{6})/.exec(JSON.stringify(filed.body))?.[0];
    expect(ticketId).toBeDefined();
    // No number given: the one ticket's status card comes at once; its number typed next still works.
    expect(await say(conv, "what's the status of my ticket?")).toMatch(new RegExp(ticketId!));
    const byDigits = await say(conv, String(Number(ticketId!.slice(4))));
    expect(byDigits).toMatch(new RegExp(ticketId!));
    expect(byDigits).toMatch(/open/i);
    expect(await say(conv, `can you check tkt ${ticketId!.slice(4)}`)).toMatch(new RegExp(ticketId!));
  });

  it('answers thanks, greetings and frustration like a person, without cancelling a flow', async () => {
    const conv = personalConversation();
    for (const thanks of ['thanks!', 'great, thank you', 'cheers']) {
      const reply = await say(conv, thanks);
      expect(reply).toMatch(/you're welcome/i);
      expect(reply).not.toMatch(NOT_FOUND_KB);
    }
    expect(await say(conv, 'hi there')).toMatch(/hello/i);

    expect(await say(conv, 'I want to check an order')).toMatch(/which order number/i);
    const cheers = await say(conv, 'cheers');
    expect(cheers).not.toMatch(/stopped|nothing to cancel/i);
    expect(cheers).toMatch(/which order number/i);
    const vent = await say(conv, 'this is useless!!');
    expect(vent).not.toMatch(NOT_FOUND_KB);
    expect(vent).toMatch(/person|human|agent/i);
    const resumed = await say(conv, 'ORD-10421');
    expect(resumed).toMatch(/shipped/i);

    // A question between a confirm card and "ok go ahead": the card still waits for its Confirm.
    const card = await say(conv, 'i wanna cancle my monitor order');
    expect(card).toMatch(/Cancel order ORD-10422\?/);
    expect(await say(conv, 'wait, how long do refunds take?')).toMatch(/business days/);
    expect(await say(conv, 'ok go ahead')).toMatch(/press \*\*Confirm\*\* on the card above/);

    // About the order just shown, in other words than the classifier knows: that order's card again.
    expect(await say(conv, 'track the keyboard')).toMatch(/Order ORD-10421/);
    for (const question of ['is it going to arrive before friday?', 'what carrier is it with'])
      expect(await say(conv, question), question).toMatch(/Order ORD-10421/);

    // "never mind" drops the waiting question; the question after it is answered, not resumed from.
    expect(await say(conv, 'I want to check an order')).toMatch(/which order number/i);
    const after = await say(conv, 'nevermind. do you have a phone number?');
    expect(after).toMatch(/1-800-555-0142/);
    expect(after).not.toMatch(/which order number|nothing to cancel/i);

    // Asking for a person outright while a question waits is the hand-over itself, not an offer of it.
    expect(await say(conv, 'return ORD-10388')).toMatch(/Why are you returning order ORD-10388/);
    const handedOver = await say(conv, 'this is useless, i want a human');
    expect(handedOver).toMatch(/I've opened ticket TKT-\d+ so a person from our support team takes over/);
    expect(handedOver).not.toMatch(/Would you like to talk to a person/);
  });
});
