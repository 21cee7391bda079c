import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CosmosClient } from '@azure/cosmos';
import { afterAll, describe, expect, it } from 'vitest';
import { ReturnStore } from '../../src/returns/returnStore';
import { startEmbeddedCosmos } from '../../src/storage/embeddedCosmos';
import containersConfig from '../../src/storage/containers.json';

const dataDir = mkdtempSync(path.join(tmpdir(), 'returns-store-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A ReturnStore on an embedded Cosmos server persisting to `dataDir`, as the bot runs in embedded mode. */
async function open() {
  const server = await startEmbeddedCosmos(0, '127.0.0.1', { dataDir });
  const agent = new https.Agent({ rejectUnauthorized: false });
  const client = new CosmosClient({ endpoint: server.endpoint, key: 'dummy', agent });
  const { database } = await client.databases.createIfNotExists({ id: containersConfig.database });
  const spec = containersConfig.containers.find((c) => c.name === 'returns')!;
  const { container } = await database.containers.createIfNotExists({
    id: spec.name,
    partitionKey: { paths: [spec.partitionKey] },
  });
  return {
    store: new ReturnStore(container),
    close: async () => {
      client.dispose();
      agent.destroy();
      await server.close();
    },
  };
}

describe('ReturnStore RMA numbers', () => {
  it('count on across a restart of the embedded database and never repeat under concurrency', async () => {
    const first = await open();
    const before = await Promise.all(Array.from({ length: 6 }, () => first.store.nextRmaId()));
    await first.close();

    const second = await open();
    const after = [await second.store.nextRmaId(), await second.store.nextRmaId()];
    await second.close();

    expect([...before].sort()).toEqual([
      'RMA-000001',
      'RMA-000002',
      'RMA-000003',
      'RMA-000004',
      'RMA-000005',
      'RMA-000006',
    ]);
    expect(after).toEqual(['RMA-000007', 'RMA-000008']);
  });
});
