import type { TicketListView } from './listMyTickets';

/**
 * The tickets a tool's outcome showed the user, in the order shown (a list newest first, or the one
 * ticket of a status card), so "I'll take the first one" or "what's the latest on that ticket?"
 * can name them next turn. Empty for tools that show no ticket.
 */
export function ticketIdsShown(tool: string, data: unknown): string[] {
  if (data === null || typeof data !== 'object') return [];
  switch (tool) {
    case 'list_my_tickets':
      return ((data as TicketListView).tickets ?? []).map((t) => t.ticketId).filter(isTicketId);
    case 'get_ticket_status':
    case 'update_ticket':
    case 'assign_ticket': {
      const id = (data as { ticketId?: unknown }).ticketId;
      return isTicketId(id) ? [id] : [];
    }
    default:
      return [];
  }
}

function isTicketId(id: unknown): id is string {
  return typeof id === 'string' && /^TKT-\d+$/.test(id);
}

/** What "it" and "the second one" refer to next turn: the tickets just shown, and the last list. */
export type TicketsShown = { ids: string[]; list?: string[] };

/**
 * The tickets shown after `tool` ran, given what was shown before: a ticket card opened from the
 * list just shown ("add a note to the first one") keeps that list, so "the second one" still means
 * its second row while "it" is the ticket on the card. Undefined when the tool showed no ticket.
 */
export function ticketsShownAfter(
  previous: TicketsShown | undefined,
  tool: string,
  data: unknown,
): TicketsShown | undefined {
  const ids = ticketIdsShown(tool, data);
  if (!ids.length) return undefined;
  if (tool === 'list_my_tickets') return { ids, list: ids };
  const list = previous?.list;
  return list && ids.every((id) => list.includes(id)) ? { ids, list } : { ids };
}
