import { describe, expect, it } from 'vitest';
import { searchOrders, type Order, type OrderService } from '../../src/orders';

const order = (id: string, owner: string, extra: Partial<Order> = {}): Order => ({
  id,
  ownerAadObjectId: owner,
  status: 'shipped',
  currency: 'EUR',
  items: [{ sku: 'SKU-1', name: 'Rain jacket', quantity: 1, price: 10 }],
  orderedAt: '2026-01-01T00:00:00Z',
  ...extra,
});

const all = [
  order('ORD-00001', 'alex'),
  order('ORD-00002', 'alex', {
    status: 'out_for_delivery',
    items: [{ sku: 'B', name: 'Boots', quantity: 1, price: 1 }],
  }),
  order('ORD-00003', 'bea'),
];

/** An order service with the seam's ownership rule, over a fixed list. */
const service: OrderService = {
  get: async (id, viewer) =>
    all.find((o) => o.id === id && (viewer.canViewAll || o.ownerAadObjectId === viewer.aadObjectId)),
  listForOwner: async (owner) => all.filter((o) => o.ownerAadObjectId === owner),
  cancel: async () => ({ ok: false, code: 'not_found' }),
  requestReturn: async () => ({ ok: false, code: 'not_found' }),
};
const alex = { aadObjectId: 'alex', canViewAll: false };
const ids = (orders: Order[]) => orders.map((o) => o.id);

describe('searchOrders', () => {
  it('lists the own orders for an empty query and matches item names, statuses and ids', async () => {
    expect(ids(await searchOrders(service, alex, ''))).toEqual(['ORD-00001', 'ORD-00002']);
    expect(ids(await searchOrders(service, alex, 'boots'))).toEqual(['ORD-00002']);
    expect(ids(await searchOrders(service, alex, 'out for delivery'))).toEqual(['ORD-00002']);
    expect(ids(await searchOrders(service, alex, 'jacket ORD-00001'))).toEqual(['ORD-00001']);
  });

  it("finds someone else's order only by exact id and only for a viewer who may see any", async () => {
    expect(await searchOrders(service, alex, 'ord-00003')).toEqual([]);
    expect(ids(await searchOrders(service, alex, 'jacket'))).toEqual(['ORD-00001']);
    expect(ids(await searchOrders(service, { aadObjectId: 'dana', canViewAll: true }, 'ord-00003'))).toEqual([
      'ORD-00003',
    ]);
  });

  it('gives a viewer without an id nothing, and honours the limit', async () => {
    expect(await searchOrders(service, { aadObjectId: '', canViewAll: true }, 'ORD-00003')).toEqual([]);
    expect(await searchOrders(service, alex, '', 1)).toHaveLength(1);
  });
});
