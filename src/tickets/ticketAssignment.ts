import type { ConversationAddress } from '../notifications/address';
import type { CreatedTicket, TicketAssignee, TicketPerson, TicketUpdate } from './ticket';
import { MAX_TICKET_UPDATES } from './ticketTransitions';

/**
 * An assignment request: `to` the agent who should work the ticket (undefined: unassign), by whom
 * ('agent:<aadObjectId>'), and, for a card click, the assignee the card was drawn with
 * (`expectedAssigneeId`: '' = unassigned), so a stale card never silently takes a ticket another
 * agent took meanwhile.
 */
export type AssignmentChange = {
  to?: { aadObjectId: string; name?: string; channelUserId?: string; address?: ConversationAddress };
  by: string;
  /** The assigner's display name, for the assignee's notice only. */
  byName?: string;
  expectedAssigneeId?: string;
};

type AssignmentResult =
  | { kind: 'changed'; next: CreatedTicket; update: TicketUpdate }
  /** Already so: assigned to that agent, or unassigned already (a double click lands here). */
  | { kind: 'unchanged' }
  /** A closed ticket is final: nobody works on it any more. */
  | { kind: 'refused' }
  /** The card was drawn for another assignee than the ticket has now. */
  | { kind: 'conflict' };

const same = (a: string | undefined, b: string | undefined) =>
  (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/** Pure: what `change` does to `ticket` at time `at`. */
export function applyAssignment(
  ticket: CreatedTicket,
  change: AssignmentChange,
  at: string,
): AssignmentResult {
  const current = ticket.assignee;
  if (same(current?.aadObjectId, change.to?.aadObjectId)) return { kind: 'unchanged' };
  if (change.expectedAssigneeId !== undefined && !same(current?.aadObjectId, change.expectedAssigneeId))
    return { kind: 'conflict' };
  if (ticket.status === 'closed') return { kind: 'refused' };
  const updates = ticket.updates ?? [];
  const update: TicketUpdate = {
    seq: (updates.at(-1)?.seq ?? 0) + 1,
    status: ticket.status,
    previousStatus: ticket.status,
    at,
    by: change.by,
    assignment: {
      ...(current ? { from: person(current) } : {}),
      ...(change.to ? { to: person(change.to) } : {}),
    },
  };
  const { assignee: _dropped, ...rest } = ticket;
  const assignee: TicketAssignee | undefined = change.to
    ? {
        aadObjectId: change.to.aadObjectId.toLowerCase(),
        ...(change.to.name ? { name: change.to.name } : {}),
        ...(change.to.channelUserId ? { channelUserId: change.to.channelUserId } : {}),
        ...(change.to.address ? { address: change.to.address } : {}),
        assignedAt: at,
      }
    : undefined;
  const next: CreatedTicket = {
    ...rest,
    ...(assignee ? { assignee } : {}),
    updatedAt: at,
    updates: [...updates, update].slice(-MAX_TICKET_UPDATES),
  };
  return { kind: 'changed', next, update };
}

function person(p: { aadObjectId: string; name?: string }): TicketPerson {
  return { aadObjectId: p.aadObjectId.toLowerCase(), ...(p.name ? { name: p.name } : {}) };
}
