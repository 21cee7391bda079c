import type { Storage, StoreItem } from 'botbuilder';
import { beforeEach, describe, expect, it } from 'vitest';

/**
 * The botbuilder Storage contract (after botbuilder's StorageBaseTests). Every state-store
 * backend must pass it; it is also run against botbuilder's MemoryStorage to prove the suite
 * itself asserts real behaviour.
 */
export function storageConformanceSuite(name: string, makeStorage: () => Promise<Storage> | Storage): void {
  describe(`Storage conformance: ${name}`, () => {
    let storage: Storage;
    let n = 0;
    // A fresh key space per test, so tests do not depend on each other.
    const key = (suffix: string) => `test-${Date.now().toString(36)}-${++n}/${suffix}`;

    beforeEach(async () => {
      storage = await makeStorage();
    });

    it('reads missing keys as absent', async () => {
      const items = await storage.read([key('missing-1'), key('missing-2')]);
      expect(items).toEqual({});
    });

    it('creates, reads back with an eTag, updates and deletes', async () => {
      const k = key('crud');
      await storage.write({ [k]: { count: 1, nested: { list: [1, 2, 3], text: 'héllo ✓' } } });
      const read1 = await storage.read([k]);
      expect(read1[k]).toMatchObject({ count: 1, nested: { list: [1, 2, 3], text: 'héllo ✓' } });
      expect(typeof read1[k].eTag).toBe('string');
      expect(read1[k].eTag.length).toBeGreaterThan(0);

      await storage.write({ [k]: { ...read1[k], count: 2 } });
      const read2 = await storage.read([k]);
      expect(read2[k].count).toBe(2);
      expect(read2[k].eTag).not.toBe(read1[k].eTag);

      await storage.delete([k]);
      expect(await storage.read([k])).toEqual({});
    });

    it('reads several keys at once and returns only those that exist', async () => {
      const a = key('multi-a');
      const b = key('multi-b');
      await storage.write({ [a]: { v: 'a' }, [b]: { v: 'b' } });
      const items = await storage.read([a, b, key('multi-missing')]);
      expect(Object.keys(items).sort()).toEqual([a, b].sort());
      expect(items[a].v).toBe('a');
      expect(items[b].v).toBe('b');
    });

    it("lets eTag '*' and a missing eTag overwrite (last writer wins)", async () => {
      const k = key('star');
      await storage.write({ [k]: { v: 1 } });
      await storage.write({ [k]: { v: 2, eTag: '*' } });
      expect((await storage.read([k]))[k].v).toBe(2);
      await storage.write({ [k]: { v: 3 } });
      expect((await storage.read([k]))[k].v).toBe(3);
    });

    it('accepts a write with the current eTag', async () => {
      const k = key('etag-ok');
      await storage.write({ [k]: { v: 1 } });
      const current = (await storage.read([k]))[k] as StoreItem;
      await storage.write({ [k]: { ...current, v: 2 } });
      expect((await storage.read([k]))[k].v).toBe(2);
    });

    it('rejects a write with a stale eTag and keeps the newer value (412)', async () => {
      const k = key('etag-stale');
      await storage.write({ [k]: { v: 1 } });
      const first = (await storage.read([k]))[k] as StoreItem;
      await storage.write({ [k]: { ...first, v: 2 } });
      await expect(storage.write({ [k]: { ...first, v: 3 } })).rejects.toThrow(/eTag conflict/i);
      expect((await storage.read([k]))[k].v).toBe(2);
    });

    it('lets exactly one of two writers with the same eTag win', async () => {
      const k = key('etag-race');
      await storage.write({ [k]: { v: 0 } });
      const seen = (await storage.read([k]))[k] as StoreItem;
      const results = await Promise.allSettled([
        storage.write({ [k]: { ...seen, v: 'A' } }),
        storage.write({ [k]: { ...seen, v: 'B' } }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const winner = results[0].status === 'fulfilled' ? 'A' : 'B';
      expect((await storage.read([k]))[k].v).toBe(winner);
    });

    it('does not persist the eTag inside the stored value', async () => {
      const k = key('etag-not-data');
      await storage.write({ [k]: { v: 1, eTag: '*' } });
      const item = (await storage.read([k]))[k];
      expect(item.eTag).not.toBe('*');
    });

    it('stores keys with odd characters separately', async () => {
      const keys = [
        key('a/b\\c?d#e*f%g'),
        key('a_b_c_d_e_f_g'),
        key('spaces and ünïcödé 日本 🚀'),
        key('quote"apos\'<tag>&amp;'),
      ];
      await storage.write(Object.fromEntries(keys.map((k, i) => [k, { i }])));
      const items = await storage.read(keys);
      keys.forEach((k, i) => expect(items[k]?.i).toBe(i));
    });

    it('handles very long keys (> 255 characters) without collisions', async () => {
      const prefix = key('long-') + 'x'.repeat(400);
      const a = `${prefix}A`;
      const b = `${prefix}B`;
      await storage.write({ [a]: { v: 'A' }, [b]: { v: 'B' } });
      const items = await storage.read([a, b]);
      expect(items[a].v).toBe('A');
      expect(items[b].v).toBe('B');
      await storage.delete([a]);
      expect(Object.keys(await storage.read([a, b]))).toEqual([b]);
    });

    it('keeps a Teams channel thread (;messageid=) apart from its root conversation', async () => {
      const root = `msteams/28:bot/conversations/19:${key('chan')}@thread.tacv2`;
      const thread = `${root};messageid=1700000000000`;
      await storage.write({ [root]: { which: 'root' }, [thread]: { which: 'thread' } });
      const items = await storage.read([root, thread]);
      expect(items[root].which).toBe('root');
      expect(items[thread].which).toBe('thread');
    });

    it('treats deleting a missing key as a no-op', async () => {
      await expect(storage.delete([key('never-written')])).resolves.toBeUndefined();
    });

    it('rejects a missing keys/changes argument with a clear error', async () => {
      await expect((async () => storage.read(undefined as unknown as string[]))()).rejects.toThrow(
        /keys are required/i,
      );
      await expect(
        (async () => storage.write(undefined as unknown as Record<string, StoreItem>))(),
      ).rejects.toThrow(/changes are required/i);
    });
  });
}
