import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { cardAction, personalConversation, users, type ConversationRef } from '../helpers/activities';
import type { ConnectorCall } from '../helpers/connector';
import { cardsOf, cardText, findExecuteAction, hasCardAction } from '../helpers/cards';

/**
 * A customer's questions about their own orders that the order data answers (issue #12, found by
 * trying the bot as Alex): the state of their refund, what they paid for the order just shown, an
 * order tracked by its item, a question asked with "can you also tell me …", a payment brand the
 * documents never name. Through the real server in embedded mode.
 * Sample data: Alex owns ORD-10421 (keyboard + mouse, €108.90), ORD-10422 (monitor, processing),
 * ORD-10395 (headphones …) and ORD-10388 (headset), none of them returned in this file; Carl gets a
 * delivered order here that he returns.
 */
let t: BotUnderTest;
const DAY_MS = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  t = await startBotUnderTest({
    ...freshKnowledgeIndex('kb-customer-questions-'),
    RATE_LIMIT_USER_PER_MIN: '1000',
  });
  await t.bot.stores.containers.orders.items.upsert({
    id: 'ORD-53001',
    ownerAadObjectId: users.carl.aadObjectId,
    customerName: 'Carl Ortiz',
    status: 'delivered',
    currency: 'EUR',
    items: [{ sku: 'TR-SHOE', name: 'Trail running shoes', quantity: 1, price: 120 }],
    orderedAt: new Date(Date.now() - 6 * DAY_MS).toISOString(),
    shippedAt: new Date(Date.now() - 5 * DAY_MS).toISOString(),
    deliveredAt: new Date(Date.now() - 3 * DAY_MS).toISOString(),
    carrier: 'DHL',
  });
}, 120_000);
afterAll(async () => {
  await t?.stop();
});
beforeEach(() => t.connector.reset());

const textOf = (calls: ConnectorCall[]) => calls.map((c) => String(c.activity.text ?? '')).join('\n');
const say = async (conv: ConversationRef, text: string, user = users.alex) =>
  textOf(await t.say(conv, text, user));
const citedTitles = (calls: ConnectorCall[]) =>
  calls
    .flatMap((c) => (c.activity.entities ?? []).flatMap((e: any) => e.citation ?? []))
    .map((c: any) => String(c.appearance?.name ?? ''));
const REFUND_TIMING = /5 to 10 business days/;

describe('the state of my refund', () => {
  it('without a return: says none is under way and when refunds arrive, never the ticket list', async () => {
    for (const text of [
      'whats the status of my refund',
      'any news on my refund?',
      'has my refund come through yet',
    ]) {
      const calls = await t.say(personalConversation(), text);
      const reply = textOf(calls);
      expect(reply, text).toMatch(/None of your orders has a return in progress/);
      expect(reply, text).toMatch(REFUND_TIMING);
      expect(citedTitles(calls).join(' '), text).toMatch(/Returns and refunds/i);
      expect(
        cardsOf(calls.find((c) => cardsOf(c).length))
          .map(cardText)
          .join(''),
        text,
      ).not.toMatch(/Your tickets/);
      // Not the return flow either.
      expect(reply, text).not.toMatch(/Which order do you want to return/);
    }
  });

  it('with a return confirmed: its order, items and RMA, then when the refund arrives; in Chinese too', async () => {
    const conv = personalConversation(users.carl);
    const sent = await t.say(conv, 'I would like to send back ORD-53001, they are too small', users.carl);
    const confirm = findExecuteAction(cardsOf(sent.find((c) => cardsOf(c).length))[0], 'order.returnConfirm');
    expect(confirm, textOf(sent)).toBeDefined();
    const res = await t.post(
      cardAction(t.connector.url, conv, 'order.returnConfirm', confirm!.data, users.carl),
    );
    const rmaId = /RMA-\d{6}/.exec(JSON.stringify(res.body))?.[0];
    expect(rmaId).toBeDefined();

    const reply = await say(conv, "where's my money for the shoes?", users.carl);
    expect(reply).toMatch(
      /Your return of order ORD-53001 \(Trail running shoes\) was requested on \d{4}-\d{2}-\d{2}/,
    );
    expect(reply).toContain(rmaId!);
    expect(reply).toMatch(REFUND_TIMING);
    // An order without a return named: said so, not the other order's return.
    const other = await say(conv, 'did the refund for ORD-10455 go through?', users.carl);
    expect(other).toMatch(/Order ORD-10455 has no return in progress/);
    expect(other).not.toMatch(/ORD-53001/);
    const zh = await say(conv, '我的退款怎么还没到账', users.carl);
    expect(zh).toMatch(/ORD-53001/);
    expect(zh).toContain(rmaId!);
    expect(zh).toMatch(/5 到 10 个工作日/);
  });

  it('after a cancellation: nothing was charged, so no refund to wait for — by number, by "the one I cancelled", or among returns', async () => {
    await t.bot.stores.containers.orders.items.upsert({
      id: 'ORD-53002',
      ownerAadObjectId: users.carl.aadObjectId,
      customerName: 'Carl Ortiz',
      status: 'processing',
      currency: 'EUR',
      items: [{ sku: 'LAMP', name: 'Desk lamp', quantity: 1, price: 30 }],
      orderedAt: new Date(Date.now() - DAY_MS).toISOString(),
    });
    const conv = personalConversation(users.carl);
    const card = cardsOf(
      (await t.say(conv, 'please cancel ORD-53002', users.carl)).find((c) => cardsOf(c).length),
    )[0];
    const confirm = findExecuteAction(card, 'order.cancelConfirm');
    expect(confirm).toBeDefined();
    await t.post(cardAction(t.connector.url, conv, 'order.cancelConfirm', confirm!.data, users.carl));
    const NOT_CHARGED =
      /Order ORD-53002 \(Desk lamp\) was cancelled on \d{4}-\d{2}-\d{2} before it shipped, so you are not charged for it/;
    for (const text of [
      'what about my refund for the order I cancelled?',
      'when will I get my money back for ORD-53002',
      'will I be refunded for the lamp?',
    ]) {
      const reply = await say(personalConversation(users.carl), text, users.carl);
      expect(reply, text).toMatch(NOT_CHARGED);
      expect(reply, text).not.toMatch(/Which order do you want to cancel/);
      expect(reply, text).not.toMatch(/ORD-53001/);
    }
    // Without a number: the return under way and the cancellation, then when refunds arrive.
    const all = await say(personalConversation(users.carl), 'any news on my refund?', users.carl);
    expect(all).toMatch(/Your return of order ORD-53001/);
    expect(all).toMatch(NOT_CHARGED);
    expect(all).toMatch(REFUND_TIMING);
  });

  it('a refund question while the bot waits for an order number is answered, then the question again', async () => {
    const conv = personalConversation();
    expect(await say(conv, 'I want to check on an order')).toMatch(/Which order number\?/);
    const reply = await say(conv, 'hang on, is my refund on its way?');
    expect(reply).toMatch(/None of your orders has a return in progress/);
    expect(reply).toMatch(/Now, which order number\?/);
    // The flow still waits for the number.
    expect(hasCardAction(await t.say(conv, '10421'), 'ticket.draftFromOrder')).toBe(true);
  });

  it('"how long do refunds take?" is still the policy, answered from the documents alone', async () => {
    const reply = await say(personalConversation(), 'how long do refunds take?');
    expect(reply).toMatch(REFUND_TIMING);
    expect(reply).not.toMatch(/return in progress/);
  });
});

describe('"when do I get my money back" asked with "can you also tell me"', () => {
  it('alone and after a cancellation card: the refund time from the returns document', async () => {
    for (const text of [
      'can you also tell me when i get my money back?',
      'could you tell me when I will see my refund',
    ]) {
      const reply = await say(personalConversation(), text);
      expect(reply, text).toMatch(REFUND_TIMING);
    }
    const conv = personalConversation();
    expect(hasCardAction(await t.say(conv, 'cancel ORD-10422'), 'order.cancelConfirm')).toBe(true);
    expect(await say(conv, 'and can you tell me when i get my money back?')).toMatch(REFUND_TIMING);
  });

  it('a policy question behind "please tell me" is searched without it', async () => {
    expect(await say(personalConversation(), 'please tell me how much express shipping costs')).toMatch(
      /14\.95/,
    );
  });
});

describe('what did I pay', () => {
  it('for the order just shown, from its data, not a sentence about duties', async () => {
    const conv = personalConversation();
    expect(hasCardAction(await t.say(conv, 'where is ORD-10421'), 'ticket.draftFromOrder')).toBe(true);
    for (const text of ['how much did I pay for that', 'what was the total?']) {
      const reply = await say(conv, text);
      expect(reply, text).toMatch(/Order ORD-10421 came to €108\.90/);
      expect(reply, text).toMatch(/2 × Ergonomic mouse \(€49\.00\)/);
      expect(reply, text).not.toMatch(/duties/i);
    }
  });

  it('for an order named by its item or number; shipping prices stay with the documents', async () => {
    expect(await say(personalConversation(), 'how much was the monitor?')).toMatch(
      /Order ORD-10422 came to €289\.00/,
    );
    expect(await say(personalConversation(), 'how much did ORD-10388 cost me')).toMatch(
      /Order ORD-10388 came to €149\.00/,
    );
    const shipping = await say(personalConversation(), 'how much does next-day delivery cost?');
    expect(shipping).toMatch(/24\.95/);
    expect(shipping).not.toMatch(/came to/);
  });

  it('someone else’s order is never priced for Alex', async () => {
    const reply = await say(personalConversation(), 'how much did ORD-10430 cost?');
    expect(reply).not.toMatch(/came to/);
    expect(reply).not.toMatch(/219/);
  });
});

describe('is my thing still under warranty', () => {
  it('an item named: the day its order was delivered, then the warranty term from the documents, cited', async () => {
    const calls = await t.say(
      personalConversation(),
      'is the headset I bought still covered under warranty?',
    );
    const reply = textOf(calls);
    // The sample ORD-10388 is delivered 14 days before today (UTC days; src/orders/seedOrders.ts).
    const delivered = new Date((Math.floor(Date.now() / DAY_MS) - 14) * DAY_MS).toISOString().slice(0, 10);
    expect(reply).toContain(`Order ORD-10388 (Noise-cancelling headset) was delivered on ${delivered}.`);
    expect(reply).toMatch(/2-year limited warranty .* starting on the date of delivery/);
    expect(citedTitles(calls).some((n) => /warranty/i.test(n))).toBe(true);
  });

  it('"it" after an order card is that order; not delivered yet is said so', async () => {
    const conv = personalConversation();
    await t.say(conv, 'show me ORD-10422');
    const reply = await say(conv, 'does the warranty cover it?');
    expect(reply).toMatch(/Order ORD-10422 \(27" QHD monitor\) has not been delivered yet/);
  });

  it('a general warranty question and someone else’s order get the documents only', async () => {
    const general = await say(personalConversation(), 'how long is the warranty on tents?');
    expect(general).not.toMatch(/was delivered on|not been delivered/);
    expect(general).toMatch(/lifetime warranty|2-year/);
    const others = await say(personalConversation(), 'is ORD-10430 still under warranty?');
    expect(others).not.toMatch(/ORD-10430 \(/);
    expect(others).not.toMatch(/docking station/i);
  });
});

describe('tracking an order by its item', () => {
  it('"track the keyboard", "where are my headphones" show that order', async () => {
    const cases: [string, string][] = [
      ['track the keyboard', 'ORD-10421'],
      ['can you trace my mouse', 'ORD-10421'],
      ['where are my headphones?', 'ORD-10395'],
      ['when was the headset delivered?', 'ORD-10388'],
      ['I also want to know when the headset was delivered', 'ORD-10388'],
    ];
    for (const [text, orderId] of cases) {
      const calls = await t.say(personalConversation(), text);
      const card = calls.flatMap(cardsOf).map(cardText).join('');
      expect(card, text).toContain(`Order ${orderId}`);
    }
  });

  it('a tracking question that names no item of hers stays a question for the documents', async () => {
    const calls = await t.say(personalConversation(), 'how do I track a parcel?');
    expect(calls.flatMap(cardsOf)).toHaveLength(0);
    expect(textOf(calls)).toMatch(/track/i);
    const rule = await t.say(personalConversation(), 'when are orders shipped if I order on a friday?');
    expect(rule.flatMap(cardsOf)).toHaveLength(0);
  });
});

describe('a payment brand the documents never name', () => {
  it('"do you take klarna" is refused, not answered with a tracking sentence', async () => {
    for (const text of ['do you take klarna', 'does the shop accept venmo?', 'do you take amex']) {
      const reply = await say(personalConversation(), text);
      expect(reply, text).toMatch(/couldn't find/);
      expect(reply, text).not.toMatch(/\[1\]/);
    }
  });
});

describe('orders named loosely', () => {
  it('a misspelt item and verb ("i ordred a keybord") still find the order', async () => {
    for (const text of ['hey, i ordred a keybord, wheres it?', 'where is the headphnes i bought']) {
      const card = (await t.say(personalConversation(), text)).flatMap(cardsOf).map(cardText).join('');
      expect(card, text).toMatch(text.includes('keybord') ? /Order ORD-10421/ : /Order ORD-10395/);
    }
    // A short word one letter off is no item: "my house" is not the mouse.
    expect(
      (await t.say(personalConversation(), 'where is my house key?')).flatMap(cardsOf).map(cardText).join(''),
    ).not.toMatch(/ORD-10421/);
  });

  it('the item a name is about wins over a word of another item: "the headset, my ears hurt"', async () => {
    const reply = await say(
      personalConversation(),
      'I would like to send the headset back, my ears hurt with it',
    );
    expect(reply).not.toMatch(/Which order do you mean/);
    expect(reply).toMatch(/ORD-10388/);
  });

  it('"wrong order, I meant …" picks the order and is not taken as the reason for the return', async () => {
    const conv = personalConversation();
    expect(await say(conv, 'I want to return the wireless thing')).toMatch(
      /Which order do you mean\?.*ORD-10421.*ORD-10395/s,
    );
    const reply = await say(conv, 'wrong order, i meant the headphones');
    expect(reply).toMatch(/Why are you returning order ORD-10395\?/);
  });

  it('"when will it arrive?" right after an order is shown is about that order', async () => {
    const conv = personalConversation();
    expect(hasCardAction(await t.say(conv, 'status of ORD-10421 please'), 'ticket.draftFromOrder')).toBe(
      true,
    );
    const again = await t.say(conv, 'ok and when will it get here?');
    expect(textOf(again)).not.toMatch(/Which order number/);
    expect(again.flatMap(cardsOf).map(cardText).join('')).toMatch(/Order ORD-10421.*Estimated delivery/s);
  });

  it('Chinese: items named in Chinese, and a bare 订单 + number is a lookup, not a cancellation', async () => {
    const monitor = (await t.say(personalConversation(), '我买的显示器什么时候能到')).flatMap(cardsOf);
    expect(monitor.map(cardText).join('')).toMatch(/订单 ORD-10422/);
    const conv = personalConversation();
    expect(await say(conv, '我想退掉耳机')).toMatch(/ORD-10395.*ORD-10388/s);
    expect(await say(conv, '头戴式的那个')).toMatch(/您为什么要退回订单 ORD-10395/);
    const bare = await t.say(personalConversation(), '订单ORD-10388');
    expect(hasCardAction(bare, 'order.cancelConfirm')).toBe(false);
    expect(textOf(bare)).not.toMatch(/无法再取消/);
    expect(bare.flatMap(cardsOf).map(cardText).join('')).toMatch(/订单 ORD-10388/);
    expect(await say(personalConversation(), '键盘那个订单花了多少钱')).toMatch(
      /订单 ORD-10421 共计 €108\.90/,
    );
  });
});

describe('more ways customers ask', () => {
  it('two requests: the order and what it cost; a policy question and where an order is', async () => {
    const both = await t.say(personalConversation(), 'can you check ORD-10388 and what did it cost me?');
    expect(both.flatMap(cardsOf).map(cardText).join('')).toMatch(/Order ORD-10388/);
    expect(textOf(both)).toMatch(/About your other request: Order ORD-10388 came to €149\.00/);
    const policyFirst = await t.say(
      personalConversation(),
      'what does express shipping cost, and where is ORD-10422?',
    );
    expect(textOf(policyFirst)).toMatch(/14\.95/);
    expect(policyFirst.flatMap(cardsOf).map(cardText).join('')).toMatch(/Order ORD-10422/);
  });

  it('a complaint about the refund is about the refund; a delivery date by item is that order', async () => {
    const late = await say(personalConversation(), 'my money still has not come back, so frustrating');
    expect(late).toMatch(/None of your orders has a return in progress/);
    expect(late).not.toMatch(/Which order do you want to return/);
    const eta = await t.say(personalConversation(), "what's the eta on the headphones?");
    expect(eta.flatMap(cardsOf).map(cardText).join('')).toMatch(/Order ORD-10395/);
    expect(await say(personalConversation(), '钱退了没')).toMatch(/没有进行中的退货/);
  });
});

describe('small things a person gets right', () => {
  it('an item from "my newest order" is the newest order with that item', async () => {
    const reply = await say(
      personalConversation(),
      "i'd like to send back the headset from my most recent order",
    );
    expect(reply).toMatch(/Why are you returning order ORD-10388\?/);
    expect(reply).not.toMatch(/ORD-10422/);
  });

  it('"thanks a lot for your help" is thanks, not the help menu', async () => {
    const reply = await say(personalConversation(), 'thanks a lot for your help');
    expect(reply).toMatch(/You're welcome/);
    expect(reply).not.toMatch(/Type \*\*reset\*\*/);
  });

  it('changing an order is not cancelling it', async () => {
    const calls = await t.say(personalConversation(), 'can I change my order?');
    expect(hasCardAction(calls, 'order.cancelConfirm')).toBe(false);
    expect(textOf(calls)).not.toMatch(/Which order do you want to cancel/);
    expect(textOf(calls)).toMatch(/change the delivery address/);
  });
});

describe('Chinese and help with an order', () => {
  it('two Chinese requests after 另外: the order card and the refund answer', async () => {
    const calls = await t.say(personalConversation(), '帮我查下ORD-10422，另外钱多久能退回来');
    expect(calls.flatMap(cardsOf).map(cardText).join('')).toMatch(/订单 ORD-10422/);
    expect(textOf(calls)).toMatch(/关于您的另一个请求/);
    expect(textOf(calls)).toMatch(/5 到 10 个工作日/);
  });

  it('asking about the return policy in Chinese is not a return of an order', async () => {
    const reply = await say(personalConversation(), '你好，我想问一下退货政策');
    expect(reply).not.toMatch(/您要退哪个订单/);
  });

  it('"help me with ORD-…" shows that order, not the menu', async () => {
    const calls = await t.say(personalConversation(), 'can you help me with ORD-10395');
    expect(calls.flatMap(cardsOf).map(cardText).join('')).toMatch(/Order ORD-10395/);
    expect(textOf(calls)).not.toMatch(/Type \*\*reset\*\*/);
  });
});

describe('"can I modify my order?" (no action changes an order)', () => {
  it('names what can be done instead, for the order meant, and the address rule while it is processing', async () => {
    const general = await t.say(personalConversation(), 'is it possible to modify my order?');
    const text = textOf(general);
    expect(text).toMatch(/I can't change what is in an order/);
    // Alex's only order still being processed is named, no other.
    expect(text).toMatch(/ORD-10422 \(27" QHD monitor\) hasn't shipped yet, so it can still be cancelled/);
    expect(text).not.toMatch(/ORD-10421|ORD-10388/);
    expect(text).toMatch(/change the delivery address until the order is packed/);
    expect(citedTitles(general).join(' ')).toMatch(/Shipping/i);

    const byNumber = await say(personalConversation(), 'i want to edit order 10422');
    expect(byNumber).toMatch(/I can't change the items of order ORD-10422.*Say "cancel ORD-10422"/);
    const byItem = await say(personalConversation(), 'can I add a cable to the headset order?');
    expect(byItem).toMatch(
      /Order ORD-10388 \(.*headset\) has been delivered, so it can no longer be changed/,
    );
    expect(byItem).not.toMatch(/delivery address/);
    // Someone else's order: not found, nothing about it.
    const foreign = await say(personalConversation(), 'can I amend ORD-53001');
    expect(foreign).not.toMatch(/Trail running shoes|has been delivered/);
  });

  it('in the middle of a flow: answered, then the question again', async () => {
    const conv = personalConversation();
    expect(await say(conv, 'I want to check on an order')).toMatch(/Which order number\?/);
    const reply = await say(conv, 'wait, can I still change my order?');
    expect(reply).toMatch(/I can't change what is in an order/);
    expect(reply).toMatch(/Now, which order number\?/);
  });
});

describe('a correction that names the order by its item', () => {
  it('"actually make that the headset instead" after a return card redoes the return on the headset order', async () => {
    const conv = personalConversation();
    const first = await t.say(conv, "i'd like to send the headphones back, they don't fit");
    expect(
      findExecuteAction(cardsOf(first.find((c) => cardsOf(c).length))[0], 'order.returnConfirm')?.data,
    ).toMatchObject({ orderId: 'ORD-10395' });
    const corrected = await t.say(conv, 'actually make that the headset instead');
    const card = cardsOf(corrected.find((c) => cardsOf(c).length))[0];
    expect(findExecuteAction(card, 'order.returnConfirm')?.data).toMatchObject({ orderId: 'ORD-10388' });
    // After a lookup, "sorry, I meant the monitor" looks the monitor order up.
    await t.say(conv, 'where is my keyboard order');
    const lookup = await t.say(conv, 'sorry, I meant the monitor');
    expect(
      cardsOf(lookup.find((c) => cardsOf(c).length))
        .map(cardText)
        .join(''),
    ).toMatch(/Order ORD-10422/);
  });
});

describe('something I bought stopped working', () => {
  it('a delivered item: when it came, until when it can be returned, the warranty (cited), and "yes" drafts a ticket', async () => {
    const conv = personalConversation();
    const calls = await t.say(conv, 'my headset died after 2 weeks, what can I do?');
    const reply = textOf(calls);
    expect(reply).toMatch(
      /Order ORD-10388 \(Noise-cancelling headset\) was delivered on \d{4}-\d{2}-\d{2}\./,
    );
    expect(reply).toMatch(
      /It can still be returned until \d{4}-\d{2}-\d{2}: say "start a return for ORD-10388"/,
    );
    expect(reply).toMatch(/2-year limited warranty/);
    expect(citedTitles(calls).some((n) => /warranty/i.test(n))).toBe(true);
    expect(reply).toMatch(/shall I open a support ticket about it\? Say "yes"/);
    const draft = await t.say(conv, 'yes please');
    const card = cardsOf(draft.find((c) => cardsOf(c).length))[0];
    expect(findExecuteAction(card, 'ticket.confirm')).toBeDefined();
    // Titled with the problem alone; the description keeps the whole message.
    expect(cardText(card)).toContain('"text":"My headset died after 2 weeks"');
  });

  it('an item not delivered yet, or one that is not hers, is not answered with a return window', async () => {
    const monitor = await say(personalConversation(), 'the monitor I ordered is broken');
    expect(monitor).not.toMatch(/can still be returned/);
    const shoes = await say(personalConversation(), 'my trail running shoes broke, what now?');
    expect(shoes).not.toMatch(/ORD-53001|can still be returned/);
  });
});

describe('questions about the rules worded like an order or ticket action', () => {
  const cites = (calls: ConnectorCall[], title: RegExp) =>
    expect(citedTitles(calls).join(' ')).toMatch(title);

  it('a deadline, the state an item may go back in, what tracking shows, an answered complaint: the documents answer', async () => {
    const cases: [string, RegExp][] = [
      ['how long do I have to change the shipping address on my order?', /until the order is packed/],
      ['can I return a bikini I tried on?', /hygiene or safety reasons/],
      [
        'the courier picked it up this morning but the tracking shows nothing yet',
        /Tracking information can take up to 24 hours/,
      ],
      ["I'm unhappy with the reply I got to my complaint", /ask for your case to be escalated/],
    ];
    for (const [text, answer] of cases) {
      const calls = await t.say(personalConversation(), text);
      expect(textOf(calls), text).toMatch(answer);
      expect(calls.flatMap(cardsOf), text).toHaveLength(0);
      cites(calls, /./);
    }
  });

  it('the same actions with an order named, or without a question about the rules, stay actions', async () => {
    expect(await say(personalConversation(), 'can I return ORD-10388? I tried it on')).toMatch(
      /Why are you returning order ORD-10388/,
    );
    expect(await say(personalConversation(), 'I want to return something')).toMatch(/Which order/);
    const missing = await t.say(personalConversation(), 'my package never arrived');
    expect(citedTitles(missing)).toHaveLength(0);
  });

  it('"how can I change my password" gets the reset sentence, as "how do I reset my password" does', async () => {
    for (const text of ['how can I change my password?', 'how do I pick a new password']) {
      const reply = await say(personalConversation(), text);
      expect(reply, text).toMatch(/self-service password reset portal/);
    }
  });
});

describe('a mishap with an order or a payment', () => {
  it('"I was charged twice" / "my discount code didn\'t work" get the offer of a ticket, not a nearby sentence', async () => {
    for (const text of ['I was charged twice for my order', "my discount code didn't work"]) {
      const conv = personalConversation();
      const calls = await t.say(conv, text);
      expect(textOf(calls), text).toMatch(/Shall I open a support ticket about it\?/);
      expect(calls.flatMap(cardsOf), text).toHaveLength(0);
      if (text.startsWith('I was')) {
        const drafted = await t.say(conv, 'yes');
        expect(drafted.flatMap(cardsOf).map(cardText).join(''), text).toMatch(/charged twice/i);
      }
    }
    // A parcel that arrived damaged is no missing parcel: the rule for damaged items, no delivery card.
    const damaged = await t.say(personalConversation(), 'package arrived damaged');
    expect(textOf(damaged)).toMatch(/report it within 7 days/);
    expect(damaged.flatMap(cardsOf)).toHaveLength(0);
    // A document that speaks of it still answers.
    const calls = await t.say(personalConversation(), 'they sent me the wrong item, what do I do?');
    expect(textOf(calls)).toMatch(/wrong item/);
  });
});
