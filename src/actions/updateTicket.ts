import { logger } from '../observability/logger';
import { ticketViewFor } from './assignTicket';
import type { ActionDeps } from './deps';
import { ticketNotFound, ticketsUnavailableIn, translatorFor } from './messages';
import { parseToolArgs } from './schemas';
import { type ActionHandler, failure } from './types';

const label = (status: string) => status.replace(/_/g, ' ');

/**
 * update_ticket(ticketId, status, comment?): support agents (tickets.update.any) move any ticket;
 * everyone else may only close a ticket of their own (a foreign ticket reads as unknown). The
 * requester is told through the notification outbox, unless they made the change themselves.
 */
export function createUpdateTicket(deps: Pick<ActionDeps, 'tickets' | 'rbac'>): ActionHandler {
  return async (ctx, rawArgs) => {
    const args = parseToolArgs('update_ticket', rawArgs);
    if (!args.ok) return failure('invalid_arguments', args.error);
    const { ticketId, status, comment } = args.value;
    const agent = deps.rbac.hasPermission(ctx.roles, 'tickets.update.any');
    if (!agent && status !== 'closed')
      return failure(
        'forbidden',
        `Only the support team can set a ticket to ${label(status)}. You can close your own ticket if you no longer need it.`,
      );
    try {
      const result = await deps.tickets.changeStatus(
        ticketId,
        { status, comment, by: `${agent ? 'agent' : 'requester'}:${ctx.user.aadObjectId}` },
        { aadObjectId: ctx.user.aadObjectId, canViewAll: agent },
      );
      switch (result.outcome) {
        case 'not_found':
          return failure('not_found', ticketNotFound(ticketId, translatorFor(ctx)));
        case 'refused':
          return failure(
            'forbidden',
            `Ticket ${ticketId} is ${label(result.ticket.status)} and cannot be moved to ${label(status)}.`,
          );
        case 'unchanged':
          return {
            ok: true,
            summary: `Ticket ${ticketId} is already ${label(result.ticket.status)}; nothing changed.`,
            data: ticketViewFor(result.ticket, ctx, deps.rbac),
          };
        case 'changed': {
          const own = result.ticket.requester.aadObjectId === ctx.user.aadObjectId;
          return {
            ok: true,
            summary: `Ticket ${ticketId} is now ${label(result.ticket.status)}.${own ? '' : ' I have let the requester know.'}`,
            data: ticketViewFor(result.ticket, ctx, deps.rbac),
          };
        }
      }
    } catch (err) {
      logger.error({ err: String(err) }, 'update_ticket failed');
      return failure('unavailable', ticketsUnavailableIn(translatorFor(ctx)));
    }
  };
}
