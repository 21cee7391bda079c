import { logger } from '../observability/logger';
import type { CreatedTicket } from '../tickets/ticket';
import { ticketViewFor } from './assignTicket';
import type { ActionDeps } from './deps';
import { ticketNotFound, ticketsUnavailableIn, translatorFor } from './messages';
import { parseToolArgs } from './schemas';
import { type ActionHandler, failure } from './types';

const label = (status: string) => status.replace(/_/g, ' ');

/**
 * update_ticket(ticketId, status?, comment?): support agents (tickets.update.any) move any ticket
 * or add a note to it; everyone else may only close a ticket of their own or add a note to it (a
 * foreign ticket reads as unknown). Without a status it is a note: the comment is stored in the
 * ticket's history and the status stays. The requester is told through the notification outbox,
 * unless they made the change themselves.
 */
export function createUpdateTicket(deps: Pick<ActionDeps, 'tickets' | 'rbac'>): ActionHandler {
  return async (ctx, rawArgs) => {
    const args = parseToolArgs('update_ticket', rawArgs);
    if (!args.ok) return failure('invalid_arguments', args.error);
    const { ticketId, status, comment } = args.value;
    if (!status && !comment)
      return failure('invalid_arguments', 'Invalid arguments: a note needs a comment (or give a status)');
    const agent = deps.rbac.hasPermission(ctx.roles, 'tickets.update.any');
    const tr = translatorFor(ctx);
    const viewOf = (ticket: CreatedTicket, note?: string) => ({
      ...ticketViewFor(ticket, ctx, deps.rbac),
      ...(note ? { note } : {}),
    });
    if (!agent && status && status !== 'closed')
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
            status
              ? `Ticket ${ticketId} is ${label(result.ticket.status)} and cannot be moved to ${label(status)}.`
              : tr.t('notes.closed', { ticketId }),
          );
        case 'unchanged': {
          const summary = status
            ? `Ticket ${ticketId} is already ${label(result.ticket.status)}; nothing changed.`
            : tr.t('notes.unchanged', { ticketId });
          return { ok: true, summary, data: viewOf(result.ticket, status ? undefined : summary) };
        }
        case 'changed': {
          const own = result.ticket.requester.aadObjectId === ctx.user.aadObjectId;
          const summary = status
            ? `Ticket ${ticketId} is now ${label(result.ticket.status)}.${own ? '' : ' I have let the requester know.'}`
            : `${tr.t('notes.added', { ticketId, status: tr.t(`ticketStatus.${result.ticket.status}`).toLowerCase() })}${own ? '' : tr.t('assign.requesterTold')}`;
          // A note leaves the card looking as before: the line above it says what happened.
          return { ok: true, summary, data: viewOf(result.ticket, status ? undefined : summary) };
        }
      }
    } catch (err) {
      logger.error({ err: String(err) }, 'update_ticket failed');
      return failure('unavailable', ticketsUnavailableIn(translatorFor(ctx)));
    }
  };
}
