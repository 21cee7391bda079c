import { describe, expect, it } from 'vitest';
import {
  asksAboutOwnRefund,
  asksAboutOwnWarranty,
  asksToChangeOrder,
  asksToTrack,
  asksWhatWasPaid,
  cancelledOrders,
  cancelledRefundLines,
  changeOrderLine,
  warrantyStartLine,
} from '../../src/nlu/orderQuestions';
import { translator } from '../../src/text/i18n';

describe('asksAboutOwnWarranty', () => {
  it.each([
    'is my headset under warranty?',
    'is it still covered by the guarantee',
    'does the warranty still cover my keyboard',
    'when does my monitor warranty run out',
    'the speaker I ordered, is it in warranty',
    '我的耳机还在保修期内吗',
  ])('"%s" asks about something the user bought', (text) => expect(asksAboutOwnWarranty(text)).toBe(true));

  it.each([
    'what is the warranty on laptops?',
    'how long is the warranty',
    'do tents have a lifetime warranty',
    '保修政策是什么',
  ])('"%s" asks what the warranty is, for anyone', (text) => expect(asksAboutOwnWarranty(text)).toBe(false));
});

describe('warrantyStartLine', () => {
  const order = {
    id: 'ORD-1',
    orderedAt: '2026-11-10T10:00:00Z',
    status: 'delivered',
    items: [{ name: 'Desk lamp' }],
  };
  it('names the delivery day, or says the order has not arrived', () => {
    const tr = translator('en');
    expect(warrantyStartLine({ ...order, deliveredAt: '2026-11-12T15:00:00Z' }, tr)).toBe(
      'Order ORD-1 (Desk lamp) was delivered on 2026-11-12.',
    );
    expect(warrantyStartLine({ ...order, status: 'shipped' }, tr)).toBe(
      'Order ORD-1 (Desk lamp) has not been delivered yet.',
    );
    expect(warrantyStartLine({ ...order, deliveredAt: '2026-11-12T15:00:00Z' }, translator('zh-CN'))).toMatch(
      /送达/,
    );
  });
});

describe('asksAboutOwnRefund after a cancellation', () => {
  it.each([
    'what about my refund for the order I cancelled',
    'will I be refunded for my cancelled order?',
    'I cancelled it last week, do I get a refund',
  ])('"%s" asks about the user\'s own refund', (text) => expect(asksAboutOwnRefund(text)).toBe(true));

  it.each(['how do refunds work if I cancel an order?', 'can I cancel ORD-10422'])('"%s" is not', (text) =>
    expect(asksAboutOwnRefund(text)).toBe(false),
  );
});

describe('cancelledOrders and cancelledRefundLines', () => {
  const now = Date.parse('2026-12-04T12:00:00Z');
  const cancelled = (id: string, cancelledAt: string) => ({
    id,
    orderedAt: '2026-10-01T10:00:00Z',
    status: 'cancelled',
    cancelledAt,
    items: [{ name: 'Desk lamp' }],
  });
  const orders = [
    cancelled('ORD-1', '2026-10-02T10:00:00Z'),
    cancelled('ORD-2', '2026-12-01T10:00:00Z'),
    { id: 'ORD-3', orderedAt: '2026-12-01T10:00:00Z', status: 'processing', items: [{ name: 'Mug' }] },
  ];
  it('without a number: only the ones cancelled in the last 30 days; with one: that one, however old', () => {
    expect(cancelledOrders(orders, undefined, now).map((o) => o.id)).toEqual(['ORD-2']);
    expect(cancelledOrders(orders, 'ORD-1', now).map((o) => o.id)).toEqual(['ORD-1']);
    expect(cancelledOrders(orders, 'ORD-3', now)).toEqual([]);
  });
  it('says nothing was charged, in both languages', () => {
    expect(cancelledRefundLines([orders[1]!], translator('en'))[0]).toBe(
      'Order ORD-2 (Desk lamp) was cancelled on 2026-12-01 before it shipped, so you are not charged for it: there is no refund to wait for.',
    );
    expect(cancelledRefundLines([orders[1]!], translator('zh-CN'))[0]).toMatch(/ORD-2.*取消.*不会向您收费/);
  });
});

describe('asksToChangeOrder and changeOrderLine', () => {
  it.each([
    'can I modify my order',
    'i want to edit ORD-10422',
    'I need to change the headset order',
    'can I add another item to my order?',
    'please remove the mouse from my order',
    '我想修改订单',
  ])('"%s" asks to change what was ordered', (text) => expect(asksToChangeOrder(text)).toBe(true));

  it.each([
    'can I change the delivery address of my order?',
    'change my order to express shipping',
    'can I change or cancel my order',
    'I want to change my password',
    'change the payment method for my order',
  ])('"%s" is something else (the documents or another action)', (text) =>
    expect(asksToChangeOrder(text)).toBe(false),
  );

  it("offers what can be done instead, by the order's state", () => {
    const tr = translator('en');
    const order = { id: 'ORD-9', orderedAt: '2026-12-01T10:00:00Z', items: [{ name: 'Mug' }] };
    expect(changeOrderLine({ ...order, status: 'processing' }, tr)).toMatch(
      /hasn't shipped yet.*"cancel ORD-9"/,
    );
    expect(changeOrderLine({ ...order, status: 'shipped' }, tr)).toMatch(
      /already shipped.*"start a return for ORD-9"/,
    );
    expect(changeOrderLine({ ...order, status: 'delivered' }, tr)).toMatch(
      /delivered.*"start a return for ORD-9"/,
    );
    expect(changeOrderLine({ ...order, status: 'cancelled' }, tr)).toBe(
      'Order ORD-9 is cancelled, so there is nothing left to change.',
    );
    expect(changeOrderLine({ ...order, status: 'processing' }, translator('zh-CN'))).toMatch(
      /还没有发货.*取消 ORD-9/,
    );
  });
});

describe('the own refund, typed with 帐 for 账', () => {
  it('is a refund question either way', () => {
    expect(asksAboutOwnRefund('我那笔退款到帐了没')).toBe(true);
    expect(asksAboutOwnRefund('钱多久能到帐')).toBe(true);
  });
});

describe('asksWhatWasPaid', () => {
  it('is what an order cost, not a price the documents give', () => {
    for (const text of [
      'how much did I pay for the monitor?',
      'what was the total of ORD-10421',
      '这个订单多少钱',
    ])
      expect(asksWhatWasPaid(text), text).toBe(true);
    for (const text of [
      'how much is the home office stipend',
      'how much is express shipping?',
      'how much is the travel allowance per day',
      '报销额度是多少钱',
    ])
      expect(asksWhatWasPaid(text), text).toBe(false);
  });
});

describe('asksToTrack', () => {
  it('hears when something was or will be delivered', () => {
    for (const text of [
      'when was the headset delivered?',
      'when did my headset arrive?',
      'track the keyboard',
    ])
      expect(asksToTrack(text), text).toBe(true);
    expect(asksToTrack('how do I return an item?')).toBe(false);
  });
});
