import { describe, expect, it } from 'vitest';
import { CosmosOrderService } from '../../src/orders/cosmosOrderService';
import { SAMPLE_ORDERS_AS_OF, seedOrders } from '../../src/orders/seedOrders';
import { startCosmosFixture } from '../actions/fixtures/cosmos';
import { runOrderServiceConformance } from '../conformance/orderService.conformance';

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

describe('CosmosOrderService.cancel under a concurrent change', () => {
  it('does not overwrite an order that was shipped between the read and the write (If-Match)', async () => {
    const cosmos = await startCosmosFixture(['orders']);
    try {
      const container = cosmos.container('orders');
      await seedOrders(container, undefined, new Date(SAMPLE_ORDERS_AS_OF));
      const owner = '00000000-0000-0000-0000-00000000a001';
      // The warehouse ships the order just before our replace reaches the database.
      let interfered = false;
      const racing = new Proxy(container, {
        get(target, prop, receiver) {
          if (prop !== 'item') return Reflect.get(target, prop, receiver);
          return (id: string, pk: string) => {
            const item = target.item(id, pk);
            return new Proxy(item, {
              get(itemTarget, itemProp, itemReceiver) {
                if (itemProp !== 'replace') return Reflect.get(itemTarget, itemProp, itemReceiver);
                return async (...args: Parameters<typeof item.replace>) => {
                  if (!interfered) {
                    interfered = true;
                    const { resource } = await target.item(id, pk).read();
                    await target.item(id, pk).replace({ ...resource, status: 'shipped', carrier: 'DHL' });
                  }
                  return itemTarget.replace(...args);
                };
              },
            });
          };
        },
      });
      const service = new CosmosOrderService(racing);
      const result = await service.cancel('ORD-10422', { aadObjectId: owner, canViewAll: false }, {});
      expect(interfered).toBe(true);
      expect(result).toMatchObject({ ok: false, code: 'not_cancellable', order: { status: 'shipped' } });
      const { resource } = await container.item('ORD-10422', owner).read();
      expect(resource).toMatchObject({ status: 'shipped', carrier: 'DHL' });
      expect(resource.cancelledAt).toBeUndefined();
    } finally {
      await cosmos.close();
    }
  });
});
