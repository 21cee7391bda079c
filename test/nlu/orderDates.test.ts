import { describe, expect, it } from 'vitest';
import { orderDateRange } from '../../src/nlu/orderDates';
import { resolveOrderReference, splitOrderIds, splitRequests } from '../../src/nlu/dialogue';
import { declinesOffer, reportsProblemOnly } from '../../src/nlu/problemReport';

// Thursday 3 December 2026, noon UTC.
const NOW = Date.parse('2026-12-03T12:00:00Z');
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe('order dates as people say them', () => {
  it('turns relative days, weeks, months and named months into spans', () => {
    expect(orderDateRange('the one I bought yesterday', NOW)).toEqual({
      from: day('2026-12-02'),
      to: day('2026-12-03'),
    });
    // Weeks start on Monday: last week is 23–29 November.
    expect(orderDateRange('what I ordered last week', NOW)).toEqual({
      from: day('2026-11-23'),
      to: day('2026-11-30'),
    });
    expect(orderDateRange('my order from last month', NOW)).toEqual({
      from: day('2026-11-01'),
      to: day('2026-12-01'),
    });
    // A month without a year is the latest one not in the future.
    expect(orderDateRange('my order from November', NOW)).toEqual({
      from: day('2026-11-01'),
      to: day('2026-12-01'),
    });
    expect(orderDateRange('the one from march', NOW)).toEqual({
      from: day('2026-03-01'),
      to: day('2026-04-01'),
    });
    expect(orderDateRange('the one I placed in december', NOW)).toEqual({
      from: day('2026-12-01'),
      to: day('2027-01-01'),
    });
    expect(orderDateRange('my July 2024 order', NOW)).toEqual({
      from: day('2024-07-01'),
      to: day('2024-08-01'),
    });
    expect(orderDateRange('上周买的那个', NOW)).toEqual({ from: day('2026-11-23'), to: day('2026-11-30') });
    expect(orderDateRange('十一月的订单', NOW)).toEqual({ from: day('2026-11-01'), to: day('2026-12-01') });
    expect(orderDateRange('the one with the monitor', NOW)).toBeUndefined();
    expect(orderDateRange('I may return it', NOW)).toBeUndefined();
  });

  it('resolves a date against the given orders, asks between several, and keeps an item named', () => {
    const orders = [
      { id: 'ORD-1', orderedAt: '2026-11-25T09:00:00Z', status: 'shipped', items: [{ name: 'Desk lamp' }] },
      {
        id: 'ORD-2',
        orderedAt: '2026-11-24T09:00:00Z',
        status: 'shipped',
        items: [{ name: 'Office chair' }],
      },
      {
        id: 'ORD-3',
        orderedAt: '2026-12-02T09:00:00Z',
        status: 'processing',
        items: [{ name: 'Desk lamp' }],
      },
    ];
    expect(resolveOrderReference('the one I bought yesterday', orders, NOW)).toMatchObject({
      order: { id: 'ORD-3' },
    });
    const lastWeek = resolveOrderReference('my order from last week', orders, NOW);
    expect(lastWeek).toMatchObject({ kind: 'ambiguous' });
    expect(lastWeek.kind === 'ambiguous' && lastWeek.candidates.map((o) => o.id)).toEqual(['ORD-1', 'ORD-2']);
    expect(resolveOrderReference('the lamp I ordered last week', orders, NOW)).toMatchObject({
      order: { id: 'ORD-1' },
    });
    expect(resolveOrderReference('my last order from last week', orders, NOW)).toMatchObject({
      order: { id: 'ORD-1' },
    });
    // An item not ordered then: no match, not whatever else was ordered then.
    expect(resolveOrderReference('the chair I ordered yesterday', orders, NOW).kind).toBe('none');
    expect(resolveOrderReference('my order from June 2024', orders, NOW).kind).toBe('none');
  });
});

describe('two requests and offers', () => {
  it('splits an action from a question, and one action on two orders', () => {
    expect(splitRequests('cancel ORD-10422 and also tell me the return window')).toEqual([
      'cancel ORD-10422',
      'tell me the return window',
    ]);
    expect(splitRequests('track ORD-10421. Also, how long do refunds take?')).toEqual([
      'track ORD-10421',
      'how long do refunds take?',
    ]);
    expect(splitOrderIds('cancel ORD-10422 and ORD-10430 please')).toEqual([
      'cancel ORD-10422 please',
      'cancel ORD-10430 please',
    ]);
    expect(splitOrderIds('where is ORD-10421?')).toBeUndefined();
  });

  it('tells a declined offer and a bare problem report from a ticket request', () => {
    for (const no of ['no thanks', 'not now', 'nope', '不用了', '不用了，谢谢', '算了'])
      expect(declinesOffer(no), no).toBe(true);
    for (const other of ['no, the screen also flickers when docked', '好的', 'yes please'])
      expect(declinesOffer(other), other).toBe(false);
    expect(reportsProblemOnly('我的笔记本屏幕一直闪屏')).toBe(true);
    expect(reportsProblemOnly('帮我开个工单，打印机坏了')).toBe(false);
    expect(reportsProblemOnly('please open a ticket: my laptop keeps crashing')).toBe(false);
  });
});

describe('an order named by the day it was placed', () => {
  it('reads "3 November", "the 25th of November" and "November 25th, 2025" as that day, a day either side', () => {
    expect(orderDateRange('return the order from 3 November', NOW)).toEqual({
      from: day('2026-11-02'),
      to: day('2026-11-05'),
    });
    expect(orderDateRange('the 25th of November order', NOW)).toEqual({
      from: day('2026-11-24'),
      to: day('2026-11-27'),
    });
    expect(orderDateRange('my order from November 25th, 2025', NOW)).toEqual({
      from: day('2025-11-24'),
      to: day('2025-11-27'),
    });
  });

  it('takes a day later in the year than today as last year', () => {
    expect(orderDateRange('the one I bought on 20 December', NOW)).toEqual({
      from: day('2025-12-19'),
      to: day('2025-12-22'),
    });
  });
});
