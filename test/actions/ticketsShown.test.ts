import { describe, expect, it } from 'vitest';
import { ticketIdsShown } from '../../src/actions/ticketsShown';

describe('ticketIdsShown', () => {
  it('a list in the order shown; one ticket of a status card; nothing for other tools or bad data', () => {
    const list = {
      kind: 'ticket_list',
      scope: 'queue',
      tickets: [{ ticketId: 'TKT-000002' }, { ticketId: 'TKT-000001' }],
    };
    expect(ticketIdsShown('list_my_tickets', list)).toEqual(['TKT-000002', 'TKT-000001']);
    expect(ticketIdsShown('get_ticket_status', { ticketId: 'TKT-000007', title: 'x' })).toEqual([
      'TKT-000007',
    ]);
    expect(ticketIdsShown('assign_ticket', { ticketId: 'TKT-000007' })).toEqual(['TKT-000007']);
    expect(ticketIdsShown('get_order_status', { id: 'ORD-1' })).toEqual([]);
    expect(ticketIdsShown('get_ticket_status', { ticketId: '<script>' })).toEqual([]);
    expect(ticketIdsShown('list_my_tickets', null)).toEqual([]);
  });
});
