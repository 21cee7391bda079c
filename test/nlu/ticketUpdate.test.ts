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
  ])('%s', (text, expected) => {
    expect(parseTicketUpdate(text)).toEqual(expected);
  });

  it.each([
    'Status of TKT-000123',
    'is TKT-000123 closed?',
    'what happened to TKT-000123 after you resolved it',
    'close',
  ])('is not an update: %s', (text) => {
    expect(parseTicketUpdate(text)).toBeUndefined();
  });
});
