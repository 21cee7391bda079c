import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosmosStores, StorageUnavailableError, type StorageOperationEvent } from '../../src/storage';
import { type EmbeddedCosmos, startEmbeddedCosmos } from '../../src/storage/embeddedCosmos';
import { startThrottlingProxy } from './throttlingProxy';

let server: EmbeddedCosmos;
beforeAll(async () => {
  server = await startEmbeddedCosmos();
});
afterAll(async () => {
  await server?.close();
});

const isDocWrite = (method: string, url: string) => method === 'POST' && /\/colls\/state\/docs$/.test(url);

describe('Cosmos 429 throttling', () => {
  it('is retried by the SDK (retry options) and reported with the request charge', async () => {
    const proxy = await startThrottlingProxy(server.endpoint, isDocWrite, 3);
    const events: StorageOperationEvent[] = [];
    const stores = await createCosmosStores({
      endpoint: proxy.endpoint,
      key: 'k',
      allowSelfSignedCert: true,
      enableEndpointDiscovery: false, // else the SDK follows the account's own endpoint past the proxy
      database: 'throttle-ok',
      onOperation: (e) => events.push(e),
    });
    try {
      await stores.storage.write({ 'msteams/28:bot/users/29:u': { v: 1 } });
      expect(proxy.throttled()).toBe(3);
      expect(proxy.forwarded().filter((r) => r.endsWith('/colls/state/docs'))).toHaveLength(1);
      const write = events.find((e) => e.container === 'state' && e.operation === 'upsert');
      expect(write).toMatchObject({ throttledRetries: 3, statusCode: 201 });
      expect(write!.requestCharge).toBeGreaterThan(0);
      expect((await stores.storage.read(['msteams/28:bot/users/29:u']))['msteams/28:bot/users/29:u'].v).toBe(
        1,
      );
    } finally {
      await stores.close();
      await proxy.close();
    }
  });

  it('beyond the retry budget surfaces as StorageUnavailableError (429)', async () => {
    const proxy = await startThrottlingProxy(server.endpoint, isDocWrite, 1000);
    const stores = await createCosmosStores({
      endpoint: proxy.endpoint,
      key: 'k',
      allowSelfSignedCert: true,
      enableEndpointDiscovery: false, // else the SDK follows the account's own endpoint past the proxy
      database: 'throttle-fail',
    });
    try {
      const err = await stores.storage.write({ k: { v: 1 } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageUnavailableError);
      expect((err as StorageUnavailableError).statusCode).toBe(429);
      expect(proxy.throttled()).toBe(10); // first attempt + maxRetryAttemptCount (9)
    } finally {
      await stores.close();
      await proxy.close();
    }
  });
});
