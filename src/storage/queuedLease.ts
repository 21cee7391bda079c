import type { ConversationLease, LeaseHandle, LeaseOptions } from './conversationLease';
import { InProcessConversationLease } from './inProcessLease';

/**
 * A shared lease (the Cosmos lease) with this process's waiters queued in front of it: turns of one
 * conversation that arrive at the same instance wait in an in-memory FIFO, so only the head of the
 * queue polls the shared lease. Without it, 25 queued turns each poll Cosmos (a create and a read
 * per attempt), and that traffic slows the holder's own state reads and writes. The wait budget
 * (`waitMs`) covers both waits.
 */
export class QueuedConversationLease implements ConversationLease {
  private readonly local = new InProcessConversationLease();

  constructor(
    private readonly shared: ConversationLease,
    private readonly now: () => number = Date.now,
  ) {}

  async acquire(conversationKey: string, options: LeaseOptions = {}): Promise<LeaseHandle> {
    const started = this.now();
    const waitMs = options.waitMs ?? 10_000;
    const place = await this.local.acquire(conversationKey, { ...options, waitMs });
    let handle: LeaseHandle;
    try {
      const remaining = Math.max(0, waitMs - (this.now() - started));
      handle = await this.shared.acquire(conversationKey, { ...options, waitMs: remaining });
    } catch (err) {
      await place.release();
      throw err;
    }
    return {
      key: handle.key,
      owner: handle.owner,
      get expiresAt() {
        return handle.expiresAt;
      },
      renew: () => handle.renew(),
      release: async () => {
        try {
          return await handle.release();
        } finally {
          await place.release();
        }
      },
    };
  }
}
