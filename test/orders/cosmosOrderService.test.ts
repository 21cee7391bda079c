import { CosmosOrderService } from '../../src/orders/cosmosOrderService';
import { SAMPLE_ORDERS_AS_OF, seedOrders } from '../../src/orders/seedOrders';
import { startCosmosFixture } from '../actions/fixtures/cosmos';
import { runOrderServiceConformance } from './orderServiceConformance';

runOrderServiceConformance('Cosmos (embedded server, real SDK)', async () => {
  const cosmos = await startCosmosFixture(['orders']);
  const container = cosmos.container('orders');
  // Dated as written in the file, so the conformance suite compares like with like.
  const asOf = new Date(SAMPLE_ORDERS_AS_OF);
  await seedOrders(container, undefined, asOf);
  // Seeding twice must not duplicate, as the bot seeds on every embedded start.
  await seedOrders(container, undefined, asOf);
  return { service: new CosmosOrderService(container), close: () => cosmos.close() };
});
