import type { CreatedTicket, TicketDocument, TicketStatus } from './ticket';

/** A ticket as read from the repository, with the version its next guarded write must match. */
export type StoredTicket<T extends TicketDocument = TicketDocument> = {
  /** The document without storage system fields (safe to return and re-write). */
  doc: T;
  /** Opaque version (Cosmos `_etag`); `replaceIfUnchanged` succeeds only while it is current. */
  version: string;
};

/** What `listCreated` returns: whose tickets, which statuses, how many. */
export type TicketListFilter = {
  /** The requester's aadObjectId; omitted: every requester's tickets. */
  owner?: string;
  /** Only tickets in one of these statuses; omitted: every created ticket. */
  statuses?: readonly TicketStatus[];
  /** Only tickets assigned to this agent (aadObjectId, lower case as stored). */
  assignee?: string;
  /** Only tickets nobody is assigned to. */
  unassigned?: boolean;
  limit: number;
};

/**
 * Where tickets live: one document per ticket (partition = requester aadObjectId) plus the ticket
 * number counter. The seam TicketService is written against; every implementation runs
 * test/conformance/ticketRepository.conformance.ts. Failures of the store itself surface as the
 * typed storage errors (StorageUnavailableError, StorageError, InvalidStorageInputError); the
 * expected outcomes (missing, already there, changed meanwhile) are return values, never errors.
 */
export interface TicketRepository {
  /** Stores a new ticket; 'exists' (and nothing written) when a ticket with its id exists in its partition. */
  create(doc: TicketDocument): Promise<'created' | 'exists'>;
  /** Point read in one partition (the requester's): another user's ticket is simply not there. */
  read(id: string, pk: string): Promise<StoredTicket | undefined>;
  /** Replaces the ticket only if it is still at `current.version`; false when someone wrote first. */
  replaceIfUnchanged(current: StoredTicket, next: TicketDocument): Promise<boolean>;
  /** Replaces the ticket unconditionally (bookkeeping fields nobody races on). */
  replace(next: TicketDocument): Promise<void>;
  /** The created ticket with this TKT id, limited to `owner`'s partition when given. */
  findCreated(ticketId: string, owner?: string): Promise<StoredTicket<CreatedTicket> | undefined>;
  /** Created tickets confirmed at or after `since` (ISO time). */
  confirmedSince(since: string): Promise<CreatedTicket[]>;
  /** Created tickets with at least one update, last changed at or after `since` (ISO time). */
  updatedSince(since: string): Promise<CreatedTicket[]>;
  /**
   * Created tickets, newest confirmation first, at most `limit`: one requester's (`owner`, a
   * partition read) or everyone's (the support queue), optionally only in `statuses`.
   */
  listCreated(filter: TicketListFilter): Promise<CreatedTicket[]>;
  /** The requester's unconfirmed drafts made in one conversation. */
  drafts(requester: string, conversationId: string): Promise<StoredTicket[]>;
  /** The requester's handoff tickets made in one conversation (any status). */
  handoffs(requester: string, conversationId: string): Promise<TicketDocument[]>;
  /** The next ticket number: 1, 2, 3 … never repeated, gaps allowed. */
  nextTicketNumber(): Promise<number>;
}
