import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { groupChat, personalConversation, users } from '../helpers/activities';
import type { ConnectorCall } from '../helpers/connector';
import { cardsOf, cardText } from '../helpers/cards';

/**
 * "my headphones broke" when two of the customer's delivered orders hold headphones: the bot asks
 * which order (listing both, with suggested replies in a 1:1 chat) instead of guessing or dropping
 * the order, and the answer ("the second one", "ORD-…", "the one from October") continues the
 * broken-item flow: delivery day, return window, warranty term (cited) and the offer of a ticket,
 * as for one match. Through the real server in embedded mode. Alex's sample orders: ORD-10395
 * (over-ear headphones, delivered) and ORD-10388 (headset, delivered); this file adds ORD-20001
 * (studio headphones) and ORD-20002 (gaming headset), delivered long ago.
 */
let t: BotUnderTest;
const DAY_MS = 24 * 60 * 60 * 1000;
const placedAgo = (days: number) => new Date(Date.now() - days * DAY_MS);
const STUDIO_PLACED = placedAgo(60);
beforeAll(async () => {
  t = await startBotUnderTest({
    ...freshKnowledgeIndex('kb-broken-which-'),
    RATE_LIMIT_USER_PER_MIN: '1000',
  });
  for (const [id, name, placed] of [
    ['ORD-20001', 'Studio headphones', STUDIO_PLACED],
    ['ORD-20002', 'Gaming headset', placedAgo(90)],
  ] as const)
    await t.bot.stores.containers.orders.items.upsert({
      id,
      ownerAadObjectId: users.alex.aadObjectId,
      customerName: users.alex.name,
      status: 'delivered',
      currency: 'EUR',
      items: [{ sku: `SKU-${id}`, name, quantity: 1, price: 99 }],
      orderedAt: placed.toISOString(),
      shippedAt: new Date(placed.getTime() + DAY_MS).toISOString(),
      deliveredAt: new Date(placed.getTime() + 3 * DAY_MS).toISOString(),
    });
}, 120_000);
afterAll(async () => {
  await t?.stop();
});
beforeEach(() => t.connector.reset());

const textOf = (calls: ConnectorCall[]) => calls.map((c) => String(c.activity.text ?? '')).join('\n');
const suggested = (calls: ConnectorCall[]) =>
  calls.flatMap((c) => ((c.activity as any).suggestedActions?.actions ?? []).map((a: any) => a.value));
const cited = (calls: ConnectorCall[]) =>
  calls
    .flatMap((c) => (c.activity.entities ?? []).flatMap((e: any) => e.citation ?? []))
    .map((c: any) => String(c.appearance?.name ?? ''));

describe('a broken item that two orders hold', () => {
  it('asks which order, with the orders as suggested replies, and the second one continues', async () => {
    const conv = personalConversation();
    const asked = await t.say(conv, 'my headphones broke');
    const question = textOf(asked);
    expect(question).toMatch(/Which order do you mean\?.*ORD-10395.*ORD-20001/s);
    // Nothing is decided yet: no return window, no warranty, no ticket offer.
    expect(question).not.toMatch(/warranty|support ticket/i);
    expect(suggested(asked)).toEqual(['ORD-10395', 'ORD-20001']);

    const picked = await t.say(conv, 'the second one');
    const reply = textOf(picked);
    expect(reply).toMatch(/Order ORD-20001 \(Studio headphones\) was delivered on/);
    expect(reply).not.toMatch(/ORD-10395/);
    expect(reply).toMatch(/2-year limited warranty/);
    expect(reply).toMatch(/shall I open a support ticket about it\?/);
    expect(cited(picked).join(' ')).toMatch(/Product warranty/);
    expect(suggested(picked)).toEqual([]);

    // "yes" drafts the ticket about the problem first reported, as for one match.
    const draft = (await t.say(conv, 'yes')).flatMap(cardsOf).map(cardText).join('\n');
    expect(draft).toMatch(/Review your ticket/);
    expect(draft).toMatch(/my headphones broke/);
    // The draft names the order picked.
    expect(draft).toContain('ORD-20001');
    expect(draft).not.toContain('ORD-10395');
  });

  it('"the headset I bought stopped working" asks too, and a typed order number answers', async () => {
    const conv = personalConversation();
    const question = textOf(await t.say(conv, 'the headset I bought stopped working'));
    expect(question).toMatch(/Which order do you mean\?.*ORD-10388.*ORD-20002/s);
    const reply = textOf(await t.say(conv, 'ORD-10388'));
    expect(reply).toMatch(/Order ORD-10388 \(Noise-cancelling headset\) was delivered on/);
    expect(reply).toMatch(/It can still be returned until .*start a return for ORD-10388/);
    expect(reply).toMatch(/shall I open a support ticket about it\?/);
  });

  it('"the one from <month>" picks the order placed then', async () => {
    const conv = personalConversation();
    await t.say(conv, 'my headphones stopped working');
    const month = STUDIO_PLACED.toLocaleString('en', { month: 'long', timeZone: 'UTC' });
    const reply = textOf(await t.say(conv, `the one from ${month}`));
    expect(reply).toMatch(/Order ORD-20001 \(Studio headphones\) was delivered on/);
    expect(reply).toMatch(/2-year limited warranty/);
  });

  it('a question in between is answered and the order question asked again; then the flow goes on', async () => {
    const conv = personalConversation();
    await t.say(conv, 'my headphones broke');
    const digression = textOf(await t.say(conv, 'how long is the warranty?'));
    expect(digression).toMatch(/2-year limited warranty/);
    expect(digression).toMatch(/Now, which order number\?/);
    const reply = textOf(await t.say(conv, 'ORD-10395'));
    expect(reply).toMatch(/Order ORD-10395 .* was delivered on/);
    expect(reply).toMatch(/shall I open a support ticket about it\?/);
  });

  it("someone else's order number is not one of theirs: the question stands", async () => {
    const conv = personalConversation();
    await t.say(conv, 'my headphones broke');
    const other = textOf(await t.say(conv, 'ORD-10430'));
    expect(other).toMatch(/I couldn't match that to one of your orders\. Which order number\?/);
    expect(other).not.toMatch(/USB4|docking/i);
    expect(textOf(await t.say(conv, 'the first one'))).toMatch(/Order ORD-10395 .* was delivered on/);
  });

  it('"both of them": the delivery of each order and return window, the warranty term once, then the offer', async () => {
    const conv = personalConversation();
    await t.say(conv, 'my headphones broke');
    const reply = textOf(await t.say(conv, 'both of them'));
    expect(reply).toMatch(
      /Order ORD-10395 .* was delivered on[^]*Order ORD-20001 \(Studio headphones\) was delivered on/,
    );
    expect(reply.match(/2-year limited warranty/g)).toHaveLength(1);
    expect(reply).toMatch(/shall I open a support ticket about it\?/);
  });

  it('"never mind" leaves the question: no ticket, nothing waits', async () => {
    const conv = personalConversation();
    await t.say(conv, 'my headphones broke');
    expect(textOf(await t.say(conv, 'never mind'))).toMatch(/I won't open a ticket/);
    expect((await t.say(conv, 'yes')).flatMap(cardsOf)).toHaveLength(0);
  });

  it('in a group chat no order of the member is listed: the plain offer of a ticket', async () => {
    const calls = await t.say(groupChat(), 'my headphones broke', users.alex);
    expect(textOf(calls)).not.toMatch(/ORD-/);
    expect(suggested(calls)).toEqual([]);
  });
});
