import { logger } from '../observability/logger';
import { ticketViewFor } from './assignTicket';
import type { ActionDeps } from './deps';
import { ticketNotFound, ticketsUnavailableIn, translatorFor } from './messages';
import { parseToolArgs } from './schemas';
import { type ActionHandler, failure } from './types';

/** get_ticket_status(ticketId): own tickets only, any for holders of tickets.read.any. Data: the ticket. */
export function createGetTicketStatus(deps: Pick<ActionDeps, 'tickets' | 'rbac'>): ActionHandler {
  return async (ctx, rawArgs) => {
    const args = parseToolArgs('get_ticket_status', rawArgs);
    if (!args.ok) return failure('invalid_arguments', args.error);
    const { ticketId } = args.value;
    try {
      const ticket = await deps.tickets.getForViewer(ticketId, {
        aadObjectId: ctx.user.aadObjectId,
        canViewAll: deps.rbac.hasPermission(ctx.roles, 'tickets.read.any'),
      });
      if (!ticket) return failure('not_found', ticketNotFound(ticketId, translatorFor(ctx)));
      const status = ticket.status.replace(/_/g, ' ');
      const assignee = ticket.assignee ? ` Assigned to ${ticket.assignee.name ?? 'a support agent'}.` : '';
      return {
        ok: true,
        summary: `Ticket ${ticketId} ("${ticket.title}") is ${status}; priority ${ticket.priority}.${assignee}`,
        data: ticketViewFor(ticket, ctx, deps.rbac),
      };
    } catch (err) {
      logger.error({ err: String(err) }, 'get_ticket_status failed');
      return failure('unavailable', ticketsUnavailableIn(translatorFor(ctx)));
    }
  };
}
