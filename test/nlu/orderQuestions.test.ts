import { describe, expect, it } from 'vitest';
import { asksAboutOwnWarranty, warrantyStartLine } from '../../src/nlu/orderQuestions';
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
