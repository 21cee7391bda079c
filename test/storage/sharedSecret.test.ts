import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CosmosClient, type Container } from '@azure/cosmos';
import { loadOrCreateSharedSecret, startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/storage';

let cosmos: EmbeddedCosmos;
let containers: Container[];

beforeAll(async () => {
  cosmos = await startEmbeddedCosmos();
  // Two clients, as two bot instances would have.
  containers = [];
  for (let i = 0; i < 2; i++) {
    containers.push(
      await (async () => {
        const client = new CosmosClient({
          endpoint: cosmos.endpoint,
          key: 'dummy',
          agent: new https.Agent({ rejectUnauthorized: false }),
          connectionPolicy: { enableEndpointDiscovery: false },
        });
        const { database } = await client.databases.createIfNotExists({ id: 'secrets-test' });
        const { container } = await database.containers.createIfNotExists({
          id: 'state',
          partitionKey: { paths: ['/pk'] },
        });
        return container;
      })(),
    );
  }
});
afterAll(async () => {
  await cosmos.close();
});

describe('loadOrCreateSharedSecret', () => {
  it('gives every instance the same secret, even when they race to create it', async () => {
    const [a, b, c] = await Promise.all([
      loadOrCreateSharedSecret(containers[0], 'cards'),
      loadOrCreateSharedSecret(containers[1], 'cards'),
      loadOrCreateSharedSecret(containers[0], 'cards'),
    ]);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(await loadOrCreateSharedSecret(containers[1], 'cards')).toBe(a);
  });

  it('keeps secrets of different names apart', async () => {
    const x = await loadOrCreateSharedSecret(containers[0], 'x');
    const y = await loadOrCreateSharedSecret(containers[0], 'y');
    expect(x).not.toBe(y);
  });
});
