import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { type CosmosStores, createCosmosStores, StorageUnavailableError } from '../../src/storage';
import { type EmbeddedCosmos, startEmbeddedCosmos } from '../../src/storage/embeddedCosmos';

async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('Cosmos unavailable and back', () => {
  it('fails fast with StorageUnavailableError, reports unhealthy, and recovers on a new server', async () => {
    const port = await freePort();
    let server: EmbeddedCosmos = await startEmbeddedCosmos(port);
    cleanups.push(() => server.close());
    const stores: CosmosStores = await createCosmosStores({
      endpoint: server.endpoint,
      key: 'k',
      allowSelfSignedCert: true,
      database: 'faults',
      requestTimeoutMs: 1000,
      operationTimeoutMs: 2000,
    });
    cleanups.push(() => stores.close());
    const key = 'msteams/28:bot/conversations/faulty';
    const conv = 'a:faulty';
    await stores.storage.write({ [key]: { v: 1 } });
    expect(await stores.health()).toEqual({ ok: true });

    await server.close();

    const started = Date.now();
    await expect(stores.storage.read([key])).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(stores.storage.write({ [key]: { v: 2 } })).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(
      stores.transcripts.append({
        conversationId: conv,
        activityId: 'x',
        kind: 'system',
        timestamp: new Date().toISOString(),
      }),
    ).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(stores.leases.acquire(key, { waitMs: 100 })).rejects.toBeInstanceOf(StorageUnavailableError);
    // Each of the four calls is bounded by operationTimeoutMs (2 s), so the whole block can't hang.
    expect(Date.now() - started).toBeLessThan(4 * 2000 + 1000);
    const health = await stores.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/unreachable|timed out|HTTP 5/);

    // A NEW embedded server on the same port: empty (no database, no containers).
    server = await startEmbeddedCosmos(port);
    expect(await stores.storage.read([key])).toEqual({}); // data is gone: fine for the embedded server
    await stores.storage.write({ [key]: { v: 3 } }); // 404 on the container → re-created lazily
    expect((await stores.storage.read([key]))[key].v).toBe(3);
    await stores.transcripts.append({
      conversationId: conv,
      activityId: 'y',
      kind: 'system',
      timestamp: new Date().toISOString(),
    });
    expect(await stores.transcripts.list(conv)).toHaveLength(1);
    const lease = await stores.leases.acquire(key, { waitMs: 100 });
    expect(await lease.release()).toBe(true);
    expect((await stores.health()).ok).toBe(true);
  });

  it('a deleted container other than state (tickets) is re-created by the health check, or reported when creation is off', async () => {
    const server = await startEmbeddedCosmos();
    cleanups.push(() => server.close());
    const options = { endpoint: server.endpoint, key: 'k', allowSelfSignedCert: true, database: 'lost' };
    const stores = await createCosmosStores(options);
    cleanups.push(() => stores.close());
    const strict = await createCosmosStores({ ...options, createIfMissing: false });
    cleanups.push(() => strict.close());
    expect(await strict.health()).toEqual({ ok: true });

    await stores.containers.tickets.delete();
    expect(await strict.health()).toEqual({
      ok: false,
      detail: 'missing in database "lost": tickets (creation is off)',
    });
    // ensureExists() ran at start-up; the health check must not trust that memory.
    expect(await stores.health()).toEqual({ ok: true, detail: 're-created missing containers: tickets' });
    expect((await stores.containers.tickets.read()).resource?.partitionKey?.paths).toEqual(['/pk']);
    expect(await strict.health()).toEqual({ ok: true });
    expect(await stores.health()).toEqual({ ok: true });
  });

  it('reports an unreachable endpoint at start-up as unhealthy instead of hanging or crashing', async () => {
    const port = await freePort(); // nothing listens here
    const stores = await createCosmosStores({
      endpoint: `https://127.0.0.1:${port}`,
      key: 'k',
      allowSelfSignedCert: true,
      database: 'down',
      requestTimeoutMs: 500,
      operationTimeoutMs: 1000,
    });
    cleanups.push(() => stores.close());
    expect((await stores.health()).ok).toBe(false);
    await expect(stores.storage.read(['k'])).rejects.toBeInstanceOf(StorageUnavailableError);
  });

  it('with createIfMissing=false does not create the database, and health says so', async () => {
    const server = await startEmbeddedCosmos();
    cleanups.push(() => server.close());
    const stores = await createCosmosStores({
      endpoint: server.endpoint,
      key: 'k',
      allowSelfSignedCert: true,
      database: 'not-created',
      createIfMissing: false,
    });
    cleanups.push(() => stores.close());
    const health = await stores.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/missing/);
    const { resources } = await stores.client.databases.readAll().fetchAll();
    expect(resources.map((d) => d.id)).not.toContain('not-created');
  });
});
