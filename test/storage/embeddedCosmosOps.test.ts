import { CosmosClient } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, observeEmbeddedCosmos } from '../../src/observability/metrics';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/storage/embeddedCosmos';

describe('embedded Cosmos operation counts', () => {
  let cosmos: EmbeddedCosmos;
  beforeAll(async () => {
    cosmos = await startEmbeddedCosmos(0, '127.0.0.1', { tls: false });
  });
  afterAll(async () => {
    await cosmos?.close();
  });

  it('counts what the real @azure/cosmos client asked for, by operation, and exposes it on /metrics', async () => {
    const client = new CosmosClient({
      endpoint: cosmos.endpoint,
      key: 'any',
      connectionPolicy: { enableEndpointDiscovery: false },
    });
    const { database } = await client.databases.createIfNotExists({ id: 'ops' });
    const { container } = await database.containers.createIfNotExists({ id: 'c', partitionKey: '/pk' });
    const before = await cosmos.operationCounts();
    await container.items.create({ id: 'a', pk: 'p' });
    await container.items.upsert({ id: 'b', pk: 'p' });
    const { resource } = await container.item('a', 'p').read();
    await container.item('a', 'p').replace({ ...resource, n: 1 });
    await container.items.query({ query: 'SELECT * FROM c' }).fetchAll();
    await container.item('b', 'p').delete();
    const after = await cosmos.operationCounts();
    const delta = (op: string) => (after[op] ?? 0) - (before[op] ?? 0);
    expect({
      create: delta('create'),
      upsert: delta('upsert'),
      read: delta('read'),
      replace: delta('replace'),
      delete: delta('delete'),
    }).toEqual({ create: 1, upsert: 1, read: 1, replace: 1, delete: 1 });
    expect(delta('query')).toBeGreaterThanOrEqual(1);
    expect(before.metadata).toBeGreaterThan(0); // database and container creation

    const metrics = createMetrics({ defaultMetrics: false });
    observeEmbeddedCosmos(metrics, cosmos);
    const text = await metrics.render();
    expect(text).toMatch(new RegExp(`bot_embedded_cosmos_requests\\{operation="create"\\} ${after.create}`));
    // The worker's heap, where the documents live: a live heap has used bytes, at most its total.
    const heap = (kind: string) =>
      Number(new RegExp(`bot_embedded_cosmos_heap_bytes\\{kind="${kind}"\\} (\\d+)`).exec(text)?.[1]);
    expect(heap('used')).toBeGreaterThan(0);
    expect(heap('used')).toBeLessThanOrEqual(heap('total'));
  });
});
