import type { ConversationAddress } from '../notifications/address';
import type { TicketCategory, TicketPriority } from './ticketEnums';

export type { TicketCategory, TicketPriority };

/** Lifecycle: draft → open (confirmed, "created") | cancelled; then open → in_progress → resolved → closed. */
export type TicketStatus = 'draft' | 'cancelled' | 'open' | 'in_progress' | 'resolved' | 'closed';

export type TicketRequester = {
  aadObjectId: string;
  name?: string;
  tenantId?: string;
  /** The requester's id in the channel (Teams `29:…`), to open a 1:1 chat for ticket updates. */
  channelUserId?: string;
};

/**
 * Who works a ticket: a support agent, identified by Entra object id (never by display name; the
 * name is kept for cards only). `channelUserId` and `address` are where the bot can reach them
 * 1:1 (their Teams account id and the conversation the assignment was made in: service URL and
 * tenant), when known; without them an assignee is simply not messaged.
 */
export type TicketAssignee = {
  aadObjectId: string;
  name?: string;
  channelUserId?: string;
  address?: ConversationAddress;
  assignedAt: string;
};

/** A person named in the ticket history (an assignment event): object id plus a name for display. */
export type TicketPerson = { aadObjectId: string; name?: string };

/**
 * One status change, note or assignment after creation (from the ticket system's webhook, a
 * support agent or the requester). An assignment event keeps the status (`status` ===
 * `previousStatus`) and says who held the ticket before and after (`to` absent: unassigned).
 */
export type TicketUpdate = {
  /** 1, 2, 3, … per ticket: names the update's notification (outbox id) so it is sent once. */
  seq: number;
  status: TicketStatus;
  previousStatus: TicketStatus;
  comment?: string;
  at: string;
  /** 'webhook' (the ticket system) or 'agent:<aadObjectId>' / 'requester:<aadObjectId>' (through the bot). */
  by: string;
  /** Present on assignment events only. */
  assignment?: { from?: TicketPerson; to?: TicketPerson };
};

/**
 * One Cosmos document per ticket for its whole life, in container `tickets` (partition /pk =
 * requester aadObjectId). `id` is the draft id (a UUID); `ticketId` (TKT-000123) is assigned on confirm.
 */
export type TicketDocument = {
  id: string;
  pk: string;
  type: 'ticket';
  status: TicketStatus;
  ticketId?: string;
  title: string;
  description: string;
  category: TicketCategory;
  priority: TicketPriority;
  orderId?: string;
  requester: TicketRequester;
  conversationId: string;
  /** Where the ticket was drafted, so updates can reach the requester later (plain JSON, no Teams types). */
  address?: ConversationAddress;
  draftedAt: string;
  confirmedAt?: string;
  cancelledAt?: string;
  updatedAt: string;
  /** Status changes after creation, oldest first (the last MAX_TICKET_UPDATES are kept). */
  updates?: TicketUpdate[];
  /** The support agent working on the ticket; absent: unassigned (never stored as null). */
  assignee?: TicketAssignee;
  /** Cosmos per-item TTL: drafts expire (default 7 days); created tickets are kept (-1). */
  ttl?: number;
  /** Handoff tickets: the last turns of the requester's conversation, oldest first. */
  transcript?: TicketTranscriptLine[];
  /** Handoff tickets: whether the support conversation was told (see request_human). */
  handoff?: { notice: HandoffNoticeState; noticeAt?: string };
};

/** One message of the transcript attached to a handoff ticket. */
export type TicketTranscriptLine = { role: 'user' | 'bot'; text: string; at: string };

/** sent: posted into the support conversation; not_configured: none is set up; failed: sending failed. */
export type HandoffNoticeState = 'pending' | 'sent' | 'not_configured' | 'failed';

/** A confirmed ticket (has its human-readable id). */
export type CreatedTicket = TicketDocument & { ticketId: string };

export function isCreated(doc: TicketDocument): doc is CreatedTicket {
  return typeof doc.ticketId === 'string' && doc.status !== 'draft' && doc.status !== 'cancelled';
}
