import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order, OrderService } from '../../src/orders/order';
import { loadOrdersFile } from '../../src/orders/seedOrders';

export const ALEX = '00000000-0000-0000-0000-00000000a001';
export const BEA = '00000000-0000-0000-0000-00000000a002';
export const DANA = '00000000-0000-0000-0000-00000000a004';
export const STRANGER = '00000000-0000-0000-0000-0000000000ff';

export type OrderBackendUnderTest = { service: OrderService; close(): Promise<void> };

/**
 * The behaviour every OrderService backend must share. Each backend test file starts its
 * backend holding exactly data/sample/orders.json and runs this suite against it.
 */
export function runOrderServiceConformance(name: string, start: () => Promise<OrderBackendUnderTest>): void {
  describe(`OrderService conformance: ${name}`, () => {
    let backend: OrderBackendUnderTest;
    let sample: Order[];

    beforeAll(async () => {
      sample = await loadOrdersFile();
      backend = await start();
    });
    afterAll(async () => {
      await backend?.close();
    });

    it('returns the owner their own order with every field', async () => {
      const order = await backend.service.get('ORD-10421', { aadObjectId: ALEX, canViewAll: false });
      expect(order).toEqual(sample.find((o) => o.id === 'ORD-10421'));
      expect(order?.carrier).toBe('DHL');
      expect(order?.items).toHaveLength(2);
    });

    it("hides someone else's order exactly like an unknown one", async () => {
      const foreign = await backend.service.get('ORD-10430', { aadObjectId: ALEX, canViewAll: false });
      const unknown = await backend.service.get('ORD-99999', { aadObjectId: ALEX, canViewAll: false });
      expect(foreign).toBeUndefined();
      expect(unknown).toBeUndefined();
    });

    it('lets a viewer with canViewAll see any order', async () => {
      const order = await backend.service.get('ORD-10430', { aadObjectId: DANA, canViewAll: true });
      expect(order?.ownerAadObjectId).toBe(BEA);
      expect(await backend.service.get('ORD-99999', { aadObjectId: DANA, canViewAll: true })).toBeUndefined();
    });

    it('lists only the owner orders, newest first', async () => {
      const orders = await backend.service.listForOwner(ALEX);
      expect(orders.map((o) => o.id)).toEqual(['ORD-10422', 'ORD-10421', 'ORD-10395', 'ORD-10388']);
      expect(orders.every((o) => o.ownerAadObjectId === ALEX)).toBe(true);
    });

    it('lists nothing for a user without orders', async () => {
      expect(await backend.service.listForOwner(STRANGER)).toEqual([]);
    });

    // The cancel tests change state, so they run last.
    it("does not cancel someone else's order, answering as for an unknown one", async () => {
      const viewer = { aadObjectId: ALEX, canViewAll: false };
      expect(await backend.service.cancel('ORD-10430', viewer, {})).toEqual({ ok: false, code: 'not_found' });
      expect(await backend.service.cancel('ORD-99999', viewer, {})).toEqual({ ok: false, code: 'not_found' });
      const bea = await backend.service.get('ORD-10430', { aadObjectId: BEA, canViewAll: false });
      expect(bea?.status).toBe('out_for_delivery');
    });

    it('refuses to cancel an order that has shipped, and leaves it unchanged', async () => {
      const viewer = { aadObjectId: ALEX, canViewAll: false };
      const result = await backend.service.cancel('ORD-10421', viewer, { reason: 'too late' });
      expect(result).toMatchObject({ ok: false, code: 'not_cancellable', order: { status: 'shipped' } });
      expect((await backend.service.get('ORD-10421', viewer))?.status).toBe('shipped');
    });

    it('cancels a processing order once; a repeat changes nothing', async () => {
      const viewer = { aadObjectId: ALEX, canViewAll: false };
      const first = await backend.service.cancel('ORD-10422', viewer, { reason: 'ordered twice' });
      expect(first).toMatchObject({ ok: true, changed: true, order: { status: 'cancelled' } });
      const stored = await backend.service.get('ORD-10422', viewer);
      expect(stored?.status).toBe('cancelled');
      expect(stored?.cancelReason).toBe('ordered twice');
      expect(Date.parse(stored?.cancelledAt ?? '')).not.toBeNaN();
      const again = await backend.service.cancel('ORD-10422', viewer, { reason: 'other' });
      expect(again).toMatchObject({ ok: true, changed: false });
      expect(await backend.service.get('ORD-10422', viewer)).toEqual(stored);
    });

    // Return requests: the sample file's dates are as of 2025-03-10 (not moved to today here).
    const asOf = new Date('2025-03-10T12:00:00Z');
    const rmaCounter = () => {
      let n = 0;
      const allocate = async () => `RMA-${String(++n + 100).padStart(6, '0')}`;
      return { allocate, used: () => n };
    };

    it('refuses a return for an order not delivered yet, or someone else’s, without using an RMA id', async () => {
      const rma = rmaCounter();
      const viewer = { aadObjectId: ALEX, canViewAll: false };
      const request = { allocateRmaId: rma.allocate, windowDays: 30, now: asOf };
      expect(await backend.service.requestReturn('ORD-10421', viewer, request)).toMatchObject({
        ok: false,
        code: 'not_returnable',
        why: 'not_delivered',
        order: { status: 'shipped' },
      });
      expect(await backend.service.requestReturn('ORD-10430', viewer, request)).toEqual({
        ok: false,
        code: 'not_found',
      });
      expect(rma.used()).toBe(0);
    });

    it('refuses a return outside the window and for an order already returned', async () => {
      const rma = rmaCounter();
      const viewer = { aadObjectId: ALEX, canViewAll: false };
      // ORD-10388 was delivered 2025-02-24: a 7-day window has passed by 2025-03-10.
      expect(
        await backend.service.requestReturn('ORD-10388', viewer, {
          allocateRmaId: rma.allocate,
          windowDays: 7,
          now: asOf,
        }),
      ).toMatchObject({ ok: false, code: 'not_returnable', why: 'outside_window' });
      const carl = { aadObjectId: '00000000-0000-0000-0000-00000000a003', canViewAll: false };
      expect(
        await backend.service.requestReturn('ORD-10460', carl, {
          allocateRmaId: rma.allocate,
          windowDays: 30,
          now: asOf,
        }),
      ).toMatchObject({ ok: false, code: 'not_returnable', why: 'returned' });
      expect(rma.used()).toBe(0);
      expect((await backend.service.get('ORD-10388', viewer))?.status).toBe('delivered');
    });

    it('marks a delivered order inside the window as return requested once; a repeat keeps its RMA id', async () => {
      const rma = rmaCounter();
      const viewer = { aadObjectId: ALEX, canViewAll: false };
      const request = { allocateRmaId: rma.allocate, windowDays: 30, now: asOf };
      const first = await backend.service.requestReturn('ORD-10388', viewer, request);
      expect(first).toMatchObject({
        ok: true,
        changed: true,
        order: { status: 'return_requested', returnRmaId: 'RMA-000101' },
      });
      const stored = await backend.service.get('ORD-10388', viewer);
      expect(stored).toMatchObject({ status: 'return_requested', returnRmaId: 'RMA-000101' });
      expect(Date.parse(stored?.returnRequestedAt ?? '')).not.toBeNaN();
      const again = await backend.service.requestReturn('ORD-10388', viewer, request);
      expect(again).toMatchObject({ ok: true, changed: false, order: { returnRmaId: 'RMA-000101' } });
      expect(rma.used()).toBe(1);
      expect(await backend.service.get('ORD-10388', viewer)).toEqual(stored);
    });

    it('requests a return through the canViewAll (cross-owner) read path too', async () => {
      const rma = rmaCounter();
      const dana = { aadObjectId: DANA, canViewAll: true };
      const result = await backend.service.requestReturn('ORD-10470', dana, {
        allocateRmaId: rma.allocate,
        windowDays: 30,
        now: asOf,
      });
      expect(result).toMatchObject({ ok: true, changed: true, order: { status: 'return_requested' } });
    });

    it('treats ids as data, not query syntax', async () => {
      const hostile = `ORD-10421' OR 1=1 --`;
      expect(await backend.service.get(hostile, { aadObjectId: ALEX, canViewAll: false })).toBeUndefined();
      expect(await backend.service.listForOwner(`${ALEX}' OR '1'='1`)).toEqual([]);
    });
  });
}
