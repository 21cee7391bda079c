import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { logger } from '../observability/logger';
import { InvalidStorageInputError, LeaseTimeoutError } from './errors';
import { toCosmosId, toPartitionValue } from './keys';
import { type ManagedContainer, statusCodeOf, toStorageError } from './cosmosOperation';

export interface LeaseOptions {
  /** How long the lease is valid without renewal. Default 30 s. */
  ttlMs?: number;
  /** How long to wait for a busy lease before LeaseTimeoutError. Default 10 s. */
  waitMs?: number;
  /** First poll interval while waiting; doubles per attempt up to maxPollMs, jittered ±50 %. Default 25 ms. */
  pollMs?: number;
  /** Upper bound of the poll interval. Default 250 ms. */
  maxPollMs?: number;
}

export interface LeaseHandle {
  readonly key: string;
  readonly owner: string;
  /** Epoch ms at which the lease expires unless renewed. */
  readonly expiresAt: number;
  /** Extend the lease by ttlMs. Returns false when the lease was lost (expired and taken over). */
  renew(): Promise<boolean>;
  /** Release the lease. Returns false when it had already been taken over or removed. */
  release(): Promise<boolean>;
}

export interface ConversationLease {
  acquire(conversationKey: string, options?: LeaseOptions): Promise<LeaseHandle>;
}

interface LeaseDocument {
  id: string;
  pk: string;
  key: string;
  owner: string;
  expiresAt: number;
  /** Cosmos per-item TTL (seconds) so abandoned leases are garbage collected; never relied on. */
  ttl: number;
  _etag?: string;
}

const DEFAULTS = { ttlMs: 30_000, waitMs: 10_000, pollMs: 25, maxPollMs: 250 };

/**
 * A per-conversation mutual-exclusion lease in the "leases" container (after Rasa's lock store):
 *  - acquire = create-if-absent (201 wins, 409 = busy);
 *  - a busy lease whose `expiresAt` is past is taken over with an ETag-guarded replace, so of two
 *    instances racing for an expired lease exactly one wins (the other gets 412);
 *  - otherwise poll until `waitMs`, then LeaseTimeoutError;
 *  - release = ETag-guarded delete (a lease taken over by someone else is left alone).
 * Expiry uses the instances' clocks: keep ttlMs well above expected clock skew (NTP: < 1 s).
 */
export class CosmosConversationLease implements ConversationLease {
  constructor(
    private readonly leases: ManagedContainer,
    private readonly now: () => number = Date.now,
  ) {}

  async acquire(conversationKey: string, options: LeaseOptions = {}): Promise<LeaseHandle> {
    if (typeof conversationKey !== 'string' || conversationKey.length === 0) {
      throw new InvalidStorageInputError('Lease key must be a non-empty string');
    }
    const ttlMs = positive(options.ttlMs, DEFAULTS.ttlMs, 'ttlMs');
    const waitMs = nonNegative(options.waitMs, DEFAULTS.waitMs, 'waitMs');
    let pollMs = positive(options.pollMs, DEFAULTS.pollMs, 'pollMs');
    const maxPollMs = Math.max(pollMs, positive(options.maxPollMs, DEFAULTS.maxPollMs, 'maxPollMs'));
    const owner = randomUUID();
    const id = toCosmosId(conversationKey);
    const pk = toPartitionValue(conversationKey);
    const started = this.now();

    for (;;) {
      const doc: LeaseDocument = {
        id,
        pk,
        key: conversationKey,
        owner,
        expiresAt: this.now() + ttlMs,
        ttl: Math.ceil(ttlMs / 1000) + 60,
      };
      const won = await this.tryCreate(doc);
      if (won) return this.handle(doc, won, ttlMs);

      const current = await this.read(id, pk);
      if (current && current.expiresAt <= this.now()) {
        const takeover = { ...doc, expiresAt: this.now() + ttlMs };
        const takenOver = await this.tryReplace(takeover, current._etag!);
        if (takenOver) {
          logger.info({ leaseOwner: owner }, 'took over an expired conversation lease');
          return this.handle(takeover, takenOver, ttlMs);
        }
      }
      if (!current) continue; // released between our create and read: try again at once

      const waited = this.now() - started;
      if (waited >= waitMs) throw new LeaseTimeoutError(conversationKey, waited);
      const remaining = waitMs - waited;
      // Exponential backoff: many waiters must not starve the holder's own requests.
      await sleep(Math.min(remaining, pollMs * (0.5 + Math.random())));
      pollMs = Math.min(maxPollMs, pollMs * 2);
    }
  }

  private handle(doc: LeaseDocument, etag: string, ttlMs: number): LeaseHandle {
    let currentEtag = etag;
    let expiresAt = doc.expiresAt;
    let released = false;
    let renewing: Promise<boolean> | undefined;
    const renewOnce = async (): Promise<boolean> => {
      const next = { ...doc, expiresAt: this.now() + ttlMs };
      const newEtag = await this.tryReplace(next, currentEtag);
      if (!newEtag) return false;
      currentEtag = newEtag;
      expiresAt = next.expiresAt;
      return true;
    };
    return {
      key: doc.key,
      owner: doc.owner,
      get expiresAt() {
        return expiresAt;
      },
      renew: async () => {
        if (released) return false;
        // Renewals are serialised so the eTag we hold is always the latest one we wrote.
        const previous = renewing ?? Promise.resolve(true);
        renewing = previous.catch(() => true).then(() => (released ? false : renewOnce()));
        return renewing;
      },
      release: async () => {
        if (released) return false;
        released = true;
        await renewing?.catch(() => undefined); // an in-flight renewal changes the eTag
        try {
          await this.leases.run('releaseLease', (abortSignal) =>
            this.leases.container
              .item(doc.id, doc.pk)
              .delete({ abortSignal, accessCondition: { type: 'IfMatch', condition: currentEtag } }),
          );
          return true;
        } catch (err) {
          const status = statusCodeOf(err);
          if (status === 404 || status === 412) {
            logger.warn({ leaseOwner: doc.owner }, 'conversation lease was lost before release');
            return false;
          }
          throw toStorageError(err, this.leases.name, 'releaseLease');
        }
      },
    };
  }

  /** Returns the new eTag when created, undefined when a lease already exists (409). */
  private async tryCreate(doc: LeaseDocument): Promise<string | undefined> {
    try {
      const res = await this.leases.run(
        'createLease',
        (abortSignal) => this.leases.container.items.create(doc, { abortSignal }),
        true,
      );
      return res.etag;
    } catch (err) {
      if (statusCodeOf(err) === 409) return undefined;
      throw toStorageError(err, this.leases.name, 'createLease');
    }
  }

  /** ETag-guarded replace; undefined when someone else changed or removed the lease. */
  private async tryReplace(doc: LeaseDocument, etag: string): Promise<string | undefined> {
    try {
      const res = await this.leases.run('replaceLease', (abortSignal) =>
        this.leases.container
          .item(doc.id, doc.pk)
          .replace(doc, { abortSignal, accessCondition: { type: 'IfMatch', condition: etag } }),
      );
      return res.etag;
    } catch (err) {
      const status = statusCodeOf(err);
      if (status === 412 || status === 404) return undefined;
      throw toStorageError(err, this.leases.name, 'replaceLease');
    }
  }

  private async read(id: string, pk: string): Promise<LeaseDocument | undefined> {
    try {
      const res = await this.leases.run('readLease', (abortSignal) =>
        this.leases.container.item(id, pk).read<LeaseDocument>({ abortSignal }),
      );
      return res.resource ?? undefined;
    } catch (err) {
      if (statusCodeOf(err) === 404) return undefined;
      throw toStorageError(err, this.leases.name, 'readLease');
    }
  }
}

export interface WithLeaseOptions extends LeaseOptions {
  /** Renew the lease every ttlMs/3 while fn runs (default true), so long model calls keep it. */
  autoRenew?: boolean;
}

/**
 * Run `fn` while holding the conversation lease; always releases, even when fn throws.
 * If a renewal finds the lease lost, `signal` aborts: state writes are still protected by
 * their eTags, so the worst case is a 412 on save, never a lost update.
 */
export async function withConversationLease<T>(
  leases: ConversationLease,
  conversationKey: string,
  fn: (lease: LeaseHandle, signal: AbortSignal) => Promise<T>,
  options: WithLeaseOptions = {},
): Promise<T> {
  const lease = await leases.acquire(conversationKey, options);
  const lost = new AbortController();
  const ttlMs = options.ttlMs ?? DEFAULTS.ttlMs;
  let timer: NodeJS.Timeout | undefined;
  if (options.autoRenew !== false) {
    timer = setInterval(
      () => {
        lease.renew().then(
          (ok) => {
            if (!ok) lost.abort(new Error('conversation lease lost'));
          },
          (err) => logger.warn({ err: (err as Error).message }, 'conversation lease renewal failed'),
        );
      },
      Math.max(10, Math.floor(ttlMs / 3)),
    );
    timer.unref();
  }
  try {
    return await fn(lease, lost.signal);
  } finally {
    if (timer) clearInterval(timer);
    try {
      await lease.release();
    } catch (err) {
      // The lease expires by itself; a failed release must not mask fn's result or error.
      logger.warn({ err: (err as Error).message }, 'conversation lease release failed');
    }
  }
}

function positive(v: number | undefined, dflt: number, name: string): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || v <= 0) throw new InvalidStorageInputError(`${name} must be a positive number`);
  return v;
}

function nonNegative(v: number | undefined, dflt: number, name: string): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || v < 0)
    throw new InvalidStorageInputError(`${name} must be a non-negative number`);
  return v;
}
