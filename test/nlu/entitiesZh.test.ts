import { describe, expect, it } from 'vitest';
import { extractChineseEntities, extractEntities, extractEntitiesFor } from '../../src/nlu';

describe('Chinese entities', () => {
  it.each([
    ['查一下订单 ORD-10421', { orderId: 'ORD-10421' }],
    ['帮我查查订单10388', { orderId: 'ORD-10388' }],
    ['订单号：１０４２１到哪了', { orderId: 'ORD-10421' }],
    ['10422这个订单现在什么状态', { orderId: 'ORD-10422' }],
    ['工单号000123进度', { ticketId: 'TKT-000123' }],
    ['工单123怎么样了', { ticketId: 'TKT-000123' }],
    ['45号工单处理了吗', { ticketId: 'TKT-000045' }],
    ['查一下工单TKT-000007', { ticketId: 'TKT-000007' }],
  ])('finds the ids in %s', (text, expected) => {
    const found = extractEntitiesFor(text, 'zh-CN');
    expect({ orderId: found.orderId, ticketId: found.ticketId }).toEqual({
      orderId: undefined,
      ticketId: undefined,
      ...expected,
    });
  });

  it('does not read a ticket number as an order number', () => {
    expect(extractChineseEntities('工单号10421')).toMatchObject({ ticketId: 'TKT-010421' });
    expect(extractChineseEntities('工单号10421').orderId).toBeUndefined();
  });

  it.each([
    ['帮我开个工单,打印机坏了,很紧急', 'critical'],
    ['加急处理一下', 'critical'],
    ['网站打不开了，急', 'critical'],
    ['优先级高，VPN连不上', 'high'],
    ['高优先级的工单', 'high'],
    ['请尽快处理', 'high'],
    ['普通问题，鼠标有点不灵', 'medium'],
    ['不紧急，有空再处理', 'low'],
    ['低优先级，键盘有个键松了', 'low'],
    ['不急', 'low'],
  ])('maps the priority of %s to %s, as the English words map (urgent → critical)', (text, priority) => {
    expect(extractEntitiesFor(text, 'zh-CN').priority).toBe(priority);
  });

  it('maps urgent in both languages to the same value', () => {
    expect(extractEntities('this is urgent').priority).toBe(
      extractEntitiesFor('这个很紧急', 'zh-CN').priority,
    );
  });

  it('finds categories in Chinese', () => {
    expect(extractEntitiesFor('打印机坏了', 'zh-CN').category).toBe('technical');
    expect(extractEntitiesFor('我被重复扣款了', 'zh-CN').category).toBe('billing');
    expect(extractEntitiesFor('账号登录不了', 'zh-CN').category).toBe('account');
  });

  it('leaves English turns to the English extractor alone', () => {
    for (const text of ['order 10421 is late, urgent', 'ticket 123 please', 'TKT-000001 p1', 'no rush']) {
      expect(extractEntitiesFor(text, 'en')).toEqual(extractEntities(text));
    }
  });

  it('has nothing to say about empty or non-string input', () => {
    expect(extractChineseEntities('')).toEqual({});
    expect(extractChineseEntities(undefined as unknown as string)).toEqual({});
  });
});
