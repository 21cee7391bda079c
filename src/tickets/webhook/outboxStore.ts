import type { Container } from '@azure/cosmos';
import { isConflict, isNotFound, isPreconditionFailed } from '../cosmosErrors';

export type OutboxStatus = 'pending' | 'delivered' | 'dead';

/**
 * Who sends an entry: `webhook` (the ticket webhook dispatcher; entries written before kinds
 * existed have no kind and count as webhook) or `notification` (proactive messages to requesters).
 */
export type OutboxKind = 'webhook' | 'notification';

/**
 * One webhook delivery in the Cosmos container `outbox` (partition /pk = id). Delivery state
 * lives here, apart from the ticket, so a failing receiver can never lose or block a ticket.
 */
export type OutboxEntry = {
  id: string;
  pk: string;
  type: 'outbox';
  /** Absent on webhook entries. */
  kind?: OutboxKind;
  event: string;
  idempotencyKey: string;
  /** The exact JSON body that is signed and sent on every attempt. */
  body: string;
  status: OutboxStatus;
  attempts: number;
  /** Epoch ms when the entry is next due. */
  nextAttemptAt: number;
  /** Opaque backoff generator state (cockatiel's decorrelated jitter), so backoff survives restarts. */
  backoffState?: unknown;
  /** Epoch ms until which a dispatcher instance holds the entry; 0 when free. */
  leaseUntil: number;
  leaseOwner?: string;
  lastError?: string;
  createdAt: string;
  deliveredAt?: string;
  /** -1 keeps pending/dead entries forever; delivered ones fall back to the container default TTL. */
  ttl?: number;
  _etag?: string;
};

export type NewOutboxEntry = {
  id: string;
  event: string;
  idempotencyKey: string;
  body: string;
  kind?: OutboxKind;
};

export class CosmosOutboxStore {
  constructor(private readonly container: Container) {}

  /** Adds a pending entry; an entry with the same id already there is left as it is (idempotent). */
  async enqueue(entry: NewOutboxEntry, now = Date.now()): Promise<'enqueued' | 'exists'> {
    const { kind, ...rest } = entry;
    const doc: OutboxEntry = {
      ...rest,
      // Webhook entries stay without a kind, exactly as before.
      ...(kind && kind !== 'webhook' ? { kind } : {}),
      pk: entry.id,
      type: 'outbox',
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      leaseUntil: 0,
      createdAt: new Date(now).toISOString(),
      ttl: -1,
    };
    try {
      await this.container.items.create(doc);
      return 'enqueued';
    } catch (err) {
      if (isConflict(err)) return 'exists';
      throw err;
    }
  }

  async get(id: string): Promise<OutboxEntry | undefined> {
    try {
      const { resource } = await this.container.item(id, id).read<OutboxEntry>();
      return resource ?? undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Pending entries of one kind whose time has come and that no live lease holds, oldest due first. */
  async due(now: number, limit: number, kind: OutboxKind = 'webhook'): Promise<OutboxEntry[]> {
    const ofKind = kind === 'webhook' ? 'NOT IS_DEFINED(c.kind)' : 'c.kind = @kind';
    const { resources } = await this.container.items
      .query<OutboxEntry>(
        {
          query: `SELECT * FROM c WHERE c.type = "outbox" AND ${ofKind} AND c.status = "pending" AND c.nextAttemptAt <= @now AND c.leaseUntil <= @now ORDER BY c.nextAttemptAt`,
          parameters: [
            { name: '@now', value: now },
            ...(kind === 'webhook' ? [] : [{ name: '@kind', value: kind }]),
          ],
        },
        { maxItemCount: limit },
      )
      .fetchNext();
    return resources.slice(0, limit);
  }

  /**
   * Takes a lease on an entry with an ETag check: of two instances claiming the same version,
   * exactly one wins; the other gets undefined and skips it.
   */
  async claim(entry: OutboxEntry, owner: string, leaseUntil: number): Promise<OutboxEntry | undefined> {
    return this.replaceIfUnchanged(entry, { ...entry, leaseUntil, leaseOwner: owner });
  }

  async markDelivered(entry: OutboxEntry, now: number): Promise<void> {
    const { ttl: _ttl, ...rest } = entry;
    await this.replaceIfUnchanged(entry, {
      ...rest,
      status: 'delivered',
      attempts: entry.attempts + 1,
      deliveredAt: new Date(now).toISOString(),
      leaseUntil: 0,
      leaseOwner: undefined,
      lastError: undefined,
    });
  }

  async markFailed(
    entry: OutboxEntry,
    update: { error: string; nextAttemptAt: number; backoffState: unknown; dead: boolean },
  ): Promise<void> {
    await this.replaceIfUnchanged(entry, {
      ...entry,
      status: update.dead ? 'dead' : 'pending',
      attempts: entry.attempts + 1,
      nextAttemptAt: update.nextAttemptAt,
      backoffState: update.backoffState,
      lastError: update.error.slice(0, 500),
      leaseUntil: 0,
      leaseOwner: undefined,
      ttl: -1,
    });
  }

  private async replaceIfUnchanged(
    current: OutboxEntry,
    next: OutboxEntry,
  ): Promise<OutboxEntry | undefined> {
    const { _etag, ...body } = next;
    try {
      const { resource } = await this.container
        .item(current.id, current.pk)
        .replace<OutboxEntry>(body as OutboxEntry, {
          accessCondition: { type: 'IfMatch', condition: current._etag ?? '' },
        });
      return resource ?? undefined;
    } catch (err) {
      if (isPreconditionFailed(err)) return undefined;
      throw err;
    }
  }
}
