import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CosmosStores, updateStoreItem, withConversationLease } from '../../src/storage';
import { embeddedWithClients } from './cosmosHelpers';

let env: Awaited<ReturnType<typeof embeddedWithClients>>;
let instances: CosmosStores[];
beforeAll(async () => {
  env = await embeddedWithClients(2);
  instances = env.clients;
});
afterAll(async () => {
  await env?.close();
});

interface ConversationDoc {
  turns?: number[];
  eTag?: string;
}

describe('concurrent turns of one conversation on two instances', () => {
  const convKey = 'msteams/28:bot/conversations/19:busy@thread.tacv2;messageid=99';

  it('loses no update: 50 read-modify-write turns under the lease', async () => {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const inst = instances[i % 2];
        return withConversationLease(
          inst.leases,
          convKey,
          async () => {
            // Exactly what teams-ai TurnState does: read, mutate, write back with the eTag read.
            const items = await inst.storage.read([convKey]);
            const doc = (items[convKey] ?? {}) as ConversationDoc;
            await new Promise((r) => setImmediate(r)); // let the other instance interleave if it could
            await inst.storage.write({ [convKey]: { ...doc, turns: [...(doc.turns ?? []), i] } });
          },
          { ttlMs: 10_000, waitMs: 20_000 },
        );
      }),
    );
    const final = (await instances[0].storage.read([convKey]))[convKey] as ConversationDoc;
    expect(final.turns).toHaveLength(50);
    expect([...final.turns!].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('without the lease, two first turns both write without an eTag and one update is lost (why the lease exists)', async () => {
    const key = 'msteams/28:bot/conversations/no-lease';
    const [a, b] = instances;
    // Deterministic interleaving of two turns: both read (nothing yet), then both write.
    const seenByA = ((await a.storage.read([key]))[key] ?? {}) as ConversationDoc;
    const seenByB = ((await b.storage.read([key]))[key] ?? {}) as ConversationDoc;
    await a.storage.write({ [key]: { ...seenByA, turns: [...(seenByA.turns ?? []), 1] } });
    await b.storage.write({ [key]: { ...seenByB, turns: [...(seenByB.turns ?? []), 2] } });
    // botbuilder semantics: a missing eTag means last writer wins, so turn 1 is gone.
    expect(((await a.storage.read([key]))[key] as ConversationDoc).turns).toEqual([2]);

    // Once the item exists, a stale eTag is refused (412) instead of overwriting.
    const current = (await a.storage.read([key]))[key] as ConversationDoc;
    await b.storage.write({ [key]: { ...current, turns: [2, 3] } });
    await expect(a.storage.write({ [key]: { ...current, turns: [2, 4] } })).rejects.toThrow(/eTag conflict/);
    expect(((await a.storage.read([key]))[key] as ConversationDoc).turns).toEqual([2, 3]);
  });

  it('updateStoreItem re-reads and retries on 412 so 20 concurrent increments all land', async () => {
    const key = 'msteams/28:bot/users/29:counter';
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        updateStoreItem<{ count?: number; eTag?: string }>(
          instances[i % 2].storage,
          key,
          (cur) => ({ ...cur, count: (cur?.count ?? 0) + 1 }),
          { maxAttempts: 50 },
        ),
      ),
    );
    expect((await instances[1].storage.read([key]))[key].count).toBe(20);
  });
});
