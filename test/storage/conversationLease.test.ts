import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseTimeoutError, withConversationLease, type CosmosStores } from '../../src/storage';
import { embeddedWithClients } from './cosmosHelpers';

let env: Awaited<ReturnType<typeof embeddedWithClients>>;
let a: CosmosStores;
let b: CosmosStores;
beforeAll(async () => {
  env = await embeddedWithClients(2);
  [a, b] = env.clients;
});
afterAll(async () => {
  await env?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('CosmosConversationLease', () => {
  it('gives the lease to one of two instances at a time (separate CosmosClients)', async () => {
    const key = 'msteams/28:bot/conversations/mutex';
    let inside = 0;
    let maxInside = 0;
    const order: string[] = [];
    const critical = (who: string) => async () => {
      inside++;
      maxInside = Math.max(maxInside, inside);
      order.push(`${who}:in`);
      await sleep(30);
      order.push(`${who}:out`);
      inside--;
    };
    await Promise.all([
      withConversationLease(a.leases, key, critical('a1'), { ttlMs: 5000, waitMs: 5000, pollMs: 5 }),
      withConversationLease(b.leases, key, critical('b1'), { ttlMs: 5000, waitMs: 5000, pollMs: 5 }),
      withConversationLease(a.leases, key, critical('a2'), { ttlMs: 5000, waitMs: 5000, pollMs: 5 }),
      withConversationLease(b.leases, key, critical('b2'), { ttlMs: 5000, waitMs: 5000, pollMs: 5 }),
    ]);
    expect(maxInside).toBe(1);
    expect(order).toHaveLength(8);
    for (let i = 0; i < 8; i += 2) expect(order[i].split(':')[0]).toBe(order[i + 1].split(':')[0]);
  });

  it('times out with LeaseTimeoutError while another instance holds the lease', async () => {
    const key = 'conv-busy';
    const held = await a.leases.acquire(key, { ttlMs: 10_000 });
    await expect(b.leases.acquire(key, { waitMs: 100, pollMs: 10 })).rejects.toBeInstanceOf(
      LeaseTimeoutError,
    );
    expect(await held.release()).toBe(true);
    const next = await b.leases.acquire(key, { waitMs: 100 });
    expect(await next.release()).toBe(true);
  });

  it('lets another instance take over an expired lease, and the old holder cannot release or renew it', async () => {
    const key = 'conv-expiring';
    const stale = await a.leases.acquire(key, { ttlMs: 50 });
    await sleep(80);
    const fresh = await b.leases.acquire(key, { ttlMs: 10_000, waitMs: 1000 });
    expect(fresh.owner).not.toBe(stale.owner);
    expect(await stale.renew()).toBe(false);
    expect(await stale.release()).toBe(false);
    // The takeover is intact: a third acquirer still has to wait.
    await expect(a.leases.acquire(key, { waitMs: 50, pollMs: 10 })).rejects.toBeInstanceOf(LeaseTimeoutError);
    expect(await fresh.release()).toBe(true);
  });

  it('lets exactly one of two racing instances take over the same expired lease', async () => {
    const key = 'conv-takeover-race';
    await a.leases.acquire(key, { ttlMs: 20 }); // abandoned (instance "crashed")
    await sleep(50);
    const results = await Promise.allSettled([
      a.leases.acquire(key, { ttlMs: 10_000, waitMs: 100, pollMs: 10 }),
      b.leases.acquire(key, { ttlMs: 10_000, waitMs: 100, pollMs: 10 }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(
      LeaseTimeoutError,
    );
    await (won[0] as PromiseFulfilledResult<{ release(): Promise<boolean> }>).value.release();
  });

  it('renews: a renewed lease outlives its original ttl', async () => {
    const key = 'conv-renew';
    // Generous margins: only the order of events matters (renewed before expiry, checked after it).
    const lease = await a.leases.acquire(key, { ttlMs: 1000 });
    const firstExpiry = lease.expiresAt;
    await sleep(600);
    expect(await lease.renew()).toBe(true);
    expect(lease.expiresAt).toBeGreaterThan(firstExpiry);
    await sleep(Math.max(0, firstExpiry - Date.now()) + 50); // past the original expiry
    await expect(b.leases.acquire(key, { waitMs: 0 })).rejects.toBeInstanceOf(LeaseTimeoutError);
    expect(await lease.release()).toBe(true);
  });

  it('releases the lease when the guarded function throws', async () => {
    const key = 'conv-throws';
    await expect(
      withConversationLease(a.leases, key, async () => {
        throw new Error('turn failed');
      }),
    ).rejects.toThrow('turn failed');
    const lease = await b.leases.acquire(key, { waitMs: 0 });
    expect(await lease.release()).toBe(true);
  });

  it('rejects bad arguments clearly', async () => {
    await expect(a.leases.acquire('')).rejects.toThrow(/non-empty/);
    await expect(a.leases.acquire('k', { ttlMs: -1 })).rejects.toThrow(/ttlMs/);
  });
});
