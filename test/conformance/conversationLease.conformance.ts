import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { type ConversationLease, LeaseTimeoutError, withConversationLease } from '../../src/storage';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Short polls so the Cosmos lease notices a release quickly; the in-process lease ignores them. */
const FAST = { pollMs: 5, maxPollMs: 20 };

/**
 * The ConversationLease contract the turn pipeline relies on: one holder per conversation key at
 * a time, keys independent, a bounded wait ending in LeaseTimeoutError, release exactly once.
 * Every implementation runs it (test/conformance/conversationLease.test.ts). Expiry and takeover
 * of an abandoned lease are Cosmos-only (the in-process lease dies with its process) and stay in
 * test/storage/conversationLease.test.ts.
 */
export function conversationLeaseConformanceSuite(
  name: string,
  makeLease: () => Promise<ConversationLease> | ConversationLease,
): void {
  describe(`ConversationLease conformance: ${name}`, () => {
    let leases: ConversationLease;
    let key: string;
    beforeEach(async () => {
      leases = await makeLease();
      key = `msteams/conv-${randomUUID()}`;
    });

    it('lets one holder at a time into a conversation', async () => {
      let inside = 0;
      let maxInside = 0;
      let done = 0;
      const turn = () =>
        withConversationLease(
          leases,
          key,
          async () => {
            inside++;
            maxInside = Math.max(maxInside, inside);
            await sleep(10);
            inside--;
            done++;
          },
          { waitMs: 5000, ...FAST },
        );
      await Promise.all([turn(), turn(), turn(), turn()]);
      expect(done).toBe(4);
      expect(maxInside).toBe(1);
    });

    it('lets different conversations hold their leases at the same time', async () => {
      const a = await leases.acquire(`${key}-a`, { waitMs: 1000 });
      const b = await leases.acquire(`${key}-b`, { waitMs: 1000 });
      expect(a.key).toBe(`${key}-a`);
      expect(b.key).toBe(`${key}-b`);
      expect(await a.release()).toBe(true);
      expect(await b.release()).toBe(true);
    });

    it('gives up with LeaseTimeoutError while the lease is held, and succeeds once it is released', async () => {
      const held = await leases.acquire(key, { ttlMs: 10_000 });
      const err = await leases.acquire(key, { waitMs: 50, ...FAST }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LeaseTimeoutError);
      expect((err as LeaseTimeoutError).code).toBe('LEASE_TIMEOUT');
      expect(await held.release()).toBe(true);
      const next = await leases.acquire(key, { waitMs: 1000, ...FAST });
      expect(await next.release()).toBe(true);
    });

    it('a waiter gets the lease when the holder releases it within the wait', async () => {
      const held = await leases.acquire(key, { ttlMs: 10_000 });
      const waiting = leases.acquire(key, { waitMs: 5000, ...FAST });
      await sleep(20);
      await held.release();
      const next = await waiting;
      expect(next.owner).not.toBe(held.owner);
      expect(await next.release()).toBe(true);
    });

    it('renews while held, releases exactly once, and then no longer renews', async () => {
      const handle = await leases.acquire(key, { ttlMs: 10_000 });
      expect(handle.expiresAt).toBeGreaterThan(Date.now());
      expect(await handle.renew()).toBe(true);
      expect(await handle.release()).toBe(true);
      expect(await handle.release()).toBe(false);
      expect(await handle.renew()).toBe(false);
    });

    it('releases the lease when the guarded work throws', async () => {
      await expect(
        withConversationLease(leases, key, async () => {
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const next = await leases.acquire(key, { waitMs: 200, ...FAST });
      expect(await next.release()).toBe(true);
    });
  });
}
