import { OutboxDispatcher, type FlushResult, type OutboxDispatcherOptions } from './outboxDispatcher';
import type { OutboxEntry } from './outboxStore';
import { WEBHOOK_HEADERS, signWebhook } from './webhookSignature';

/**
 * The outbox dispatcher's options (polling, leases, backoff, reconcile) plus where and how to
 * POST; `kind`, `name` and `deliver` are fixed by this dispatcher.
 */
export type WebhookDispatcherOptions = Omit<OutboxDispatcherOptions, 'kind' | 'name' | 'deliver'> & {
  /** TICKETS_WEBHOOK_URL */
  url: string;
  /** TICKETS_WEBHOOK_SECRET */
  secret: string;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
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
