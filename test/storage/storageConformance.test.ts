import { MemoryStorage } from 'botbuilder';
import { afterAll, beforeAll } from 'vitest';
import { type CosmosStores, createCosmosStores } from '../../src/storage';
import { storageConformanceSuite } from '../conformance/turnState.conformance';
import { embeddedWithClients } from './cosmosHelpers';

let stores: CosmosStores;
let shared: Awaited<ReturnType<typeof embeddedWithClients>>;
beforeAll(async () => {
  stores = await createCosmosStores({ database: 'conformance' });
  shared = await embeddedWithClients(1, { database: 'conformanceShared' });
});
afterAll(async () => {
  await stores?.close();
  await shared?.close();
});

// The bot's own embedded store: reads answered from its state cache where it can.
storageConformanceSuite('CosmosStateStorage (embedded Cosmos, state cache on)', () => stores.storage);
// An account reached by endpoint, as in Azure: no cache, every read goes to Cosmos.
storageConformanceSuite(
  'CosmosStateStorage (Cosmos by endpoint over HTTPS)',
  () => shared.clients[0]!.storage,
);
// Proves the suite is honest: botbuilder's reference in-memory implementation passes it too.
storageConformanceSuite('botbuilder MemoryStorage', () => new MemoryStorage());
