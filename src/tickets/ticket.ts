import type { TicketCategory, TicketPriority } from './ticketEnums';

export type { TicketCategory, TicketPriority };

/** Lifecycle: draft → open (confirmed, "created") | cancelled; then open → in_progress → resolved → closed. */
export type TicketStatus = 'draft' | 'cancelled' | 'open' | 'in_progress' | 'resolved' | 'closed';

export type TicketRequester = { aadObjectId: string; name?: string; tenantId?: string };

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
  draftedAt: string;
  confirmedAt?: string;
  cancelledAt?: string;
  updatedAt: string;
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
