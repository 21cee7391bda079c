import { CosmosOrderService } from '../../src/orders/cosmosOrderService';
import { seedOrders } from '../../src/orders/seedOrders';
import { startCosmosFixture } from '../actions/fixtures/cosmos';
import { runOrderServiceConformance } from './orderServiceConformance';

runOrderServiceConformance('Cosmos (embedded server, real SDK)', async () => {
  const cosmos = await startCosmosFixture(['orders']);
  const container = cosmos.container('orders');
  await seedOrders(container);
  // Seeding twice must not duplicate (upsert), as the bot seeds on every embedded start.
  await seedOrders(container);
  return { service: new CosmosOrderService(container), close: () => cosmos.close() };
});
