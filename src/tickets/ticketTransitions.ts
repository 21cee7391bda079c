import type { CreatedTicket, TicketStatus, TicketUpdate } from './ticket';

/** The statuses a created ticket can be moved to (by the ticket system or a support agent). */
export const TICKET_UPDATE_STATUSES = ['in_progress', 'resolved', 'closed'] as const;
type TicketUpdateStatus = (typeof TICKET_UPDATE_STATUSES)[number];

/** How many updates a ticket document keeps (the oldest are dropped; the seq keeps counting). */
export const MAX_TICKET_UPDATES = 50;

/**
 * Allowed moves. A closed ticket is final (no reopening: a new problem is a new ticket); a resolved
 * one may go back to in_progress when the fix did not hold. The same status again is a note: allowed
 * when it carries a comment.
 */
const ALLOWED: Record<TicketStatus, readonly TicketUpdateStatus[]> = {
  draft: [],
  cancelled: [],
  open: ['in_progress', 'resolved', 'closed'],
  in_progress: ['in_progress', 'resolved', 'closed'],
  resolved: ['in_progress', 'resolved', 'closed'],
  closed: [],
};

/** `status` absent: a note (the comment), the ticket keeps its status. */
export type StatusChange = { status?: TicketUpdateStatus; comment?: string; by: string };

/** Statuses a ticket may take a note in: every created one but closed (final, like any change). */
const TAKES_NOTES: readonly TicketStatus[] = ['open', 'in_progress', 'resolved'];

type TransitionResult =
  | { kind: 'changed'; next: CreatedTicket; update: TicketUpdate }
  /** Nothing new: the same status without a comment, or the same status and comment as the last update. */
  | { kind: 'unchanged' }
  | { kind: 'refused'; from: TicketStatus };

/** Pure: what `change` does to `ticket` at time `at`. */
export function applyStatusChange(ticket: CreatedTicket, change: StatusChange, at: string): TransitionResult {
  const updates = ticket.updates ?? [];
  const last = updates.at(-1);
  const status = change.status ?? ticket.status;
  if (ticket.status === status) {
    if (!change.comment) return { kind: 'unchanged' };
    // A repeat of the last note (a retried message, a double send) is not a second one.
    if (last && last.status === status && last.comment === change.comment) return { kind: 'unchanged' };
  }
  const allowed = change.status
    ? ALLOWED[ticket.status].includes(change.status)
    : TAKES_NOTES.includes(ticket.status);
  if (!allowed) return { kind: 'refused', from: ticket.status };
  const update: TicketUpdate = {
    seq: (last?.seq ?? 0) + 1,
    status,
    previousStatus: ticket.status,
    ...(change.comment ? { comment: change.comment } : {}),
    at,
    by: change.by,
  };
  const next: CreatedTicket = {
    ...ticket,
    status,
    updatedAt: at,
    updates: [...updates, update].slice(-MAX_TICKET_UPDATES),
  };
  return { kind: 'changed', next, update };
}
