import type { ConversationAddress } from '../notifications/address';
import type { CreatedTicket, TicketStatus, TicketUpdate } from './ticket';

/**
 * What the requester is told about one ticket update: the body of an outbox entry of kind
 * `notification`, complete in itself (the sender never re-reads the ticket). The Teams layer
 * decides from `address.conversationType` whether it goes into that conversation or, for a shared
 * one, into the requester's 1:1 chat (SECURITY.md, "Ticket updates").
 */
export type TicketUpdateNotice = {
  ticketId: string;
  title: string;
  status: TicketStatus;
  previousStatus: TicketStatus;
  comment?: string;
  at: string;
  seq: number;
  /** The conversation the ticket was drafted in. */
  address: ConversationAddress;
  requester: { aadObjectId: string; channelUserId?: string };
  /** An assignment event: who now handles the ticket (their display name only; absent: the support team). */
  assignment?: { to?: { name?: string } };
};

/**
 * What an agent is told when someone else assigned a ticket to them: an outbox entry of kind
 * `notification` with `kind: 'assigned'`, sent to their 1:1 chat, opened with their Teams account
 * id in the tenant of the conversation the assignment was made in.
 */
export type TicketAssignedNotice = {
  kind: 'assigned';
  ticketId: string;
  title: string;
  priority: string;
  requesterName?: string;
  assignedBy?: string;
  at: string;
  seq: number;
  address: ConversationAddress;
  assignee: { aadObjectId: string; channelUserId: string };
};

/** The assignee's notice of an assignment event, when the bot can reach them (Teams id and an address). */
export function ticketAssignedNotice(
  ticket: CreatedTicket,
  update: TicketUpdate,
  assignedBy?: string,
): TicketAssignedNotice | undefined {
  const to = ticket.assignee;
  if (!update.assignment?.to || !to?.channelUserId || !to.address) return undefined;
  return {
    kind: 'assigned',
    ticketId: ticket.ticketId,
    title: ticket.title,
    priority: ticket.priority,
    ...(ticket.requester.name ? { requesterName: ticket.requester.name } : {}),
    ...(assignedBy ? { assignedBy } : {}),
    at: update.at,
    seq: update.seq,
    address: to.address,
    assignee: { aadObjectId: to.aadObjectId, channelUserId: to.channelUserId },
  };
}

/** undefined when the ticket has no stored conversation (drafted before addresses were kept). */
export function ticketUpdateNotice(
  ticket: CreatedTicket,
  update: TicketUpdate,
): TicketUpdateNotice | undefined {
  if (!ticket.address) return undefined;
  return {
    ticketId: ticket.ticketId,
    title: ticket.title,
    status: update.status,
    previousStatus: update.previousStatus,
    ...(update.comment ? { comment: update.comment } : {}),
    at: update.at,
    seq: update.seq,
    address: ticket.address,
    requester: {
      aadObjectId: ticket.requester.aadObjectId,
      ...(ticket.requester.channelUserId ? { channelUserId: ticket.requester.channelUserId } : {}),
    },
    ...(update.assignment
      ? { assignment: update.assignment.to ? { to: { name: update.assignment.to.name } } : {} }
      : {}),
  };
}
