import { logger } from '../../observability/logger';
import { findForbiddenKey } from '../../security/bodyGuards';
import type { TicketService } from '../ticketService';
import { verifyWebhookSignature } from '../webhook/webhookSignature';
import type { SeenEventStore } from './seenEvents';
import { ticketEventSchema, type TicketEvent } from './ticketEvent';

/** Header names of an inbound event (docs/tickets-webhook.md, "Inbound"); Node lowercases them. */
export const INBOUND_EVENT_HEADERS = { signature: 'x-signature', timestamp: 'x-timestamp' } as const;

/** Events older (or further in the future) than this are refused. */
export const EVENT_TOLERANCE_SECONDS = 300;

export type InboundEventRequest = {
  /** The body exactly as received: the signature covers these bytes. */
  rawBody: string | Buffer | undefined;
  headers: Record<string, string | string[] | undefined>;
};

export type InboundEventResponse = {
  status: number;
  body: Record<string, unknown> & { error?: string; message?: string };
};

export type TicketEventReceiverOptions = {
  /** TICKETS_WEBHOOK_SECRET */
  secret: string;
  tickets: TicketService;
  seen: SeenEventStore;
  nowSeconds?: () => number;
};

const refuse = (status: number, error: string, message: string): InboundEventResponse => ({
  status,
  body: { error, message },
});

function header(headers: InboundEventRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The ticket system's status events: authenticated by HMAC (shared secret), fresh (timestamp
 * window), never applied twice (seen signatures in Cosmos), then a guarded status change whose
 * notification goes through the outbox. Every refusal leaves the ticket and the outbox untouched.
 * Framework-free: src/server.ts maps it onto `POST /api/tickets/events`.
 */
export class TicketEventReceiver {
  private readonly nowSeconds: () => number;

  constructor(private readonly options: TicketEventReceiverOptions) {
    if (!options.secret || options.secret.length < 16)
      throw new Error('TICKETS_WEBHOOK_SECRET must be at least 16 characters');
    this.nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  }

  async handle(request: InboundEventRequest): Promise<InboundEventResponse> {
    const authentic = this.authenticate(request);
    if ('refusal' in authentic) return authentic.refusal;
    // Authenticated from here on; still validated like any input.
    const event = parseEvent(authentic.raw);
    if ('refusal' in event) return event.refusal;

    const key = authentic.signature.slice('sha256='.length).toLowerCase();
    let claimed: boolean;
    try {
      claimed = await this.options.seen.claim(key);
    } catch (err) {
      logger.warn({ err: String(err) }, 'ticket event: replay store unreachable');
      return refuse(503, 'unavailable', 'The ticket store is not reachable; retry later.');
    }
    if (!claimed) return refuse(409, 'replayed', 'This event was already received.');
    return this.apply(event.event, key);
  }

  /** Headers present, timestamp fresh, HMAC right: the body and its signature, or the refusal. */
  private authenticate(
    request: InboundEventRequest,
  ): { raw: string; signature: string } | { refusal: InboundEventResponse } {
    const raw = Buffer.isBuffer(request.rawBody) ? request.rawBody.toString('utf8') : request.rawBody;
    const timestamp = header(request.headers, INBOUND_EVENT_HEADERS.timestamp);
    const signature = header(request.headers, INBOUND_EVENT_HEADERS.signature);
    if (typeof raw !== 'string' || raw.length === 0 || !timestamp || !signature)
      return {
        refusal: refuse(401, 'unauthorized', 'X-Signature and X-Timestamp headers and a body are required.'),
      };
    const now = this.nowSeconds();
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now - Number(timestamp)) > EVENT_TOLERANCE_SECONDS)
      return {
        refusal: refuse(401, 'stale_timestamp', 'X-Timestamp is not within 5 minutes of the current time.'),
      };
    if (
      !verifyWebhookSignature(this.options.secret, timestamp, raw, signature, {
        toleranceSeconds: EVENT_TOLERANCE_SECONDS,
        nowSeconds: now,
      })
    )
      return { refusal: refuse(401, 'bad_signature', 'X-Signature does not match the body and timestamp.') };
    return { raw, signature };
  }

  /** The status change of a claimed event; a refused or failed one releases its claim (it may come again). */
  private async apply(event: TicketEvent, key: string): Promise<InboundEventResponse> {
    try {
      const result = await this.options.tickets.changeStatus(event.ticketId, {
        status: event.status,
        comment: event.comment,
        by: 'webhook',
      });
      switch (result.outcome) {
        case 'not_found':
          await this.options.seen.release(key);
          return refuse(404, 'unknown_ticket', 'There is no ticket with that id.');
        case 'refused':
          await this.options.seen.release(key);
          return refuse(
            409,
            'transition_not_allowed',
            `A ${result.ticket.status.replace(/_/g, ' ')} ticket cannot be moved to ${event.status.replace(/_/g, ' ')}.`,
          );
        case 'unchanged':
          return {
            status: 200,
            body: { ticketId: event.ticketId, status: result.ticket.status, changed: false },
          };
        case 'changed':
          return {
            status: 200,
            body: {
              ticketId: event.ticketId,
              status: result.ticket.status,
              changed: true,
              seq: result.update.seq,
            },
          };
      }
    } catch (err) {
      // Nothing was stored (changeStatus throws only before or instead of its write): let the sender retry.
      logger.warn({ err: String(err), ticketId: event.ticketId }, 'ticket event could not be applied');
      await this.options.seen.release(key).catch(() => undefined);
      return refuse(503, 'unavailable', 'The ticket store is not reachable; retry later.');
    }
  }
}

/** JSON, no forbidden keys (prototype pollution), the event schema: the event, or the refusal. */
function parseEvent(raw: string): { event: TicketEvent } | { refusal: InboundEventResponse } {
  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(raw);
  } catch {
    return { refusal: refuse(400, 'invalid_event', 'The body is not valid JSON.') };
  }
  const forbidden = findForbiddenKey(parsedJson);
  if (forbidden) return { refusal: refuse(400, 'invalid_event', forbidden) };
  const parsed = ticketEventSchema.safeParse(parsedJson);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) =>
      i.code === 'unrecognized_keys' ? `unexpected field(s) ${i.keys.join(', ')}` : i.message,
    );
    return { refusal: refuse(400, 'invalid_event', `Invalid event: ${[...new Set(issues)].join('; ')}`) };
  }
  return { event: parsed.data };
}
