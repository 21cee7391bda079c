import { afterAll, describe, expect, it } from 'vitest';
import { createCosmosStores, StorageUnavailableError } from '../../src/storage';
import { startEmbeddedCosmos } from '../../src/storage/embeddedCosmos';
import { CosmosTicketRepository } from '../../src/tickets/cosmosTicketRepository';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('CosmosTicketRepository on a ManagedContainer', () => {
  it('turns an unreachable Cosmos into StorageUnavailableError for every operation', async () => {
    const server = await startEmbeddedCosmos();
    const stores = await createCosmosStores({
      endpoint: server.endpoint,
      key: 'k',
      allowSelfSignedCert: true,
      database: 'tickets-faults',
      requestTimeoutMs: 500,
      operationTimeoutMs: 1000,
    });
    cleanups.push(() => stores.close());
    const repo = new CosmosTicketRepository(stores.managed.tickets);
    expect(await repo.read('x', 'y')).toBeUndefined();
    await server.close();

    await expect(repo.read('x', 'y')).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(repo.findCreated('TKT-000001')).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(repo.nextTicketNumber()).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(repo.confirmedSince('2026-01-01')).rejects.toBeInstanceOf(StorageUnavailableError);
  });

  it('re-creates a deleted tickets container on the next write', async () => {
    const stores = await createCosmosStores({ database: 'tickets-recreate' });
    cleanups.push(() => stores.close());
    const repo = new CosmosTicketRepository(stores.managed.tickets);
    await stores.containers.tickets.delete();
    const doc = {
      id: 'd1',
      pk: 'alex',
      type: 'ticket' as const,
      status: 'draft' as const,
      title: 't',
      description: 'd',
      category: 'order' as const,
      priority: 'normal' as const,
      requester: { aadObjectId: 'alex' },
      conversationId: 'c',
      draftedAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    expect(await repo.create(doc)).toBe('created');
    expect((await repo.read('d1', 'alex'))?.doc).toEqual(doc);
  });
});
