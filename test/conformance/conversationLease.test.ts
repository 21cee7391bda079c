import { afterAll, beforeAll } from 'vitest';
import { type CosmosStores, createCosmosStores, InProcessConversationLease } from '../../src/storage';
import { CircuitBreakingLease, DependencyPolicy, isCosmosFailure } from '../../src/resilience';
import { conversationLeaseConformanceSuite } from './conversationLease.conformance';

let stores: CosmosStores;
beforeAll(async () => {
  // The embedded Cosmos-protocol server over HTTPS and the real @azure/cosmos client.
  stores = await createCosmosStores({ database: 'lease-conformance' });
});
afterAll(() => stores?.close());

conversationLeaseConformanceSuite('CosmosConversationLease (embedded Cosmos, real SDK)', () => stores.leases);
conversationLeaseConformanceSuite('InProcessConversationLease', () => new InProcessConversationLease());
conversationLeaseConformanceSuite(
  'CircuitBreakingLease over the Cosmos lease (what the bot uses with a shared Cosmos)',
  () =>
    new CircuitBreakingLease(
      stores.leases,
      new DependencyPolicy({ name: 'cosmos', isFailure: isCosmosFailure }),
    ),
);
