import { logger } from '../observability/logger';
import type { CreatedTicket } from '../tickets/ticket';
import type { ActionDeps } from './deps';
import { ticketsUnavailableIn, translatorFor } from './messages';
import { parseToolArgs } from './schemas';
import { type ActionHandler, failure } from './types';

/**
 * What list_my_tickets returns for the Teams layer to draw. `queueRefused`: the caller asked for
 * the support queue (or its unassigned part) without tickets.read.any and got their own tickets.
 * 'assigned': a support agent's "my tickets", the open tickets assigned to them.
 */
export type TicketListView = {
  kind: 'ticket_list';
  scope: 'mine' | 'queue' | 'assigned' | 'unassigned';
  tickets: CreatedTicket[];
  queueRefused?: true;
};

/**
 * list_my_tickets(scope): the caller's own tickets, or (holders of tickets.read.any) the queue of
 * everyone's open and in-progress tickets or its unassigned part. A support agent's "mine" (holders
 * of tickets.assign.any) is their work: the tickets assigned to them; "filed" is anyone's own
 * requests. Asking for the queue without the permission is not an error: "what tickets are open?"
 * from a customer means theirs, so they get their own list.
 */
export function createListMyTickets(deps: Pick<ActionDeps, 'tickets' | 'rbac'>): ActionHandler {
  return async (ctx, rawArgs) => {
    const args = parseToolArgs('list_my_tickets', rawArgs);
    if (!args.ok) return failure('invalid_arguments', args.error);
    const viewer = {
      aadObjectId: ctx.user.aadObjectId,
      canViewAll: deps.rbac.hasPermission(ctx.roles, 'tickets.read.any'),
    };
    const agent = deps.rbac.hasPermission(ctx.roles, 'tickets.assign.any');
    const asked = args.value.scope;
    const scope = asked === 'mine' && agent ? 'assigned' : asked === 'filed' ? 'mine' : asked;
    try {
      const team = scope === 'mine' ? undefined : await deps.tickets.list(viewer, scope);
      const view: TicketListView = team
        ? { kind: 'ticket_list', scope, tickets: team }
        : {
            kind: 'ticket_list',
            scope: 'mine',
            tickets: (await deps.tickets.list(viewer, 'mine')) ?? [],
            ...(scope !== 'mine' ? { queueRefused: true as const } : {}),
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
  const list = lines.join(', ');
  switch (view.scope) {
    case 'queue':
      return lines.length === 0
        ? 'The support queue is empty: no open tickets.'
        : `${lines.length} open ticket(s) in the queue, newest first: ${list}.`;
    case 'assigned':
      return lines.length === 0
        ? 'No open tickets are assigned to you.'
        : `${lines.length} open ticket(s) assigned to you, newest first: ${list}.`;
    case 'unassigned':
      return lines.length === 0
        ? 'Every open ticket has an assignee.'
        : `${lines.length} open ticket(s) without an assignee, newest first: ${list}.`;
    case 'mine':
      return lines.length === 0
        ? `${refused}You have no support tickets.`
        : `${refused}You have ${lines.length} ticket(s), newest first: ${list}.`;
  }
}
