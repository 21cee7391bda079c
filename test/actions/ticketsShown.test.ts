import { describe, expect, it } from 'vitest';
import { ticketIdsShown, ticketsShownAfter } from '../../src/actions/ticketsShown';

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

describe('ticketsShownAfter', () => {
  const list = {
    kind: 'ticket_list',
    scope: 'queue',
    tickets: [{ ticketId: 'TKT-000002' }, { ticketId: 'TKT-000001' }],
  };

  it('a card of a ticket from the list just shown keeps the list ("the second one" after "the first one")', () => {
    const listed = ticketsShownAfter(undefined, 'list_my_tickets', list);
    expect(listed).toEqual({ ids: ['TKT-000002', 'TKT-000001'], list: ['TKT-000002', 'TKT-000001'] });
    const card = ticketsShownAfter(listed, 'update_ticket', { ticketId: 'TKT-000002' });
    expect(card).toEqual({ ids: ['TKT-000002'], list: ['TKT-000002', 'TKT-000001'] });
    expect(ticketsShownAfter(card, 'get_ticket_status', { ticketId: 'TKT-000001' })?.list).toEqual(
      listed?.list,
    );
  });

  it('a ticket not in the list starts afresh; a tool that shows no ticket changes nothing', () => {
    const listed = ticketsShownAfter(undefined, 'list_my_tickets', list);
    expect(ticketsShownAfter(listed, 'get_ticket_status', { ticketId: 'TKT-000009' })).toEqual({
      ids: ['TKT-000009'],
    });
    expect(ticketsShownAfter(listed, 'get_order_status', { id: 'ORD-10421' })).toBeUndefined();
  });
});
