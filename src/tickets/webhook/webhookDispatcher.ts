import { OutboxDispatcher, type FlushResult } from './outboxDispatcher';
import type { CosmosOutboxStore, OutboxEntry } from './outboxStore';
import { WEBHOOK_HEADERS, signWebhook } from './webhookSignature';

export type WebhookDispatcherOptions = {
  outbox: CosmosOutboxStore;
  /** TICKETS_WEBHOOK_URL */
  url: string;
  /** TICKETS_WEBHOOK_SECRET */
  secret: string;
  /**
   * Re-drives lost outbox writes from ticket state (e.g. `TicketService.reconcileWebhooks`):
   * run by start() at once and then every `reconcileIntervalMs` (default 60 s).
   */
  reconcile?: () => Promise<number>;
  reconcileIntervalMs?: number;
  /** How often start() polls for due entries. Default 5000 ms. */
  pollIntervalMs?: number;
  /** How long a claim holds an entry before another instance may take it. Default 60 s. */
  leaseMs?: number;
  batchSize?: number;
  /** After this many failed attempts an entry is marked dead (kept, not deleted). Default 12. */
  maxAttempts?: number;
  /** Backoff between attempts (decorrelated jitter). Defaults: 2 s initial, 30 min cap. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
  now?: () => number;
  instanceId?: string;
  fetch?: typeof fetch;
};

export type { FlushResult };

/**
 * Delivers outbox entries to the ticket webhook: signed POSTs through the generic
 * OutboxDispatcher (backoff across restarts, ETag-guarded leases). The receiver should still dedupe
 * on X-Idempotency-Key, because a crash after a 2xx but before markDelivered can resend once.
 */
export class WebhookDispatcher extends OutboxDispatcher {
  constructor(options: WebhookDispatcherOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new Error('TICKETS_WEBHOOK_URL must be an absolute http(s) URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new Error('TICKETS_WEBHOOK_URL must be an absolute http(s) URL');
    if (!options.secret || options.secret.length < 16)
      throw new Error('TICKETS_WEBHOOK_SECRET must be at least 16 characters');
    const { url: target, secret, timeoutMs, fetch: fetchImpl, ...rest } = options;
    const http: SignedPost = {
      url: target,
      secret,
      timeoutMs: timeoutMs ?? 10_000,
      fetch: fetchImpl ?? fetch,
      now: options.now ?? (() => Date.now()),
    };
    super({ ...rest, kind: 'webhook', name: 'ticket webhook', deliver: (entry) => send(http, entry) });
  }
}

type SignedPost = {
  url: string;
  secret: string;
  timeoutMs: number;
  fetch: typeof fetch;
  now: () => number;
};

/** One signed POST; returns undefined on 2xx, else a short reason. */
async function send(http: SignedPost, entry: OutboxEntry): Promise<string | undefined> {
  const timestamp = String(Math.floor(http.now() / 1000));
  try {
    const res = await http.fetch(http.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [WEBHOOK_HEADERS.signature]: signWebhook(http.secret, timestamp, entry.body),
        [WEBHOOK_HEADERS.timestamp]: timestamp,
        [WEBHOOK_HEADERS.idempotencyKey]: entry.idempotencyKey,
        [WEBHOOK_HEADERS.event]: entry.event,
      },
      body: entry.body,
      signal: AbortSignal.timeout(http.timeoutMs),
    });
    await res.body?.cancel();
    return res.ok ? undefined : `HTTP ${res.status}`;
  } catch (err) {
    return err instanceof Error ? `${err.name}: ${err.message}` : 'request failed';
  }
}
