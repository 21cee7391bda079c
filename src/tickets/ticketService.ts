import { randomUUID } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { logger } from '../observability/logger';
import { errorCard } from '../teams/cards/errorCard';
import type { AdaptiveCard } from '../teams/cards/cardBase';
import { ticketCancelledCard, ticketCreatedCard, ticketDraftCard } from '../teams/cards/ticketCards';
import { isNotFound, isPreconditionFailed } from './cosmosErrors';
import { DraftSigner } from './draftSignature';
import { type CreatedTicket, isCreated, type TicketDocument, type TicketRequester } from './ticket';
import { type TicketCategory, type TicketPriority, TICKET_PRIORITIES } from './ticketEnums';
import { TicketNumberCounter, formatTicketId } from './ticketNumberCounter';
import type { CosmosOutboxStore } from './webhook/outboxStore';
import { ticketCreatedPayload } from './webhook/ticketWebhookPayload';

export type TicketDraftInput = {
  title: string;
  description: string;
  category: TicketCategory;
  priority: TicketPriority;
  orderId?: string;
};

export type TicketViewer = { aadObjectId: string; canViewAll: boolean };

export type TicketCardActionCode = 'forbidden' | 'not_found' | 'conflict' | 'invalid';

/** What a card action (confirm/cancel) returns: always a card to show in place of the old one. */
export type TicketCardActionResult =
  | {
      ok: true;
      outcome: 'created' | 'already_created' | 'cancelled' | 'already_cancelled' | 'viewed';
      ticket: TicketDocument;
      card: AdaptiveCard;
    }
  | { ok: false; code: TicketCardActionCode; error: string; card: AdaptiveCard };

export type TicketServiceOptions = {
  /** The Cosmos container `tickets` (partition /pk). */
  container: Container;
  /** Server secret for the HMAC on draft cards (at least 16 characters). */
  draftSecret: string;
  /** When set (TICKETS_WEBHOOK_URL configured), every created ticket is enqueued for delivery. */
  outbox?: CosmosOutboxStore;
  /** Called after an outbox entry is written, e.g. `() => void dispatcher.flush()`. */
  onEnqueued?: () => void;
  now?: () => Date;
  /** Unconfirmed and cancelled drafts expire after this long (Cosmos TTL). Default 7 days. */
  draftTtlSeconds?: number;
};

const MAX_TRANSITION_ATTEMPTS = 5;

function refuse(code: TicketCardActionCode, error: string): TicketCardActionResult {
  return { ok: false, code, error, card: errorCard(error) };
}

/**
 * Ticket drafts and their confirmation. Every state change is an ETag-guarded replace of the one
 * ticket document, so Teams' invoke retries or double clicks converge on a single ticket.
 */
export class TicketService {
  private readonly signer: DraftSigner;
  private readonly counter: TicketNumberCounter;
  private readonly now: () => Date;

  constructor(private readonly options: TicketServiceOptions) {
    this.signer = new DraftSigner(options.draftSecret);
    this.counter = new TicketNumberCounter(options.container);
    this.now = options.now ?? (() => new Date());
  }

  /** Stores a draft (status 'draft') and returns it with the review card (Confirm / Cancel). */
  async draft(
    input: TicketDraftInput,
    requester: TicketRequester,
    conversationId: string,
  ): Promise<{ draft: TicketDocument; card: AdaptiveCard }> {
    const at = this.now().toISOString();
    const doc: TicketDocument = {
      id: randomUUID(),
      pk: requester.aadObjectId,
      type: 'ticket',
      status: 'draft',
      title: input.title,
      description: input.description,
      category: input.category,
      priority: input.priority,
      ...(input.orderId ? { orderId: input.orderId } : {}),
      requester: { aadObjectId: requester.aadObjectId, name: requester.name, tenantId: requester.tenantId },
      conversationId,
      draftedAt: at,
      updatedAt: at,
      ttl: this.options.draftTtlSeconds ?? 7 * 24 * 3600,
    };
    const { resource } = await this.options.container.items.create<TicketDocument>(doc);
    const stored = stripSystem(resource ?? doc);
    return { draft: stored, card: ticketDraftCard(stored, this.signer.sign(stored.id)) };
  }

  /** The HMAC a draft card must carry; exposed for the lead's tests and card re-rendering. */
  signDraft(draftId: string): string {
    return this.signer.sign(draftId);
  }

  /**
   * Confirms a draft: assigns TKT-nnnnnn, moves draft → open, enqueues the webhook, and returns
   * the card that replaces the draft card. Refusals (bad signature, unknown draft, not the
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
      return refuse('invalid', 'That priority is not valid.');
    }
    let doc = checked.doc;
    for (let attempt = 0; attempt < MAX_TRANSITION_ATTEMPTS; attempt++) {
      if (isCreated(doc)) {
        await this.enqueueOrLeaveToReconciler(doc);
        return {
          ok: true,
          outcome: 'already_created',
          ticket: stripSystem(doc),
          card: ticketCreatedCard(doc),
        };
      }
      if (doc.status === 'cancelled')
        return { ...refuse('conflict', 'This ticket draft was cancelled.'), card: ticketCancelledCard(doc) };
      // Number first, then the guarded transition: a lost race skips a number (a gap), never duplicates one.
      const ticketId = formatTicketId(await this.counter.next());
      const at = this.now().toISOString();
      const next: CreatedTicket = {
        ...stripSystem(doc),
        status: 'open',
        ticketId,
        priority: input.priority ?? doc.priority,
        confirmedAt: at,
        updatedAt: at,
        ttl: -1,
      };
      const replaced = await this.replaceIfUnchanged(doc, next);
      if (replaced) {
        await this.enqueueOrLeaveToReconciler(next);
        logger.info({ ticketId }, 'ticket created');
        return { ok: true, outcome: 'created', ticket: next, card: ticketCreatedCard(next) };
      }
      const reread = await this.read(draftId, invoker.aadObjectId);
      if (!reread) return refuse('not_found', 'This ticket draft no longer exists.');
      doc = reread;
    }
    throw new Error('Ticket confirmation kept conflicting; giving up');
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
    const doc = stripSystem(checked.doc);
    const card = isCreated(doc)
      ? ticketCreatedCard(doc)
      : doc.status === 'cancelled'
        ? ticketCancelledCard(doc)
        : ticketDraftCard(doc, input.sig);
    return { ok: true, outcome: 'viewed', ticket: doc, card };
  }

  /** Cancels a draft (draft → cancelled). A created ticket cannot be cancelled from the draft card. */
  async cancel(
    draftId: string,
    invoker: { aadObjectId: string },
    input: { sig: string },
  ): Promise<TicketCardActionResult> {
    const checked = await this.loadForAction(draftId, invoker, input.sig);
    if ('refused' in checked) return checked.refused;
    let doc = checked.doc;
    for (let attempt = 0; attempt < MAX_TRANSITION_ATTEMPTS; attempt++) {
      if (doc.status === 'cancelled') {
        return {
          ok: true,
          outcome: 'already_cancelled',
          ticket: stripSystem(doc),
          card: ticketCancelledCard(doc),
        };
      }
      if (isCreated(doc)) {
        return {
          ...refuse('conflict', `Ticket ${doc.ticketId} was already created.`),
          card: ticketCreatedCard(doc),
        };
      }
      const at = this.now().toISOString();
      const next: TicketDocument = {
        ...stripSystem(doc),
        status: 'cancelled',
        cancelledAt: at,
        updatedAt: at,
      };
      if (await this.replaceIfUnchanged(doc, next)) {
        return { ok: true, outcome: 'cancelled', ticket: next, card: ticketCancelledCard(next) };
      }
      const reread = await this.read(draftId, invoker.aadObjectId);
      if (!reread) return refuse('not_found', 'This ticket draft no longer exists.');
      doc = reread;
    }
    throw new Error('Ticket cancellation kept conflicting; giving up');
  }

  /**
   * A created ticket by its TKT id, if the viewer may see it (their own, or any with canViewAll).
   * Unknown and foreign tickets both return undefined, so existence is not revealed.
   */
  async getForViewer(ticketId: string, viewer: TicketViewer): Promise<TicketDocument | undefined> {
    const query = viewer.canViewAll
      ? {
          query: 'SELECT * FROM c WHERE c.type = "ticket" AND c.ticketId = @tid',
          parameters: [{ name: '@tid', value: ticketId }],
        }
      : {
          query: 'SELECT * FROM c WHERE c.type = "ticket" AND c.ticketId = @tid AND c.pk = @owner',
          parameters: [
            { name: '@tid', value: ticketId },
            { name: '@owner', value: viewer.aadObjectId },
          ],
        };
    const { resources } = await this.options.container.items.query<TicketDocument>(query).fetchAll();
    const found = resources[0];
    return found ? stripSystem(found) : undefined;
  }

  /**
   * Crash safety for the webhook: enqueues (idempotently) every ticket confirmed since `since`
   * that has no outbox entry yet, e.g. when the process died between storing the ticket and
   * writing the outbox entry. Call it at startup. Returns how many entries were newly written.
   */
  async reconcileWebhooks(since: Date): Promise<number> {
    if (!this.options.outbox) return 0;
    const { resources } = await this.options.container.items
      .query<TicketDocument>({
        query:
          'SELECT * FROM c WHERE c.type = "ticket" AND IS_DEFINED(c.ticketId) AND c.confirmedAt >= @since',
        parameters: [{ name: '@since', value: since.toISOString() }],
      })
      .fetchAll();
    let written = 0;
    for (const doc of resources) {
      if (isCreated(doc) && (await this.ensureWebhookEnqueued(doc)) === 'enqueued') written++;
    }
    return written;
  }

  private async loadForAction(
    draftId: string,
    invoker: { aadObjectId: string },
    sig: string,
  ): Promise<{ doc: TicketDocument } | { refused: TicketCardActionResult }> {
    // Signature first: a forged id never reaches the database.
    if (!this.signer.verify(draftId, sig)) {
      logger.warn('ticket card action with an invalid signature refused');
      return {
        refused: refuse(
          'forbidden',
          'This card is no longer valid. Please ask me to draft the ticket again.',
        ),
      };
    }
    // Point read in the invoker's own partition: another user's draft is simply not there.
    const doc = await this.read(draftId, invoker.aadObjectId);
    if (!doc || doc.requester.aadObjectId !== invoker.aadObjectId) {
      // Unknown, expired and foreign drafts get the same answer.
      return {
        refused: refuse(
          'forbidden',
          'This ticket draft was not found: it may have expired, or only the person who drafted it can confirm or cancel it.',
        ),
      };
    }
    return { doc };
  }

  private async read(id: string, pk: string): Promise<TicketDocument | undefined> {
    try {
      const { resource } = await this.options.container.item(id, pk).read<TicketDocument>();
      return resource ?? undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async replaceIfUnchanged(current: TicketDocument, next: TicketDocument): Promise<boolean> {
    const etag = (current as { _etag?: string })._etag;
    try {
      await this.options.container
        .item(current.id, current.pk)
        .replace<TicketDocument>(next, { accessCondition: { type: 'IfMatch', condition: etag ?? '' } });
      return true;
    } catch (err) {
      if (isPreconditionFailed(err)) return false;
      throw err;
    }
  }

  /**
   * The ticket is stored: a failed outbox write must not turn that into an error card (the user
   * would retry a ticket that exists). It is logged and left to `reconcileWebhooks`, which the
   * dispatcher runs at start and on a timer, and to a repeated Confirm.
   */
  private async enqueueOrLeaveToReconciler(ticket: CreatedTicket): Promise<void> {
    try {
      await this.ensureWebhookEnqueued(ticket);
    } catch (err) {
      logger.warn(
        { err: String(err), ticketId: ticket.ticketId },
        'ticket stored but its webhook not enqueued; the reconciler will enqueue it',
      );
    }
  }

  /**
   * Idempotent: the outbox id is derived from the ticket id, so a retry finds it already there.
   * The receiver's idempotency key is the draft's UUID: globally unique, unlike the ticket number,
   * which restarts at TKT-000001 on a fresh database.
   */
  private async ensureWebhookEnqueued(ticket: CreatedTicket): Promise<'enqueued' | 'exists' | 'disabled'> {
    if (!this.options.outbox) return 'disabled';
    const payload = ticketCreatedPayload(ticket);
    const result = await this.options.outbox.enqueue({
      id: `ticket.created.${ticket.ticketId}`,
      event: payload.event,
      idempotencyKey: ticket.id,
      body: JSON.stringify(payload),
    });
    if (result === 'enqueued') this.options.onEnqueued?.();
    return result;
  }
}

/** Drops Cosmos system properties so documents can be re-written and returned cleanly. */
function stripSystem<T extends object>(doc: T): T {
  const out = { ...doc } as Record<string, unknown>;
  for (const key of Object.keys(out)) if (key.startsWith('_')) delete out[key];
  return out as T;
}
