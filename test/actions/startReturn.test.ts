import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCardActionHandler } from '../../src/teams/routes/cardActions';
import type { BusinessActions } from '../../src/actions';
import { createBusinessActions } from '../../src/composition/business';
import { selectReturnItems } from '../../src/actions/startReturn';
import type { Order } from '../../src/orders/order';
import { returnBlocker } from '../../src/orders/returnWindow';
import { loadOrdersFile } from '../../src/orders/seedOrders';
import { type CosmosFixture, startCosmosFixture } from './fixtures/cosmos';
import { type OrdersApiStub, startOrdersApiStub } from '../fakes/ordersApiStub';

const DAY = 24 * 3600 * 1000;
const order = (over: Partial<Order> = {}): Order => ({
  id: 'ORD-50001',
  ownerAadObjectId: 'owner',
  status: 'delivered',
  currency: 'EUR',
  items: [
    { sku: 'LMP-2', name: 'Desk lamp', quantity: 1, price: 39 },
    { sku: 'BLB-6', name: 'LED bulb', quantity: 4, price: 4.5 },
  ],
  orderedAt: '2025-03-01T10:00:00Z',
  deliveredAt: '2025-03-05T10:00:00Z',
  ...over,
});

describe('return window', () => {
  const delivered = Date.parse('2025-03-05T10:00:00Z');
  it('accepts a delivered order up to the last moment of the window, refuses one after it', () => {
    expect(returnBlocker(order(), 30, new Date(delivered + 30 * DAY))).toBeUndefined();
    expect(returnBlocker(order(), 30, new Date(delivered + 30 * DAY + 1000))).toBe('outside_window');
    expect(returnBlocker(order(), 7, new Date(delivered + 8 * DAY))).toBe('outside_window');
  });
  it('names why other orders cannot be returned', () => {
    const now = new Date(delivered + DAY);
    expect(returnBlocker(order({ status: 'shipped', deliveredAt: undefined }), 30, now)).toBe(
      'not_delivered',
    );
    expect(returnBlocker(order({ status: 'processing', deliveredAt: undefined }), 30, now)).toBe(
      'not_delivered',
    );
    expect(returnBlocker(order({ status: 'returned' }), 30, now)).toBe('returned');
    expect(returnBlocker(order({ status: 'cancelled' }), 30, now)).toBe('cancelled');
    // Delivered without any date: cannot be shown to be inside the window.
    expect(returnBlocker(order({ deliveredAt: undefined }), 30, now)).toBe('outside_window');
  });
});

describe('selectReturnItems', () => {
  it('returns every line when none is named', () => {
    expect(selectReturnItems(order(), undefined)).toEqual({ ok: true, items: order().items });
  });
  it('matches by SKU, exact name or a unique part of a name, with quantities, in order line order', () => {
    const picked = selectReturnItems(order(), [{ item: 'bulb', quantity: 2 }, { item: 'lmp-2' }]);
    expect(picked).toEqual({
      ok: true,
      items: [
        { sku: 'LMP-2', name: 'Desk lamp', quantity: 1, price: 39 },
        { sku: 'BLB-6', name: 'LED bulb', quantity: 2, price: 4.5 },
      ],
    });
  });
  it('refuses unknown items, ambiguous parts and more than was ordered', () => {
    expect(selectReturnItems(order(), [{ item: 'toaster' }])).toMatchObject({ ok: false });
    expect(selectReturnItems(order(), [{ item: 'e' }])).toMatchObject({ ok: false });
    expect(selectReturnItems(order(), [{ item: 'LED bulb', quantity: 5 }])).toMatchObject({
      ok: false,
      error: expect.stringContaining('only 4 × LED bulb'),
    });
    expect(
      selectReturnItems(order(), [
        { item: 'LED bulb', quantity: 3 },
        { item: 'BLB-6', quantity: 2 },
      ]),
    ).toMatchObject({ ok: false });
  });
});

/** The REST backend end to end through the business actions: tool, card data, Confirm, stub and Cosmos. */
describe('start_return with the REST order backend', () => {
  let cosmos: CosmosFixture;
  let stub: OrdersApiStub;
  let actions: BusinessActions;
  const alex = '00000000-0000-0000-0000-00000000a001';

  beforeAll(async () => {
    cosmos = await startCosmosFixture(['tickets', 'returns']);
    // The sample orders as the API's data, ORD-10388 delivered yesterday.
    const orders = await loadOrdersFile();
    const ord = orders.find((o) => o.id === 'ORD-10388')!;
    ord.deliveredAt = new Date(Date.now() - DAY).toISOString();
    orders.find((o) => o.id === 'ORD-10470')!.deliveredAt = new Date(Date.now() - 2 * DAY).toISOString();
    stub = await startOrdersApiStub(orders);
    actions = await createBusinessActions({
      orders: { kind: 'rest', baseUrl: stub.baseUrl },
      tickets: cosmos.ticketRepository(),
      returns: cosmos.container('returns'),
      draftSecret: 'draft-secret-0123456789',
    });
  });
  afterAll(async () => {
    await stub.close();
    await cosmos.close();
  });

  it('posts the documented return request once; a repeat Confirm posts nothing and keeps the RMA id', async () => {
    const ctx = actions.contextFor({ aadObjectId: alex, name: 'Alex' }, 'conv-rest');
    const out = await actions.registry.get('start_return')!(ctx, {
      orderId: 'ORD-10388',
      reason: 'too loud',
    });
    expect(out.ok).toBe(true);
    const offer = (out as { data: { returnOffer: { data: Record<string, unknown> } } }).data.returnOffer;
    expect(stub.requests.some((r) => r.method === 'POST')).toBe(false);

    const first = await createCardActionHandler(actions.deps, actions.registry)(
      ctx,
      'order.returnConfirm',
      offer.data,
    );
    expect(first.ok).toBe(true);
    const posts = stub.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.url)).toEqual(['/api/orders/ORD-10388/returns']);
    const rmaId = String(first.audit?.rmaId);
    expect(rmaId).toMatch(/^RMA-\d{6}$/);
    const { resource: record } = await cosmos.container('returns').item(rmaId, alex).read();
    expect(record).toMatchObject({
      orderId: 'ORD-10388',
      reason: 'too loud',
      refundMethod: 'original_payment_method',
    });

    const again = await createCardActionHandler(actions.deps, actions.registry)(
      ctx,
      'order.returnConfirm',
      offer.data,
    );
    expect(again.audit).toMatchObject({ rmaId, changed: false });
    expect(stub.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('never posts for a foreign order or one not delivered', async () => {
    const ctx = actions.contextFor({ aadObjectId: alex }, 'conv-rest-2');
    stub.requests.length = 0;
    const foreign = await actions.registry.get('start_return')!(ctx, {
      orderId: 'ORD-10430',
      reason: 'x y z',
    });
    expect(foreign).toMatchObject({ ok: false, code: 'not_found' });
    const shipped = await actions.registry.get('start_return')!(ctx, {
      orderId: 'ORD-10421',
      reason: 'x y z',
    });
    expect(shipped).toMatchObject({ ok: true, summary: expect.stringContaining("hasn't been delivered") });
    expect(stub.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('a Confirm after a crash between marking the order and storing the record completes that return', async () => {
    const dana = '00000000-0000-0000-0000-00000000a004';
    const ctx = actions.contextFor({ aadObjectId: dana, name: 'Dana' }, 'conv-rest-3');
    const out = await actions.registry.get('start_return')!(ctx, {
      orderId: 'ORD-10470',
      reason: 'wrong model',
    });
    const offer = (out as { data: { returnOffer: { data: Record<string, unknown> } } }).data.returnOffer;
    // Step 1 happened (the order carries an RMA id), then the process died before the record.
    await actions.orders.requestReturn(
      'ORD-10470',
      { aadObjectId: dana, canViewAll: false },
      { allocateRmaId: async () => 'RMA-900001', windowDays: 30 },
    );
    const retried = await createCardActionHandler(actions.deps, actions.registry)(
      ctx,
      'order.returnConfirm',
      offer.data,
    );
    expect(retried.audit).toMatchObject({
      rmaId: 'RMA-900001',
      changed: false,
      ticketId: expect.stringMatching(/^TKT-/),
    });
    const { resource: record } = await cosmos.container('returns').item('RMA-900001', dana).read();
    expect(record).toMatchObject({
      orderId: 'ORD-10470',
      reason: 'wrong model',
      ticketId: retried.audit?.ticketId,
    });
    const { resources: tickets } = await cosmos
      .container('tickets')
      .items.query({
        query: 'SELECT * FROM c WHERE c.orderId = @o',
        parameters: [{ name: '@o', value: 'ORD-10470' }],
      })
      .fetchAll();
    expect(tickets).toHaveLength(1);
  });
});
