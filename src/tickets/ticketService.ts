import { english } from '../text/i18n';
import type { RefusalCode } from '../errors';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { logger } from '../observability/logger';
import { DraftSigner } from './draftSignature';
import type { ConversationAddress } from '../notifications/address';
import {
  type CreatedTicket,
  type HandoffNoticeState,
  isCreated,
  type TicketDocument,
  type TicketRequester,
  type TicketTranscriptLine,
  type TicketUpdate,
} from './ticket';
import { applyStatusChange, type StatusChange } from './ticketTransitions';
import { type AssignmentChange, applyAssignment } from './ticketAssignment';
import { ticketAssignedNotice, ticketUpdateNotice } from './ticketUpdateNotice';
import { type TicketCategory, type TicketPriority, TICKET_PRIORITIES } from './ticketEnums';
import { formatTicketId } from './ticketNumberCounter';
import type { StoredTicket, TicketRepository } from './ticketRepository';
import type { CosmosOutboxStore } from './webhook/outboxStore';
import { ticketCreatedPayload, ticketUpdatedPayload } from './webhook/ticketWebhookPayload';

export type TicketDraftInput = {
  title: string;
  description: string;
  category: TicketCategory;
  priority: TicketPriority;
  orderId?: string;
};

export type TicketViewer = { aadObjectId: string; canViewAll: boolean };

/** What a status change did. not_found covers unknown and (for a viewer) foreign tickets alike. */
type StatusChangeResult =
  | { outcome: 'changed'; ticket: CreatedTicket; update: TicketUpdate }
  | { outcome: 'unchanged'; ticket: CreatedTicket }
  | { outcome: 'refused'; ticket: CreatedTicket }
  | { outcome: 'not_found' };

/** What an assignment did; `conflict`: a card drawn for another assignee than the ticket has now. */
export type AssignmentResult =
  /** `requesterTold`: a notice to the requester was queued (not for an unassignment or their own change). */
  | { outcome: 'changed'; ticket: CreatedTicket; update: TicketUpdate; requesterTold: boolean }
  | { outcome: 'unchanged' | 'refused' | 'conflict'; ticket: CreatedTicket }
  | { outcome: 'not_found' };

/** Which tickets `list` returns (see there). */
export type TicketListScope = 'mine' | 'queue' | 'assigned' | 'unassigned';

type TicketCardActionCode = Extract<
  RefusalCode,
  'forbidden' | 'not_found' | 'conflict' | 'invalid_arguments'
>;

/**
 * What a draft action (confirm/cancel/view) did. A refusal carries the ticket when it exists in a
 * state that explains the refusal (already created, cancelled), so the caller can show that state.
 */
export type TicketCardActionResult =
  | {
      ok: true;
      outcome: 'created' | 'already_created' | 'cancelled' | 'already_cancelled' | 'viewed';
      ticket: TicketDocument;
    }
  | { ok: false; code: TicketCardActionCode; error: string; ticket?: TicketDocument };

export type TicketServiceOptions = {
  /** Where tickets are stored (CosmosTicketRepository on the `tickets` container in the bot). */
  repository: TicketRepository;
  /** Server secret for the HMAC on draft cards (at least 16 characters). */
  draftSecret: string;
  /** When set (TICKETS_WEBHOOK_URL configured), every created ticket is enqueued for delivery. */
  outbox?: CosmosOutboxStore;
  /** Called after an outbox entry is written, e.g. `() => void dispatcher.flush()`. */
  onEnqueued?: () => void;
  /**
   * Where status-change notifications for the requester are queued (outbox entries of kind
   * `notification`, sent by the notification dispatcher); omit to not notify.
   */
  notifications?: { outbox: CosmosOutboxStore; onEnqueued?: () => void };
  now?: () => Date;
  /** Unconfirmed and cancelled drafts expire after this long (Cosmos TTL). Default 7 days. */
  draftTtlSeconds?: number;
};

const MAX_TRANSITION_ATTEMPTS = 5;
/** A list card stays readable in Teams with about this many rows. */
const DEFAULT_LIST_LIMIT = 10;
/** The support queue: tickets someone still has to work on. */
const QUEUE_STATUSES = ['open', 'in_progress'] as const;
/** Status events may arrive in bursts for one ticket (the ticket system, agents): more room to converge. */
const MAX_STATUS_CHANGE_ATTEMPTS = 20;

function refuse(code: TicketCardActionCode, error: string): TicketCardActionResult {
  return { ok: false, code, error };
}

/**
 * Ticket drafts and their confirmation. Every state change is an ETag-guarded replace of the one
 * ticket document, so Teams' invoke retries or double clicks converge on a single ticket.
 */
export class TicketService {
  private readonly signer: DraftSigner;
  private readonly repository: TicketRepository;
  private readonly now: () => Date;

  constructor(private readonly options: TicketServiceOptions) {
    this.signer = new DraftSigner(options.draftSecret);
    this.repository = options.repository;
    this.now = options.now ?? (() => new Date());
  }

  /** Stores a draft (status 'draft') and returns it with the signature its review card must carry. */
  async draft(
    input: TicketDraftInput,
    requester: TicketRequester,
    conversationId: string,
    /** The conversation the draft was made in (stored so updates can reach the requester). */
    address?: ConversationAddress,
  ): Promise<{ draft: TicketDocument; sig: string }> {
    const at = this.now().toISOString();
    const doc: TicketDocument = {
      ...ticketFields(randomUUID(), input, requester, conversationId, address, at),
      status: 'draft',
      ttl: this.options.draftTtlSeconds ?? 7 * 24 * 3600,
    };
    // A fresh UUID: 'exists' cannot happen short of a broken random source.
    if ((await this.repository.create(doc)) === 'exists') throw new Error('Ticket draft id collision');
    return { draft: doc, sig: this.signer.sign(doc.id) };
  }

  /**
   * Adds a detail the requester gave after the draft card ("it shows a blue screen since the
   * update") to the description of their newest unconfirmed draft in this conversation (drafted
   * within `maxAgeMs`), ETag-guarded like every change. Undefined when there is no such draft.
   */
  async addToLatestDraft(
    requester: { aadObjectId: string },
    conversationId: string,
    detail: string,
    maxAgeMs = 30 * 60 * 1000,
  ): Promise<{ draft: TicketDocument; sig: string } | undefined> {
    for (let attempt = 0; attempt < MAX_TRANSITION_ATTEMPTS; attempt++) {
      const since = this.now().getTime() - maxAgeMs;
      const [latest] = (await this.repository.drafts(requester.aadObjectId, conversationId))
        .filter((d) => Date.parse(d.doc.draftedAt) >= since)
        .sort((a, b) => Date.parse(b.doc.draftedAt) - Date.parse(a.doc.draftedAt));
      if (!latest) return undefined;
      const next: TicketDocument = {
        ...latest.doc,
        description: `${latest.doc.description}\n\n${detail}`.slice(0, 4000),
        updatedAt: this.now().toISOString(),
      };
      if (await this.repository.replaceIfUnchanged(latest, next))
        return { draft: next, sig: this.signer.sign(next.id) };
    }
    throw new Error('Adding to the ticket draft kept conflicting; giving up');
  }

  /** The HMAC a draft card must carry; exposed for the lead's tests and card re-rendering. */
  signDraft(draftId: string): string {
    return this.signer.sign(draftId);
  }

  /**
   * Confirms a draft: assigns TKT-nnnnnn, moves draft → open, enqueues the webhook, and returns
   * the ticket for the card that replaces the draft card. Refusals (bad signature, unknown draft, not the
   * requester) write nothing. Confirming an already created ticket returns the same ticket.
   */
  async confirm(
    draftId: string,
    invoker: { aadObjectId: string },
    input: { sig: string; priority?: TicketPriority },
  ): Promise<TicketCardActionResult> {
    const checked = await this.loadForAction(draftId, invoker, input.sig);
    if ('refused' in checked) return checked.refused;
    if (input.priority !== undefined && !TICKET_PRIORITIES.includes(input.priority)) {
      return refuse('invalid_arguments', english.t('tickets.invalidPriority'));
    }
    let stored = checked.stored;
    for (let attempt = 0; attempt < MAX_TRANSITION_ATTEMPTS; attempt++) {
      const doc = stored.doc;
      if (isCreated(doc)) {
        await this.enqueueOrLeaveToReconciler(doc);
        return { ok: true, outcome: 'already_created', ticket: doc };
      }
      if (doc.status === 'cancelled')
        return { ...refuse('conflict', english.t('tickets.draftCancelled')), ticket: doc };
      // Number first, then the guarded transition: a lost race skips a number (a gap), never duplicates one.
      const ticketId = formatTicketId(await this.repository.nextTicketNumber());
      const at = this.now().toISOString();
      const next: CreatedTicket = {
        ...doc,
        status: 'open',
        ticketId,
        priority: input.priority ?? doc.priority,
        confirmedAt: at,
        updatedAt: at,
        ttl: -1,
      };
      if (await this.repository.replaceIfUnchanged(stored, next)) {
        await this.enqueueOrLeaveToReconciler(next);
        logger.info({ ticketId }, 'ticket created');
        return { ok: true, outcome: 'created', ticket: next };
      }
      const reread = await this.repository.read(draftId, invoker.aadObjectId);
      if (!reread) return refuse('not_found', english.t('tickets.draftGone'));
      stored = reread;
    }
    throw new Error('Ticket confirmation kept conflicting; giving up');
  }

  /**
   * Opens a ticket at once (no draft card) for a request the user has already confirmed on another
   * card, e.g. a return. Idempotent by `key` (the document id): a repeat, or a concurrent call,
   * gets the ticket that exists; a ticket number is drawn only when none exists yet (a lost race
   * leaves a gap, never a second ticket).
   */
  async openConfirmed(
    key: string,
    input: TicketDraftInput,
    requester: TicketRequester,
    conversationId: string,
    /** The conversation the request came from (stored so status updates reach the requester). */
    address?: ConversationAddress,
  ): Promise<CreatedTicket> {
    const existing = (await this.repository.read(key, requester.aadObjectId))?.doc;
    if (existing && isCreated(existing)) return existing;
    const ticketId = formatTicketId(await this.repository.nextTicketNumber());
    const at = this.now().toISOString();
    const doc: CreatedTicket = {
      ...ticketFields(key, input, requester, conversationId, address, at),
      status: 'open',
      ticketId,
      confirmedAt: at,
      ttl: -1,
    };
    if ((await this.repository.create(doc)) === 'exists') {
      const winner = (await this.repository.read(key, requester.aadObjectId))?.doc;
      if (winner && isCreated(winner)) return winner;
      throw new Error(`Ticket ${key} exists but is not a created ticket`);
    }
    await this.enqueueOrLeaveToReconciler(doc);
    logger.info({ ticketId, category: input.category }, 'ticket created');
    return doc;
  }

  /**
   * The requester's current view of a draft card (an Adaptive Card refresh): the draft while it is
   * one, else what it became. Anyone else is refused like a foreign Confirm (nothing is revealed).
   */
  async view(
    draftId: string,
    invoker: { aadObjectId: string },
    input: { sig: string },
  ): Promise<TicketCardActionResult> {
    const checked = await this.loadForAction(draftId, invoker, input.sig);
    if ('refused' in checked) return checked.refused;
    return { ok: true, outcome: 'viewed', ticket: checked.stored.doc };
  }

  /** Cancels a draft (draft → cancelled). A created ticket cannot be cancelled from the draft card. */
  async cancel(
    draftId: string,
    invoker: { aadObjectId: string },
    input: { sig: string },
  ): Promise<TicketCardActionResult> {
    const checked = await this.loadForAction(draftId, invoker, input.sig);
    if ('refused' in checked) return checked.refused;
    let stored = checked.stored;
    for (let attempt = 0; attempt < MAX_TRANSITION_ATTEMPTS; attempt++) {
      const doc = stored.doc;
      if (doc.status === 'cancelled') return { ok: true, outcome: 'already_cancelled', ticket: doc };
      if (isCreated(doc)) {
        return {
          ...refuse('conflict', english.t('tickets.alreadyCreated', { ticketId: doc.ticketId ?? '' })),
          ticket: doc,
        };
      }
      const at = this.now().toISOString();
      const next: TicketDocument = {
        ...doc,
        status: 'cancelled',
        cancelledAt: at,
        updatedAt: at,
      };
      if (await this.repository.replaceIfUnchanged(stored, next)) {
        return { ok: true, outcome: 'cancelled', ticket: next };
      }
      const reread = await this.repository.read(draftId, invoker.aadObjectId);
      if (!reread) return refuse('not_found', english.t('tickets.draftGone'));
      stored = reread;
    }
    throw new Error('Ticket cancellation kept conflicting; giving up');
  }

  /**
   * A created ticket by its TKT id, if the viewer may see it (their own, or any with canViewAll).
   * Unknown and foreign tickets both return undefined, so existence is not revealed.
   */
  async getForViewer(ticketId: string, viewer: TicketViewer): Promise<TicketDocument | undefined> {
    return (await this.findCreated(ticketId, viewer))?.doc;
  }

  /**
   * The viewer's own created tickets ('mine', newest first, any status), or, only with canViewAll
   * (a caller without it gets undefined and decides what to say): the support queue ('queue':
   * everyone's open and in-progress tickets), the open and in-progress tickets assigned to the
   * viewer ('assigned'), or those assigned to nobody ('unassigned').
   */
  async list(
    viewer: TicketViewer,
    scope: TicketListScope,
    limit = DEFAULT_LIST_LIMIT,
  ): Promise<CreatedTicket[] | undefined> {
    if (scope === 'mine') return this.repository.listCreated({ owner: viewer.aadObjectId, limit });
    if (!viewer.canViewAll) return undefined;
    return this.repository.listCreated({
      statuses: QUEUE_STATUSES,
      limit,
      ...(scope === 'assigned' ? { assignee: viewer.aadObjectId.toLowerCase() } : {}),
      ...(scope === 'unassigned' ? { unassigned: true } : {}),
    });
  }

  /**
   * Assigns a created ticket to a support agent (`change.to`) or unassigns it, ETag-guarded like a
   * status change, with an assignment event in the ticket's history. Whoever may assign decides
   * the caller (RBAC in the tool); the lookup here is unrestricted, so callers check first. The
   * requester is told who now handles their ticket (not when it is unassigned: nothing changes for
   * them), the new assignee is told in their 1:1 chat when someone else assigned it and the bot
   * can reach them, and the ticket system gets a ticket.updated webhook.
   */
  async assign(ticketId: string, change: AssignmentChange): Promise<AssignmentResult> {
    for (let attempt = 0; attempt < MAX_STATUS_CHANGE_ATTEMPTS; attempt++) {
      if (attempt > 0) await sleep(Math.floor(Math.random() * (5 + attempt * 5)));
      const stored = await this.findCreated(ticketId);
      if (!stored) return { outcome: 'not_found' };
      const result = applyAssignment(stored.doc, change, this.now().toISOString());
      if (result.kind !== 'changed') return { outcome: result.kind, ticket: stored.doc };
      if (await this.repository.replaceIfUnchanged(stored, result.next)) {
        logger.info(
          { ticketId, seq: result.update.seq, assigned: Boolean(change.to) },
          'ticket assignment changed',
        );
        const requesterTold = await this.queueAssignmentMessages(result.next, result.update, change);
        return { outcome: 'changed', ticket: result.next, update: result.update, requesterTold };
      }
      // Another agent or a status event wrote first: read again and re-decide (it may be theirs now).
    }
    throw new Error('Ticket assignment kept conflicting; giving up');
  }

  /** The requester's and the new assignee's notices and the webhook of one assignment event. */
  private async queueAssignmentMessages(
    ticket: CreatedTicket,
    update: TicketUpdate,
    change: AssignmentChange,
  ): Promise<boolean> {
    const ids = { ticketId: ticket.ticketId, seq: update.seq };
    const bySelf = (id: string) => change.by.toLowerCase().endsWith(`:${id.toLowerCase()}`);
    const tellRequester = Boolean(update.assignment?.to && !bySelf(ticket.requester.aadObjectId));
    if (tellRequester)
      await this.leaveToReconciler('notification', ids, () =>
        this.ensureNotificationEnqueued(ticket, update),
      );
    if (update.assignment?.to && !bySelf(update.assignment.to.aadObjectId))
      await this.leaveToReconciler('notification', ids, () =>
        this.ensureAssignedNoticeEnqueued(ticket, update, change.byName),
      );
    await this.leaveToReconciler('update webhook', ids, () =>
      this.ensureUpdateWebhookEnqueued(ticket, update),
    ); // A failed enqueue is left to the reconciler, so the notice still goes out.
    return tellRequester && Boolean(this.options.notifications && ticket.address);
  }

  /** The new assignee's 1:1 notice (idempotent by ticket and update); 'disabled' when they cannot be reached. */
  private async ensureAssignedNoticeEnqueued(
    ticket: CreatedTicket,
    update: TicketUpdate,
    assignedBy?: string,
  ): Promise<'enqueued' | 'exists' | 'disabled'> {
    const notifications = this.options.notifications;
    const notice = ticketAssignedNotice(ticket, update, assignedBy);
    if (!notifications || !notice) return 'disabled';
    const id = `ticket.assigned.${ticket.id}.${update.seq}`;
    const result = await notifications.outbox.enqueue({
      id,
      kind: 'notification',
      event: 'ticket.assigned',
      idempotencyKey: id,
      body: JSON.stringify(notice),
    });
    if (result === 'enqueued') notifications.onEnqueued?.();
    return result;
  }

  /**
   * Moves a created ticket to a new status (or adds a note), ETag-guarded, and queues one
   * notification for its requester. `viewer` limits the lookup to the viewer's own tickets unless
   * canViewAll; without a viewer (the ticket system's signed webhook) any ticket is found.
   * The change is stored first; a failed notification enqueue is logged and left to
   * `reconcileNotifications`, so the stored status never depends on the message being sent.
   */
  async changeStatus(
    ticketId: string,
    change: StatusChange,
    viewer?: TicketViewer,
  ): Promise<StatusChangeResult> {
    for (let attempt = 0; attempt < MAX_STATUS_CHANGE_ATTEMPTS; attempt++) {
      if (attempt > 0) await sleep(Math.floor(Math.random() * (5 + attempt * 5)));
      const stored = await this.findCreated(ticketId, viewer);
      if (!stored) return { outcome: 'not_found' };
      const result = applyStatusChange(stored.doc, change, this.now().toISOString());
      if (result.kind === 'unchanged') return { outcome: 'unchanged', ticket: stored.doc };
      if (result.kind === 'refused') return { outcome: 'refused', ticket: stored.doc };
      if (await this.repository.replaceIfUnchanged(stored, result.next)) {
        logger.info(
          { ticketId, status: result.update.status, seq: result.update.seq },
          'ticket status changed',
        );
        // The requester is told, unless they made the change themselves (through the bot).
        const bySelf = change.by.endsWith(`:${result.next.requester.aadObjectId}`);
        const ids = { ticketId, seq: result.update.seq };
        if (!bySelf)
          await this.leaveToReconciler('notification', ids, () =>
            this.ensureNotificationEnqueued(result.next, result.update),
          );
        if (change.by !== 'webhook')
          await this.leaveToReconciler('update webhook', ids, () =>
            this.ensureUpdateWebhookEnqueued(result.next, result.update),
          );
        return { outcome: 'changed', ticket: result.next, update: result.update };
      }
      // Someone else changed the ticket in between: back off a little (jittered), read again, re-decide.
    }
    throw new Error('Ticket status change kept conflicting; giving up');
  }

  /**
   * Crash safety for notifications: queues (idempotently, the outbox id names ticket and update)
   * the latest update of every ticket changed since `since` whose entry is missing. Delivered
   * entries are kept for the outbox container's TTL (30 days), far longer than `since` reaches back.
   */
  async reconcileNotifications(since: Date): Promise<number> {
    if (!this.options.notifications) return 0;
    const from = since.toISOString();
    let written = 0;
    for (const doc of await this.repository.updatedSince(from)) {
      const last = doc.updates?.at(-1);
      if (!last || last.at < from) continue;
      if (last.by.endsWith(`:${doc.requester.aadObjectId}`)) continue; // their own change: not notified
      if (last.assignment && !last.assignment.to) continue; // unassigned: the requester is not told
      if ((await this.ensureNotificationEnqueued(doc, last)) === 'enqueued') written++;
    }
    return written;
  }

  /** A created ticket by TKT id with its version; limited to the viewer's own unless canViewAll. */
  private findCreated(
    ticketId: string,
    viewer?: TicketViewer,
  ): Promise<StoredTicket<CreatedTicket> | undefined> {
    return this.repository.findCreated(
      ticketId,
      viewer && !viewer.canViewAll ? viewer.aadObjectId : undefined,
    );
  }

  /** The ticket.updated delivery of one update; id and idempotency key name ticket and update. */
  private async ensureUpdateWebhookEnqueued(
    ticket: CreatedTicket,
    update: TicketUpdate,
  ): Promise<'enqueued' | 'exists' | 'disabled'> {
    return this.enqueueWebhook(
      `ticket.updated.webhook.${ticket.id}.${update.seq}`,
      `${ticket.id}.${update.seq}`,
      ticketUpdatedPayload(ticket, update),
    );
  }

  /** One webhook delivery in the outbox (idempotent by `id`); 'disabled' without a webhook. */
  private async enqueueWebhook(
    id: string,
    idempotencyKey: string,
    payload: { event: string },
  ): Promise<'enqueued' | 'exists' | 'disabled'> {
    if (!this.options.outbox) return 'disabled';
    const result = await this.options.outbox.enqueue({
      id,
      event: payload.event,
      idempotencyKey,
      body: JSON.stringify(payload),
    });
    if (result === 'enqueued') this.options.onEnqueued?.();
    return result;
  }

  private async ensureNotificationEnqueued(
    ticket: CreatedTicket,
    update: TicketUpdate,
  ): Promise<'enqueued' | 'exists' | 'disabled'> {
    const notifications = this.options.notifications;
    if (!notifications) return 'disabled';
    const notice = ticketUpdateNotice(ticket, update);
    if (!notice) {
      logger.info({ ticketId: ticket.ticketId }, 'ticket has no stored conversation; requester not notified');
      return 'disabled';
    }
    // ticket.id is the draft's UUID: unique across databases, unlike the TKT number.
    const id = `ticket.updated.${ticket.id}.${update.seq}`;
    const result = await notifications.outbox.enqueue({
      id,
      kind: 'notification',
      event: 'ticket.updated',
      idempotencyKey: id,
      body: JSON.stringify(notice),
    });
    if (result === 'enqueued') notifications.onEnqueued?.();
    return result;
  }

  /**
   * Crash safety for the webhook: enqueues (idempotently) every ticket confirmed since `since`
   * that has no outbox entry yet, e.g. when the process died between storing the ticket and
   * writing the outbox entry. Call it at startup. Returns how many entries were newly written.
   */
  async reconcileWebhooks(since: Date): Promise<number> {
    if (!this.options.outbox) return 0;
    const from = since.toISOString();
    let written = 0;
    for (const doc of await this.repository.confirmedSince(from)) {
      if ((await this.ensureWebhookEnqueued(doc)) === 'enqueued') written++;
    }
    // Updates made through the bot since then (their ticket.updated delivery may have been lost too).
    for (const doc of await this.repository.updatedSince(from)) {
      for (const update of doc.updates ?? []) {
        if (update.by === 'webhook' || update.at < from) continue;
        if ((await this.ensureUpdateWebhookEnqueued(doc, update)) === 'enqueued') written++;
      }
    }
    return written;
  }

  /**
   * Opens a ticket at once, without a draft card (request_human: the user asked for a person, so
   * there is nothing to review). Numbered and sent to the webhook like a confirmed ticket.
   */
  async openNow(
    input: TicketDraftInput & { transcript?: TicketTranscriptLine[] },
    requester: TicketRequester,
    conversationId: string,
    /** The conversation the request came from (stored so status updates reach the requester). */
    address?: ConversationAddress,
  ): Promise<CreatedTicket> {
    const at = this.now().toISOString();
    const ticketId = formatTicketId(await this.repository.nextTicketNumber());
    const { transcript, ...fields } = input;
    const doc: CreatedTicket = {
      ...ticketFields(randomUUID(), fields, requester, conversationId, address, at),
      status: 'open',
      ticketId,
      confirmedAt: at,
      ...(transcript ? { transcript } : {}),
      ...(fields.category === 'handoff' ? { handoff: { notice: 'pending' as const } } : {}),
      ttl: -1,
    };
    if ((await this.repository.create(doc)) === 'exists') throw new Error('Ticket id collision');
    await this.enqueueOrLeaveToReconciler(doc);
    logger.info({ ticketId, category: doc.category }, 'ticket created');
    return doc;
  }

  /** The requester's newest handoff ticket from this conversation that is still open or in progress. */
  async findOpenHandoff(requester: string, conversationId: string): Promise<CreatedTicket | undefined> {
    const resources = await this.repository.handoffs(requester, conversationId);
    const open = resources
      .filter((d): d is CreatedTicket => isCreated(d) && (d.status === 'open' || d.status === 'in_progress'))
      .sort((a, b) => (a.confirmedAt ?? '').localeCompare(b.confirmedAt ?? ''));
    return open.at(-1);
  }

  /** Records whether the support conversation was told about a handoff ticket. */
  async setHandoffNotice(ticket: CreatedTicket, notice: HandoffNoticeState): Promise<CreatedTicket> {
    const at = this.now().toISOString();
    const next: CreatedTicket = { ...ticket, handoff: { notice, noticeAt: at }, updatedAt: at };
    await this.repository.replace(next);
    return next;
  }

  private async loadForAction(
    draftId: string,
    invoker: { aadObjectId: string },
    sig: string,
  ): Promise<{ stored: StoredTicket } | { refused: TicketCardActionResult }> {
    // Signature first: a forged id never reaches the database.
    if (!this.signer.verify(draftId, sig)) {
      logger.warn('ticket card action with an invalid signature refused');
      return {
        refused: refuse('forbidden', english.t('tickets.cardInvalid')),
      };
    }
    // Point read in the invoker's own partition: another user's draft is simply not there.
    const stored = await this.repository.read(draftId, invoker.aadObjectId);
    if (!stored || stored.doc.requester.aadObjectId !== invoker.aadObjectId) {
      // Unknown, expired and foreign drafts get the same answer.
      return {
        refused: refuse('forbidden', english.t('tickets.draftNotFound')),
      };
    }
    return { stored };
  }

  /**
   * The ticket is stored: a failed outbox write must not turn that into an error card (the user
   * would retry a ticket that exists). It is logged and left to `reconcileWebhooks`, which the
   * dispatcher runs at start and on a timer, and to a repeated Confirm.
   */
  private async enqueueOrLeaveToReconciler(ticket: CreatedTicket): Promise<void> {
    await this.leaveToReconciler('webhook', { ticketId: ticket.ticketId }, () =>
      this.ensureWebhookEnqueued(ticket),
    );
  }

  /**
   * An outbox write after the ticket itself was stored: a failure is logged, not thrown, because
   * the reconciler re-enqueues whatever is missing from ticket state (the user's action succeeded).
   */
  private async leaveToReconciler(
    what: 'webhook' | 'update webhook' | 'notification',
    ids: { ticketId: string; seq?: number },
    enqueue: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await enqueue();
    } catch (err) {
      logger.warn(
        { err: String(err), ...ids },
        `ticket stored but its ${what} not enqueued; the reconciler will enqueue it`,
      );
    }
  }

  /**
   * Idempotent: the outbox id is derived from the ticket id, so a retry finds it already there.
   * The receiver's idempotency key is the draft's UUID: globally unique, unlike the ticket number,
   * which restarts at TKT-000001 on a fresh database.
   */
  private async ensureWebhookEnqueued(ticket: CreatedTicket): Promise<'enqueued' | 'exists' | 'disabled'> {
    return this.enqueueWebhook(`ticket.created.${ticket.ticketId}`, ticket.id, ticketCreatedPayload(ticket));
  }
}

/** What every new ticket document holds, drafted or opened at once (`at` is drafted and updated). */
function ticketFields(
  id: string,
  input: TicketDraftInput,
  requester: TicketRequester,
  conversationId: string,
  address: ConversationAddress | undefined,
  at: string,
) {
  return {
    id,
    pk: requester.aadObjectId,
    type: 'ticket' as const,
    title: input.title,
    description: input.description,
    category: input.category,
    priority: input.priority,
    ...(input.orderId ? { orderId: input.orderId } : {}),
    requester: requesterOf(requester),
    conversationId,
    ...(address ? { address } : {}),
    draftedAt: at,
    updatedAt: at,
  };
}

/** The requester as stored on a ticket (the Teams account id too, for a 1:1 chat when needed). */
function requesterOf(requester: TicketRequester): TicketRequester {
  return {
    aadObjectId: requester.aadObjectId,
    name: requester.name,
    tenantId: requester.tenantId,
    ...(requester.channelUserId ? { channelUserId: requester.channelUserId } : {}),
  };
}
