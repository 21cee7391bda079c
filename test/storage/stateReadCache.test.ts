import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CosmosStores, createCosmosStores } from '../../src/storage';
import type { StorageOperationEvent } from '../../src/storage/cosmosOperation';
import { ETagConflictError } from '../../src/storage/errors';
import { embeddedWithClients } from './cosmosHelpers';

/** State reads served from memory where this process is the only writer (the embedded store). */
describe('state read cache of the embedded store', () => {
  const ops: StorageOperationEvent[] = [];
  let stores: CosmosStores;
  const stateOps = (operation: string) =>
    ops.filter((o) => o.container === 'state' && o.operation === operation).length;

  beforeAll(async () => {
    stores = await createCosmosStores({ database: 'cache', onOperation: (e) => ops.push(e) });
  });
  afterAll(async () => {
    await stores?.close();
  });

  it('answers a read after a write from memory, with the eTag Cosmos gave the write', async () => {
    await stores.storage.write({ 'c/1': { turns: 1 } });
    const readsBefore = stateOps('read');
    const first = (await stores.storage.read(['c/1']))['c/1']!;
    expect(first.turns).toBe(1);
    expect(stateOps('read')).toBe(readsBefore);
    // The cached eTag is the real one: an If-Match replace with it succeeds, a stale one does not.
    await stores.storage.write({ 'c/1': { turns: 2, eTag: first.eTag } });
    await expect(stores.storage.write({ 'c/1': { turns: 3, eTag: first.eTag } })).rejects.toBeInstanceOf(
      ETagConflictError,
    );
    const second = (await stores.storage.read(['c/1']))['c/1']!;
    expect(second.turns).toBe(2);
    expect(second.eTag).not.toBe(first.eTag);
  });

  it('hands out copies: mutating what was read changes nothing stored', async () => {
    await stores.storage.write({ 'c/2': { list: [1, 2], nested: { a: 'x' } } });
    const read = (await stores.storage.read(['c/2']))['c/2']!;
    (read.list as number[]).push(3);
    (read.nested as { a: string }).a = 'changed';
    const again = (await stores.storage.read(['c/2']))['c/2']!;
    expect(again.list).toEqual([1, 2]);
    expect(again.nested).toEqual({ a: 'x' });
  });

  it('reads from Cosmos once after a failed write, and after a delete finds nothing', async () => {
    await stores.storage.write({ 'c/3': { v: 1 } });
    const { eTag } = (await stores.storage.read(['c/3']))['c/3']!;
    await stores.storage.write({ 'c/3': { v: 2, eTag } });
    await expect(stores.storage.write({ 'c/3': { v: 9, eTag } })).rejects.toBeInstanceOf(ETagConflictError);
    const readsBefore = stateOps('read');
    expect((await stores.storage.read(['c/3']))['c/3']!.v).toBe(2);
    expect(stateOps('read')).toBe(readsBefore + 1);
    await stores.storage.delete(['c/3']);
    expect(await stores.storage.read(['c/3'])).toEqual({});
  });

  it('is off against a shared account: a write by another instance is seen at once', async () => {
    const shared = await embeddedWithClients(2, { database: 'cacheShared' });
    try {
      const [a, b] = shared.clients;
      await a!.storage.write({ 'c/4': { by: 'a' } });
      expect((await a!.storage.read(['c/4']))['c/4']!.by).toBe('a');
      await b!.storage.write({ 'c/4': { by: 'b' } });
      expect((await a!.storage.read(['c/4']))['c/4']!.by).toBe('b');
    } finally {
      await shared.close();
    }
  });
});
