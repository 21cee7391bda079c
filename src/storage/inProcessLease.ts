import { randomUUID } from 'node:crypto';
import type { ConversationLease, LeaseHandle, LeaseOptions } from './conversationLease';
import { LeaseTimeoutError } from './errors';

/**
 * The per-conversation lease for a store only this process can reach (the embedded Cosmos
 * server): a FIFO queue per key in memory gives the same mutual exclusion as the Cosmos lease
 * without two extra writes per turn. With a shared Cosmos (COSMOS_ENDPOINT) the Cosmos lease
 * is used instead, because other instances must see it.
 */
export class InProcessConversationLease implements ConversationLease {
  private readonly tails = new Map<string, Promise<void>>();

  async acquire(conversationKey: string, options: LeaseOptions = {}): Promise<LeaseHandle> {
    const waitMs = options.waitMs ?? 10_000;
    const ttlMs = options.ttlMs ?? 30_000;
    const previous = this.tails.get(conversationKey) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(conversationKey, tail);

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), waitMs);
      timer.unref();
    });
    const outcome = await Promise.race([previous.then(() => 'acquired' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      // Give up our place without blocking those queued behind us.
      void previous.then(() => release());
      this.forget(conversationKey, tail);
      throw new LeaseTimeoutError(conversationKey, waitMs);
    }

    let released = false;
    return {
      key: conversationKey,
      owner: randomUUID(),
      expiresAt: Date.now() + ttlMs,
      renew: async () => !released,
      release: async () => {
        if (released) return false;
        released = true;
        release();
        this.forget(conversationKey, tail);
        return true;
      },
    };
  }

  private forget(key: string, tail: Promise<void>): void {
    // Drop the key once nobody queued after us, so the map does not grow with conversations.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
  }
}
