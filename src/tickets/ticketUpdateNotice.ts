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
};

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
  };
}
