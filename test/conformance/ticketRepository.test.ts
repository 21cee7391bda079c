import { afterAll, beforeAll } from 'vitest';
import { type CosmosStores, createCosmosStores } from '../../src/storage';
import { CosmosTicketRepository } from '../../src/tickets/cosmosTicketRepository';
import { ticketRepositoryConformanceSuite } from './ticketRepository.conformance';

let stores: CosmosStores;
beforeAll(async () => {
  // The embedded Cosmos-protocol server over HTTPS and the real @azure/cosmos client.
  stores = await createCosmosStores({ database: 'ticket-conformance' });
});
afterAll(() => stores?.close());

ticketRepositoryConformanceSuite(
  'CosmosTicketRepository (embedded Cosmos, real SDK)',
  () => new CosmosTicketRepository(stores.managed.tickets),
);
