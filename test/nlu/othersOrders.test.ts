import { describe, expect, it } from 'vitest';
import { asksForSomeoneElsesOrders } from '../../src/nlu/dialogue';

describe('asksForSomeoneElsesOrders', () => {
  it.each([
    'which orders does Bea have',
    'what did Carl Ortiz order',
    "show me Bea's orders",
    'list the orders for the customer',
    'orders placed by Dana',
    'can you show her orders',
    'which orders does alex have',
    "pull up carl's orders",
    "what's the status of alex's order?",
  ])('"%s" asks about someone else', (text) => expect(asksForSomeoneElsesOrders(text)).toBe(true));

  it.each([
    'show my orders',
    'what orders do I have',
    'list all my orders please',
    'orders',
    'which orders have I placed',
    "where is yesterday's order",
    "what happened to last week's order?",
    'where is my order from March 2024?',
    'orders from Monday',
  ])('"%s" asks about the asker\'s own', (text) => expect(asksForSomeoneElsesOrders(text)).toBe(false));
});
