import { describe, expect, it } from 'vitest';
import { parseTicketUpdate } from '../../src/nlu/ticketUpdate';

describe('parseTicketUpdate', () => {
  it.each([
    ['mark TKT-000123 as resolved: disk replaced', { status: 'resolved', comment: 'disk replaced' }],
    ['set ticket TKT-000123 to in progress', { status: 'in_progress' }],
    ['close ticket TKT-000123', { status: 'closed' }],
    ['resolve TKT-000123 with note: fixed the cable', { status: 'resolved', comment: 'fixed the cable' }],
    ['Mark TKT-000001 as done - replaced the screen', { status: 'resolved', comment: 'replaced the screen' }],
    [
      'please close my ticket TKT-000002, not needed anymore',
      { status: 'closed', comment: 'not needed anymore' },
    ],
    // The ticket just shown, by pronoun or place (the planner names it from what it showed).
    ['mark it as resolved: replacement sent', { status: 'resolved', comment: 'replacement sent' }],
    ['close that ticket', { status: 'closed' }],
    ['set the first one to in progress', { status: 'in_progress' }],
  ])('%s', (text, expected) => {
    expect(parseTicketUpdate(text)).toEqual(expected);
  });

  it.each([
    'Status of TKT-000123',
    'is TKT-000123 closed?',
    'what happened to TKT-000123 after you resolved it',
    'close',
    'close the window',
    'did you mark it as resolved?',
  ])('is not an update: %s', (text) => {
    expect(parseTicketUpdate(text)).toBeUndefined();
  });
});
