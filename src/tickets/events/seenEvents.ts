import type { Container } from '@azure/cosmos';
import { isConflict, isNotFound } from '../cosmosErrors';

/**
 * Replay protection for signed inbound events, shared by every instance and kept across restarts:
 * one Cosmos document per accepted signature (container `outbox`, partition /pk = id), created
 * if absent, so of two instances receiving the same request exactly one claims it. The documents
 * expire by TTL; correctness does not depend on it (the embedded server has no TTL): a signature
 * covers its timestamp, and a timestamp outside the window is refused before this is asked.
 */
export class SeenEventStore {
  constructor(
    private readonly container: Container,
    private readonly ttlSeconds: number,
  ) {}

  /** true when this key was not seen before (and is now recorded), false for a replay. */
  async claim(key: string, now = new Date()): Promise<boolean> {
    const id = `inbound-event.${key}`;
    try {
      await this.container.items.create({
        id,
        pk: id,
        type: 'inbound-event',
        seenAt: now.toISOString(),
        ttl: this.ttlSeconds,
      });
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  /** Forgets a claim whose request was then refused or failed, so the sender may retry it. */
  async release(key: string): Promise<void> {
    const id = `inbound-event.${key}`;
    try {
      await this.container.item(id, id).delete();
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
