import { describe, expect, it } from 'vitest';
import {
  InProcessConversationLease,
  LeaseTimeoutError,
  QueuedConversationLease,
  type ConversationLease,
  type LeaseHandle,
  type LeaseOptions,
} from '../../src/storage';

/** A shared lease that records how many of this process's waiters ask it at the same time. */
class CountingLease implements ConversationLease {
  private readonly inner = new InProcessConversationLease();
  asking = 0;
  maxAsking = 0;
  calls: (number | undefined)[] = [];
  fail = false;

  async acquire(key: string, options?: LeaseOptions): Promise<LeaseHandle> {
    this.calls.push(options?.waitMs);
    if (this.fail) throw new Error('cosmos down');
    this.asking++;
    this.maxAsking = Math.max(this.maxAsking, this.asking);
    try {
      return await this.inner.acquire(key, options);
    } finally {
      this.asking--;
    }
  }
}

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('QueuedConversationLease', () => {
  it("lets only the head of this process's queue ask the shared lease, in arrival order", async () => {
    const shared = new CountingLease();
    const leases = new QueuedConversationLease(shared);
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const lease = await leases.acquire('conv-1', { waitMs: 5_000 });
        order.push(i);
        await tick();
        await lease.release();
      }),
    );
    expect(shared.maxAsking).toBe(1);
    expect(order).toEqual([...Array(12).keys()]);
    // Each turn asked the shared lease once, with what was left of its wait budget.
    expect(shared.calls).toHaveLength(12);
    for (const waitMs of shared.calls) expect(waitMs).toBeLessThanOrEqual(5_000);
  });

  it('other conversations do not wait behind this one', async () => {
    const leases = new QueuedConversationLease(new CountingLease());
    const held = await leases.acquire('conv-1');
    // Would time out (LeaseTimeoutError) if conv-2 queued behind conv-1's holder.
    const other = await leases.acquire('conv-2', { waitMs: 100 });
    expect(await other.release()).toBe(true);
    await held.release();
  });

  it('a waiter that runs out of budget in the queue fails with LeaseTimeoutError and frees its place', async () => {
    const leases = new QueuedConversationLease(new CountingLease());
    const held = await leases.acquire('conv-1');
    await expect(leases.acquire('conv-1', { waitMs: 20 })).rejects.toBeInstanceOf(LeaseTimeoutError);
    const next = leases.acquire('conv-1', { waitMs: 5_000 });
    await held.release();
    await (await next).release();
  });

  it('a failing shared lease gives the place in the queue back', async () => {
    const shared = new CountingLease();
    const leases = new QueuedConversationLease(shared);
    shared.fail = true;
    await expect(leases.acquire('conv-1', { waitMs: 1_000 })).rejects.toThrow('cosmos down');
    shared.fail = false;
    const lease = await leases.acquire('conv-1', { waitMs: 1_000 });
    expect(await lease.release()).toBe(true);
  });
});
