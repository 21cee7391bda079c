import { randomUUID } from 'node:crypto';
import { decorrelatedJitterGenerator } from 'cockatiel';
import { logger } from '../../observability/logger';
import type { CosmosOutboxStore, OutboxEntry, OutboxKind } from './outboxStore';

/** Sends one entry; resolves undefined on success, else a short reason (never the body). */
export type OutboxDeliver = (entry: OutboxEntry) => Promise<string | undefined>;

export type OutboxDispatcherOptions = {
  outbox: CosmosOutboxStore;
  /** Which entries this dispatcher sends. Default 'webhook'. */
  kind?: OutboxKind;
  deliver: OutboxDeliver;
  /** Log prefix, e.g. "ticket webhook" → "ticket webhook delivered" / "ticket webhook delivery failed". */
  name: string;
  /** Re-writes lost outbox entries from domain state: run by start() at once and every `reconcileIntervalMs` (default 60 s). */
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
  now?: () => number;
  instanceId?: string;
};

export type FlushResult = { delivered: number; failed: number; dead: number; skipped: number };

type BackoffState = [number, number];

/**
 * Delivers the durable outbox's entries of one kind: retried with exponential backoff and jitter
 * across restarts (the backoff state is stored on the entry), one sender per entry at a time thanks
 * to ETag-guarded leases. At least once: a crash after a successful send but before markDelivered
 * sends that entry once more.
 */
export class OutboxDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  protected readonly settings: Required<Omit<OutboxDispatcherOptions, 'reconcile' | 'reconcileIntervalMs'>> &
    Pick<OutboxDispatcherOptions, 'reconcile' | 'reconcileIntervalMs'>;

  constructor(options: OutboxDispatcherOptions) {
    this.settings = {
      kind: 'webhook',
      pollIntervalMs: 5000,
      leaseMs: 60_000,
      batchSize: 20,
      maxAttempts: 12,
      initialDelayMs: 2000,
      maxDelayMs: 30 * 60_000,
      now: () => Date.now(),
      instanceId: randomUUID(),
      ...options,
    };
  }

  start(): void {
    if (this.timer) return;
    const name = this.settings.name;
    this.timer = setInterval(() => {
      this.flush().catch((err: unknown) => logger.warn({ err: String(err) }, `${name} outbox poll failed`));
    }, this.settings.pollIntervalMs);
    this.timer.unref();
    const reconcile = this.settings.reconcile;
    if (reconcile) {
      const run = () =>
        reconcile()
          .then((written) => (written > 0 ? this.flush() : undefined))
          .catch((err: unknown) => logger.warn({ err: String(err) }, `${name} outbox reconcile failed`));
      void run();
      this.reconcileTimer = setInterval(run, this.settings.reconcileIntervalMs ?? 60_000);
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
    const s = this.settings;
    const result: FlushResult = { delivered: 0, failed: 0, dead: 0, skipped: 0 };
    const now = s.now();
    for (const entry of await s.outbox.due(now, s.batchSize, s.kind)) {
      const claimed = await s.outbox.claim(entry, s.instanceId, now + s.leaseMs);
      if (!claimed) {
        result.skipped++;
        continue;
      }
      let error: string | undefined;
      try {
        error = await s.deliver(claimed);
      } catch (err) {
        error = err instanceof Error ? `${err.name}: ${err.message}` : 'delivery failed';
      }
      if (error === undefined) {
        await s.outbox.markDelivered(claimed, s.now());
        result.delivered++;
        logger.info({ outboxId: claimed.id, attempts: claimed.attempts + 1 }, `${s.name} delivered`);
        continue;
      }
      const [delay, backoffState] = decorrelatedJitterGenerator(
        claimed.backoffState as BackoffState | undefined,
        {
          generator: decorrelatedJitterGenerator,
          initialDelay: s.initialDelayMs,
          maxDelay: s.maxDelayMs,
          exponent: 2,
        },
      );
      const dead = claimed.attempts + 1 >= s.maxAttempts;
      await s.outbox.markFailed(claimed, {
        error,
        nextAttemptAt: s.now() + Math.max(1, Math.round(delay)),
        backoffState,
        dead,
      });
      if (dead) result.dead++;
      else result.failed++;
      logger.warn(
        { outboxId: claimed.id, attempts: claimed.attempts + 1, dead, error },
        `${s.name} delivery failed`,
      );
    }
    return result;
  }
}
