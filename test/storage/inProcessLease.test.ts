import { describe, expect, it } from 'vitest';
import { InProcessConversationLease, LeaseTimeoutError, withConversationLease } from '../../src/storage';

describe('InProcessConversationLease', () => {
  it('serialises turns of one conversation and keeps their order', async () => {
    const leases = new InProcessConversationLease();
    const log: string[] = [];
    let active = 0;
    let maxActive = 0;
    const turn = (name: string) =>
      withConversationLease(leases, 'conv-1', async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, 5));
        log.push(`end ${name}`);
        active--;
      });
    await Promise.all(['a', 'b', 'c', 'd'].map(turn));
    expect(maxActive).toBe(1);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c', 'start d', 'end d']);
  });

  it('lets different conversations run at the same time', async () => {
    const leases = new InProcessConversationLease();
    let active = 0;
    let maxActive = 0;
    await Promise.all(
      ['x', 'y', 'z'].map((key) =>
        withConversationLease(leases, key, async () => {
          active++;
          maxActive = Math.max(maxActive, active);
          await new Promise((r) => setTimeout(r, 10));
          active--;
        }),
      ),
    );
    expect(maxActive).toBe(3);
  });

  it('times out a waiter without blocking the ones queued behind it', async () => {
    const leases = new InProcessConversationLease();
    const holder = await leases.acquire('k');
    await expect(leases.acquire('k', { waitMs: 20 })).rejects.toBeInstanceOf(LeaseTimeoutError);
    const third = leases.acquire('k', { waitMs: 1000 });
    await holder.release();
    const handle = await third;
    expect(await handle.release()).toBe(true);
    expect(await handle.release()).toBe(false);
  });

  it('releases when the work throws', async () => {
    const leases = new InProcessConversationLease();
    await expect(
      withConversationLease(leases, 'k', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const next = await leases.acquire('k', { waitMs: 50 });
    await next.release();
  });
});
