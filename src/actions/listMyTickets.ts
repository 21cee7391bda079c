import { logger } from '../observability/logger';
import type { CreatedTicket } from '../tickets/ticket';
import type { ActionDeps } from './deps';
import { ticketsUnavailableIn, translatorFor } from './messages';
import { parseToolArgs } from './schemas';
import { type ActionHandler, failure } from './types';

/**
 * What list_my_tickets returns for the Teams layer to draw. `queueRefused`: the caller asked for
 * the support queue without tickets.read.any and got their own tickets instead.
 */
export type TicketListView = {
  kind: 'ticket_list';
  scope: 'mine' | 'queue';
  tickets: CreatedTicket[];
  queueRefused?: true;
};

/**
 * list_my_tickets(scope): the caller's own tickets, or (holders of tickets.read.any) the queue of
 * everyone's open and in-progress tickets. Asking for the queue without the permission is not an
 * error: "what tickets are open?" from a customer means theirs, so they get their own list.
 */
export function createListMyTickets(deps: Pick<ActionDeps, 'tickets' | 'rbac'>): ActionHandler {
  return async (ctx, rawArgs) => {
    const args = parseToolArgs('list_my_tickets', rawArgs);
    if (!args.ok) return failure('invalid_arguments', args.error);
    const viewer = {
      aadObjectId: ctx.user.aadObjectId,
      canViewAll: deps.rbac.hasPermission(ctx.roles, 'tickets.read.any'),
    };
    try {
      const queue = args.value.scope === 'queue' ? await deps.tickets.list(viewer, 'queue') : undefined;
      const view: TicketListView = queue
        ? { kind: 'ticket_list', scope: 'queue', tickets: queue }
        : {
            kind: 'ticket_list',
            scope: 'mine',
            tickets: (await deps.tickets.list(viewer, 'mine')) ?? [],
            ...(args.value.scope === 'queue' ? { queueRefused: true as const } : {}),
          };
      return { ok: true, summary: summarise(view), data: view };
    } catch (err) {
      logger.error({ err: String(err) }, 'list_my_tickets failed');
      return failure('unavailable', ticketsUnavailableIn(translatorFor(ctx)));
    }
  };
}

/** The text the model reads (ids, titles and statuses; the card shows the rest). */
function summarise(view: TicketListView): string {
  const lines = view.tickets.map((t) => `${t.ticketId} "${t.title}" (${t.status.replace(/_/g, ' ')})`);
  const refused = view.queueRefused ? 'Only support agents can see the whole ticket queue. ' : '';
  if (view.scope === 'queue')
    return lines.length === 0
      ? 'The support queue is empty: no open tickets.'
      : `${lines.length} open ticket(s) in the queue, newest first: ${lines.join(', ')}.`;
  return lines.length === 0
    ? `${refused}You have no support tickets.`
    : `${refused}You have ${lines.length} ticket(s), newest first: ${lines.join(', ')}.`;
}
