import https from 'node:https';
import { CosmosClient } from '@azure/cosmos';
import type { TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosmosStores, type StorageOperationEvent } from '../../src/storage';
import { type EmbeddedCosmos, startEmbeddedCosmos } from '../../src/storage/embeddedCosmos';
import { startThrottlingProxy } from './throttlingProxy';
import containers from '../../src/storage/containers.json';

let server: EmbeddedCosmos;
beforeAll(async () => {
  server = await startEmbeddedCosmos();
  // "Bicep" provisions the database and containers with an admin identity beforehand.
  const admin = new CosmosClient({
    endpoint: server.endpoint,
    key: 'admin',
    agent: new https.Agent({ rejectUnauthorized: false }),
  });
  const { database } = await admin.databases.createIfNotExists({ id: 'entra' });
  // 'outbox' is deliberately missing: creating it needs the control plane, which Entra data-plane
  // roles may not use (403); start-up must warn, not fail.
  for (const id of ['state', 'transcripts', 'leases', 'orders', 'tickets', 'returns']) {
    await database.containers.createIfNotExists({
      id,
      partitionKey: { paths: [id === 'orders' ? '/ownerAadObjectId' : '/pk'] },
    });
  }
  admin.dispose();
});
afterAll(async () => {
  await server?.close();
});

describe('Entra ID (no key)', () => {
  it('authenticates with the token credential, tolerates 403 on control-plane creates, and reports a missing container as not ready', async () => {
    const isControlPlaneCreate = (method: string, url: string) =>
      method === 'POST' && /^\/+dbs(\/[^/]+\/colls)?\/?$/.test(url);
    const proxy = await startThrottlingProxy(server.endpoint, isControlPlaneCreate, 1000, 403);
    const scopes: string[] = [];
    const credential: TokenCredential = {
      getToken: async (scope) => {
        scopes.push(...(Array.isArray(scope) ? scope : [scope]));
        return { token: 'fake-entra-token', expiresOnTimestamp: Date.now() + 3600_000 };
      },
    };
    const events: StorageOperationEvent[] = [];
    const stores = await createCosmosStores({
      endpoint: proxy.endpoint,
      database: 'entra',
      allowSelfSignedCert: true,
      enableEndpointDiscovery: false,
      credential,
      onOperation: (e) => events.push(e),
    });
    try {
      expect(proxy.throttled()).toBe(1); // creating the missing container was refused with 403…
      await stores.storage.write({ 'msteams/28:b/users/29:u': { v: 1 } }); // …yet data-plane works
      expect((await stores.storage.read(['msteams/28:b/users/29:u']))['msteams/28:b/users/29:u'].v).toBe(1);
      expect(scopes.some((s) => s.includes('documents.azure.com') || s.includes('/.default'))).toBe(true);
      // Readiness tells the truth: outbox is missing and this identity may not create it…
      expect(await stores.health()).toEqual({
        ok: false,
        detail: expect.stringMatching(/missing in database "entra": outbox; this identity may not create/),
      });
      // …until the admin (Bicep) provisions it. Then the check is data-plane point reads only,
      // one per container: no metadata read and no create, which the data-plane role may not do.
      const admin = new CosmosClient({
        endpoint: server.endpoint,
        key: 'admin',
        agent: new https.Agent({ rejectUnauthorized: false }),
      });
      await admin
        .database('entra')
        .containers.createIfNotExists({ id: 'outbox', partitionKey: { paths: ['/pk'] } });
      admin.dispose();
      const before = proxy.forwarded().length;
      expect(await stores.health()).toEqual({ ok: true });
      const probes = proxy.forwarded().slice(before);
      expect(probes).toHaveLength(containers.containers.length);
      expect(probes.every((r) => /^GET \/dbs\/entra\/colls\/[a-z]+\/docs\/[^/]+$/.test(r))).toBe(true);
    } finally {
      await stores.close();
      await proxy.close();
    }
  });
});
