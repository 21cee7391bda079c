import { describe, expect, it } from 'vitest';
import { extractEntities } from '../../src/nlu';

describe('extractEntities', () => {
  it.each([
    ['where is ORD-10421', { orderId: 'ORD-10421' }],
    ['where is ord-10421?', { orderId: 'ORD-10421' }],
    ['status of order 10421', { orderId: 'ORD-10421' }],
    ['order #55012 please', { orderId: 'ORD-55012' }],
    ['order number 30219', { orderId: 'ORD-30219' }],
    ['ORD 77881 has not arrived', { orderId: 'ORD-77881' }],
    ['I have 3 orders', {}],
    ['order 123 is too short for an order id', {}],
    ['what about TKT-000123', { ticketId: 'TKT-000123' }],
    ['tkt-004512 any news', { ticketId: 'TKT-004512' }],
    ['ticket 123', { ticketId: 'TKT-000123' }],
    ['ticket #42 status', { ticketId: 'TKT-000042' }],
    ['case number 5561', { ticketId: 'TKT-005561' }],
    ['ticket 1234567 is not a ticket id', {}],
  ])('ids in %j', (text, expected) => {
    const { orderId, ticketId } = extractEntities(text);
    expect({ ...(orderId && { orderId }), ...(ticketId && { ticketId }) }).toEqual(expected);
  });

  it.each([
    ['this is low priority', 'low'],
    ['not urgent at all', 'low'],
    ['no rush on this one', 'low'],
    ['medium please', 'medium'],
    ['normal priority', 'medium'],
    ['high priority', 'high'],
    ['I need it ASAP', 'high'],
    ['as soon as possible please', 'high'],
    ['urgent!!', 'critical'],
    ['this is critical, production is down', 'critical'],
    ['emergency', 'critical'],
    ['where is my order', undefined],
  ])('priority in %j', (text, expected) => {
    expect(extractEntities(text).priority).toBe(expected);
  });

  it.each([
    ['I was charged twice', 'billing'],
    ['question about my invoice', 'billing'],
    ['the parcel never arrived, courier lost it', 'shipping'],
    ['delivery is late', 'shipping'],
    ['the item is defective', 'product'],
    ['my account is locked', 'account'],
    ['I cannot log in', 'account'],
    ['the app keeps crashing', 'technical'],
    ['website shows an error', 'technical'],
    ['my laptop is super slow, can someone look at it', 'technical'],
    ['the printer on the 3rd floor keeps jamming', 'technical'],
    ['my delivery is slow', 'shipping'],
    ['my payslip for November is wrong', 'hr'],
    ['question about my sick leave balance', 'hr'],
    ['something else, other', 'other'],
    ['hello there', undefined],
  ])('category in %j', (text, expected) => {
    expect(extractEntities(text).category).toBe(expected);
  });

  it('extracts everything from one message', () => {
    expect(extractEntities('open an urgent ticket for order ORD-88341, I was overcharged')).toEqual({
      orderId: 'ORD-88341',
      priority: 'critical',
      category: 'billing',
    });
  });

  it('does not read ids as priorities (p1 inside an id) and tolerates bad input', () => {
    expect(extractEntities('TKT-000001')).toEqual({ ticketId: 'TKT-000001' });
    expect(extractEntities('')).toEqual({});
    expect(extractEntities(undefined as unknown as string)).toEqual({});
    expect(extractEntities('order '.repeat(10_000))).toEqual({});
  });
});
