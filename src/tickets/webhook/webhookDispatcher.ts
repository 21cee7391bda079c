import { randomUUID } from 'node:crypto';
import { decorrelatedJitterGenerator } from 'cockatiel';
import { logger } from '../../observability/logger';
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

export type FlushResult = { delivered: number; failed: number; dead: number; skipped: number };

type BackoffState = [number, number];

/**
 * Delivers outbox entries to the ticket webhook: signed POSTs, retried with exponential backoff
 * and jitter across restarts (the backoff state is stored on the entry), one sender per entry at a
 * time thanks to ETag-guarded leases. The receiver should still dedupe on X-Idempotency-Key,
 * because a crash after a 2xx but before markDelivered can resend once.
 */
export class WebhookDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly opts: Required<
    Omit<WebhookDispatcherOptions, 'fetch' | 'reconcile' | 'reconcileIntervalMs'>
  > &
    Pick<WebhookDispatcherOptions, 'reconcile' | 'reconcileIntervalMs'> & { fetch: typeof fetch };

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
    this.opts = {
      pollIntervalMs: 5000,
      leaseMs: 60_000,
      batchSize: 20,
      maxAttempts: 12,
      initialDelayMs: 2000,
      maxDelayMs: 30 * 60_000,
      timeoutMs: 10_000,
      now: () => Date.now(),
      instanceId: randomUUID(),
      fetch,
      ...options,
    };
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.flush().catch((err: unknown) => logger.warn({ err: String(err) }, 'webhook outbox poll failed'));
    }, this.opts.pollIntervalMs);
    this.timer.unref();
    const reconcile = this.opts.reconcile;
    if (reconcile) {
      const run = () =>
        reconcile()
          .then((written) => (written > 0 ? this.flush() : undefined))
          .catch((err: unknown) => logger.warn({ err: String(err) }, 'webhook outbox reconcile failed'));
      void run();
      this.reconcileTimer = setInterval(run, this.opts.reconcileIntervalMs ?? 60_000);
      this.reconcileTimer.unref();
    }
  }

  /** Stops polling and waits for an in-flight pass to finish. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    this.reconcileTimer = undefined;
    await this.chain.catch(() => undefined);
  }

  /** Runs one pass over the due entries now (passes never overlap within an instance). */
  flush(): Promise<FlushResult> {
    const run = this.chain.catch(() => undefined).then(() => this.pass());
    this.chain = run;
    return run;
  }

  private async pass(): Promise<FlushResult> {
    const result: FlushResult = { delivered: 0, failed: 0, dead: 0, skipped: 0 };
    const now = this.opts.now();
    for (const entry of await this.opts.outbox.due(now, this.opts.batchSize)) {
      const claimed = await this.opts.outbox.claim(entry, this.opts.instanceId, now + this.opts.leaseMs);
      if (!claimed) {
        result.skipped++;
        continue;
      }
      const error = await this.send(claimed);
      if (error === undefined) {
        await this.opts.outbox.markDelivered(claimed, this.opts.now());
        result.delivered++;
        logger.info({ outboxId: claimed.id, attempts: claimed.attempts + 1 }, 'ticket webhook delivered');
        continue;
      }
      const [delay, backoffState] = decorrelatedJitterGenerator(
        claimed.backoffState as BackoffState | undefined,
        {
          generator: decorrelatedJitterGenerator,
          initialDelay: this.opts.initialDelayMs,
          maxDelay: this.opts.maxDelayMs,
          exponent: 2,
        },
      );
      const dead = claimed.attempts + 1 >= this.opts.maxAttempts;
      await this.opts.outbox.markFailed(claimed, {
        error,
        nextAttemptAt: this.opts.now() + Math.max(1, Math.round(delay)),
        backoffState,
        dead,
      });
      if (dead) result.dead++;
      else result.failed++;
      logger.warn(
        { outboxId: claimed.id, attempts: claimed.attempts + 1, dead, error },
        'ticket webhook delivery failed',
      );
    }
    return result;
  }

  /** One signed POST; returns undefined on 2xx, else a short reason. */
  private async send(entry: OutboxEntry): Promise<string | undefined> {
    const timestamp = String(Math.floor(this.opts.now() / 1000));
    try {
      const res = await this.opts.fetch(this.opts.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [WEBHOOK_HEADERS.signature]: signWebhook(this.opts.secret, timestamp, entry.body),
          [WEBHOOK_HEADERS.timestamp]: timestamp,
          [WEBHOOK_HEADERS.idempotencyKey]: entry.idempotencyKey,
          [WEBHOOK_HEADERS.event]: entry.event,
        },
        body: entry.body,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      await res.body?.cancel();
      return res.ok ? undefined : `HTTP ${res.status}`;
    } catch (err) {
      return err instanceof Error ? `${err.name}: ${err.message}` : 'request failed';
    }
  }
}
