import { MemoryStorage } from 'botbuilder';
import { afterAll, beforeAll } from 'vitest';
import { type CosmosStores, createCosmosStores } from '../../src/storage';
import { storageConformanceSuite } from '../conformance/turnState.conformance';

let stores: CosmosStores;
beforeAll(async () => {
  stores = await createCosmosStores({ database: 'conformance' });
});
afterAll(async () => {
  await stores?.close();
});

storageConformanceSuite('CosmosStateStorage (embedded Cosmos over HTTPS)', () => stores.storage);
// Proves the suite is honest: botbuilder's reference in-memory implementation passes it too.
storageConformanceSuite('botbuilder MemoryStorage', () => new MemoryStorage());
