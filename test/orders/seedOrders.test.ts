import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  datedRelativeTo,
  loadOrdersFile,
  SAMPLE_ORDERS_AS_OF,
  seedOrders,
} from '../../src/orders/seedOrders';
import { startCosmosFixture, type CosmosFixture } from '../actions/fixtures/cosmos';

describe('sample orders dated relative to today', () => {
  it('moves every date by the days between the file\'s "as of" day and today', async () => {
    const sample = await loadOrdersFile();
    const today = new Date('2026-12-01T15:30:00Z');
    const moved = datedRelativeTo(sample, today);
    const processing = moved.find((o) => o.id === 'ORD-10422')!;
    // Ordered on the file's "today": ordered today, whatever the time of day.
    expect(sample.find((o) => o.id === 'ORD-10422')!.orderedAt.slice(0, 10)).toBe(SAMPLE_ORDERS_AS_OF);
    expect(processing.orderedAt).toBe('2026-12-01T11:40:00Z');
    expect(processing.estimatedDelivery).toBe('2026-12-08');
    const delivered = moved.find((o) => o.id === 'ORD-10388')!;
    expect(delivered.deliveredAt).toBe('2026-11-17T16:20:00Z');
    // Fields that were absent stay absent; nothing else changes.
    expect(processing.shippedAt).toBeUndefined();
    expect(processing.items).toEqual(sample.find((o) => o.id === 'ORD-10422')!.items);
  });
});

describe('seedOrders', () => {
  let cosmos: CosmosFixture;
  beforeAll(async () => {
    cosmos = await startCosmosFixture(['orders']);
  });
  afterAll(() => cosmos.close());

  it('stores the sample once and leaves stored orders as they are on the next start', async () => {
    const orders = cosmos.container('orders');
    const first = await seedOrders(orders, undefined, new Date('2026-12-01T00:00:00Z'));
    expect(first).toBe((await loadOrdersFile()).length);
    const { resource } = await orders.item('ORD-10422', '00000000-0000-0000-0000-00000000a001').read();
    expect(resource.orderedAt).toBe('2026-12-01T11:40:00Z');

    // A later start (another day) adds nothing and keeps the first dates.
    expect(await seedOrders(orders, undefined, new Date('2026-12-05T00:00:00Z'))).toBe(0);
    const again = await orders.item('ORD-10422', '00000000-0000-0000-0000-00000000a001').read();
    expect(again.resource.orderedAt).toBe('2026-12-01T11:40:00Z');
    const { resources } = await orders.items.query('SELECT VALUE COUNT(1) FROM c').fetchAll();
    expect(resources[0]).toBe(first);
  });
});
