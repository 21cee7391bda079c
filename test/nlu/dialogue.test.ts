import { describe, expect, it } from 'vitest';
import {
  isCorrection,
  meansAllOffered,
  isQuestion,
  normaliseIds,
  correctsByReference,
  describesOrderByItem,
  mentionsOrderReference,
  resolveOrderReference,
  asksToContinue,
  smallTalk,
  splitRequests,
  withoutPreamble,
  productIsNotCancel,
} from '../../src/nlu/dialogue';

const orders = [
  { id: 'ORD-1', orderedAt: '2025-01-01T00:00:00Z', status: 'delivered', items: [{ name: 'Desk lamp' }] },
  {
    id: 'ORD-2',
    orderedAt: '2025-03-01T00:00:00Z',
    status: 'shipped',
    items: [{ name: 'Over-ear headset' }],
  },
  { id: 'ORD-3', orderedAt: '2025-02-01T00:00:00Z', status: 'processing', items: [{ name: 'Desk lamp' }] },
];

describe('dialogue moves', () => {
  it('tells small talk from requests', () => {
    expect(smallTalk('thank you so much!')).toBe('thanks');
    expect(smallTalk('cheers mate')).toBe('thanks');
    // Said to someone, or with a word on how it went.
    for (const thanks of ['thanks bot', 'thank you team!', 'thx, that helped', 'ok thanks guys'])
      expect(smallTalk(thanks), thanks).toBe('thanks');
    expect(smallTalk('bye bot')).toBe('farewell');
    expect(smallTalk('thanks, what does the bot do with my data?')).toBeUndefined();
    expect(smallTalk('good morning')).toBe('greeting');
    expect(smallTalk('thanks, and where is ORD-10421?')).toBeUndefined();
    expect(smallTalk('cancel')).toBeUndefined();
  });

  it('hears "go back to what we were doing" apart from "stop"', () => {
    for (const text of ['ok continue', "yes let's carry on", 'where were we?', 'go on please', '好的，继续'])
      expect(asksToContinue(text), text).toBe(true);
    for (const text of ["i don't want to continue", 'stop', 'continue to checkout page is broken'])
      expect(asksToContinue(text), text).toBe(false);
  });

  it('hears a goodbye, with or without thanks, in English and Chinese', () => {
    for (const bye of [
      'bye!',
      'ok thanks, bye',
      'Thnx, see you later',
      "that's all for now",
      'have a nice day 👋',
    ])
      expect(smallTalk(bye), bye).toBe('farewell');
    expect(smallTalk('再见')).toBe('farewell');
    expect(smallTalk('谢谢，拜拜')).toBe('farewell');
    expect(smallTalk('谢谢您!')).toBe('thanks');
    expect(smallTalk('您好')).toBe('greeting');
    // A request that happens to contain the words is not small talk.
    expect(smallTalk('bye the way, where is ORD-10421')).toBeUndefined();
    expect(smallTalk('see you tomorrow at the store on 5th avenue?')).toBeUndefined();
    expect(smallTalk('谢谢，我的订单在哪里')).toBeUndefined();
  });

  it('canonicalises loosely typed ids, bare digits only when a number is expected', () => {
    expect(normaliseIds('ord 10421')).toBe('ORD-10421');
    expect(normaliseIds('it is ORD-1O42l')).toBe('it is ORD-10421');
    expect(normaliseIds('10421')).toBe('10421');
    expect(normaliseIds('10421', 'orderId')).toBe('ORD-10421');
    expect(normaliseIds('number 7 please', 'ticketId')).toBe('number TKT-7 please');
    expect(normaliseIds('TKT-000007', 'orderId')).toBe('TKT-000007');
  });

  it('"the status of my order" asks about an order; "the lamp order" describes one', () => {
    expect(describesOrderByItem("what's the status of my order")).toBe(false);
    expect(describesOrderByItem('any update on the delivery date of my order?')).toBe(false);
    expect(describesOrderByItem('where is the lamp order')).toBe(true);
    expect(describesOrderByItem('the one with the monitor')).toBe(true);
  });

  it('recognises a correction that names the order by its item', () => {
    for (const text of [
      'actually make that the headset instead',
      'sorry, I meant the monitor',
      'no, my keyboard order',
      'the headphones instead',
    ])
      expect(correctsByReference(text), text).toBe(true);
    for (const text of ['the headset is broken', 'actually, how do returns work?', 'no thanks', 'sorry'])
      expect(correctsByReference(text), text).toBe(false);
  });

  it('recognises corrections only with an id', () => {
    expect(isCorrection('no wait, I meant ORD-10388')).toBe(true);
    expect(isCorrection('sorry, that should be ORD-10388')).toBe(true);
    expect(isCorrection('sorry, where is ORD-10388?')).toBe(false);
    expect(isCorrection('sorry, I meant the other one')).toBe(false);
  });

  it('resolves references among the given orders and reports ambiguity', () => {
    expect(resolveOrderReference('my latest order', orders)).toMatchObject({ order: { id: 'ORD-2' } });
    expect(resolveOrderReference('the headphones one', orders)).toMatchObject({ order: { id: 'ORD-2' } });
    const lamp = resolveOrderReference('the order with the lamp', orders);
    expect(lamp.kind).toBe('ambiguous');
    expect(lamp.kind === 'ambiguous' && lamp.candidates.map((o) => o.id)).toEqual(['ORD-3', 'ORD-1']);
    expect(resolveOrderReference('the one with the bicycle', orders).kind).toBe('none');
    expect(resolveOrderReference('my latest order', []).kind).toBe('none');
  });

  it('resolves an order by what happened to it: "the order I cancelled", "my returned one"', () => {
    const withStates = [
      ...orders,
      { id: 'ORD-4', orderedAt: '2025-03-05T00:00:00Z', status: 'cancelled', items: [{ name: 'Desk lamp' }] },
      { id: 'ORD-5', orderedAt: '2025-03-06T00:00:00Z', status: 'returned', items: [{ name: 'Kettle' }] },
    ];
    for (const text of ['the order I cancelled', 'my refund for the one we cancelled', 'my cancelled order'])
      expect(resolveOrderReference(text, withStates), text).toMatchObject({
        kind: 'one',
        order: { id: 'ORD-4' },
      });
    expect(resolveOrderReference('the one I sent back', withStates)).toMatchObject({
      order: { id: 'ORD-5' },
    });
    expect(resolveOrderReference('我取消的订单', withStates)).toMatchObject({ order: { id: 'ORD-4' } });
    // A state no order is in, and an item that no order in that state has: nothing.
    expect(resolveOrderReference('the order I cancelled', orders).kind).toBe('none');
    expect(resolveOrderReference('the headset order I cancelled', withStates).kind).toBe('none');
    expect(mentionsOrderReference('the one I cancelled')).toBe(true);
  });

  it('splits two requests and strips a lead-in before a question', () => {
    expect(splitRequests('cancel ORD-10422, and also can you list my orders')).toEqual([
      'cancel ORD-10422',
      'can you list my orders',
    ]);
    expect(splitRequests('the screen and the stand are both scratched')).toBeUndefined();
    expect(withoutPreamble('oh wait, first: how do refunds work?')).toBe('how do refunds work?');
    expect(isQuestion('actually, is there a fee for express shipping')).toBe(true);
    expect(isQuestion('ORD-10421')).toBe(false);
  });
});

describe('Chinese questions without 吗 or a question mark', () => {
  it('are questions by their question words, a statement with a bare 怎么 is not', () => {
    for (const text of ['换尺码要多久', '门店几点打烊', '包裹丢了怎么办', '能不能开发票'])
      expect(isQuestion(text), text).toBe(true);
    for (const text of ['尺码不合适', '不知道怎么说，就是坏了', 'ORD-10421'])
      expect(isQuestion(text), text).toBe(false);
  });

  it('splits a second request after 顺便问下', () => {
    expect(splitRequests('帮我查一下ORD-10388，顺便问下门店几点打烊')).toEqual([
      '帮我查一下ORD-10388',
      '门店几点打烊',
    ]);
  });
});

describe('noise-cancelling is a product, not a cancellation', () => {
  const reading = (intent: string) => ({
    intent,
    confidence: 0.6,
    ranking: [
      { intent, score: 0.6 },
      { intent: 'create_ticket', score: 0.3 },
    ],
  });
  it('takes the next intent when the only cancel word is in the product name', () => {
    expect(productIsNotCancel('noise-cancelling earbuds quit on me', reading('cancel_order')).intent).toBe(
      'create_ticket',
    );
    expect(productIsNotCancel('my noise cancelling headphones crackle', reading('cancel')).intent).toBe(
      'create_ticket',
    );
  });
  it('keeps a cancellation named besides it', () => {
    expect(productIsNotCancel('cancel the noise-cancelling earbuds', reading('cancel_order')).intent).toBe(
      'cancel_order',
    );
    expect(productIsNotCancel('please cancel ORD-10422', reading('cancel_order')).intent).toBe(
      'cancel_order',
    );
  });
});

describe('meansAllOffered (every order "Which order do you mean?" listed)', () => {
  it.each([
    'both',
    'both of them',
    'all of them',
    'oh, both of them are broken',
    '两个都坏了',
    '两个都',
    '都坏了',
  ])('"%s" means all of them', (text) => expect(meansAllOffered(text)).toBe(true));
  it.each([
    'the first one',
    'ORD-10388',
    'both of the headphones from my last order',
    'all the best',
    '第二个',
  ])('"%s" does not', (text) => expect(meansAllOffered(text)).toBe(false));
});
