import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OrdersUnavailableError } from '../../src/orders/order';
import { RestOrderService } from '../../src/orders/restOrderService';
import { loadOrdersFile } from '../../src/orders/seedOrders';
import { ALEX, runOrderServiceConformance } from '../conformance/orderService.conformance';
import { type OrdersApiStub, startOrdersApiStub } from '../fakes/ordersApiStub';

runOrderServiceConformance('REST connector (local HTTP API)', async () => {
  const stub = await startOrdersApiStub(await loadOrdersFile(), 's3cr3t-token');
  return {
    service: new RestOrderService({ baseUrl: stub.baseUrl, token: 's3cr3t-token' }),
    close: () => stub.close(),
  };
});

describe('RestOrderService protocol details', () => {
  let stub: OrdersApiStub;
  let service: RestOrderService;
  const viewer = { aadObjectId: ALEX, canViewAll: false };

  beforeAll(async () => {
    stub = await startOrdersApiStub(await loadOrdersFile());
    service = new RestOrderService({
      baseUrl: `${stub.baseUrl}/`,
      token: async () => 'from-identity',
      timeoutMs: 300,
    });
  });
  afterAll(() => stub.close());
  beforeEach(() => {
    stub.requests.length = 0;
    stub.behaviour.mode = 'normal';
  });

  it('calls the documented paths with the bearer token and URL-encodes the owner', async () => {
    await service.get('ORD-10421', viewer);
    await service.listForOwner(ALEX);
    await service.listForOwner('a b&owner=x');
    expect(stub.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/orders/ORD-10421',
      `GET /api/orders?owner=${ALEX}`,
      'GET /api/orders?owner=a%20b%26owner%3Dx',
    ]);
    expect(stub.requests.every((r) => r.authorization === 'Bearer from-identity')).toBe(true);
  });

  it('cancels with POST /orders/{id}/cancel after the ownership read; a 5xx is unavailable', async () => {
    stub.behaviour.mode = 'normal';
    // ORD-10388 is delivered: 409 from the API is "not cancellable", not an outage.
    expect(await service.cancel('ORD-10388', viewer, { reason: 'x' })).toMatchObject({
      ok: false,
      code: 'not_cancellable',
      order: { id: 'ORD-10388', status: 'delivered' },
    });
    expect(stub.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/orders/ORD-10388',
      'POST /api/orders/ORD-10388/cancel',
    ]);
    expect(stub.requests.every((r) => r.authorization === 'Bearer from-identity')).toBe(true);
    // Someone else's order never reaches the cancel endpoint.
    stub.requests.length = 0;
    expect(await service.cancel('ORD-10430', viewer, {})).toEqual({ ok: false, code: 'not_found' });
    expect(stub.requests.map((r) => r.method)).toEqual(['GET']);
    stub.behaviour.mode = 'status';
    stub.behaviour.status = 503;
    await expect(service.cancel('ORD-10422', viewer, {})).rejects.toBeInstanceOf(OrdersUnavailableError);
  });

  it('never turns a malformed order id into a request path', async () => {
    expect(await service.get('ORD-1/../../admin', viewer)).toBeUndefined();
    expect(stub.requests).toEqual([]);
  });

  it('sends no Authorization header when no token is configured', async () => {
    const anonymous = new RestOrderService({ baseUrl: stub.baseUrl });
    await anonymous.get('ORD-10421', viewer);
    expect(stub.requests[0].authorization).toBeUndefined();
  });

  it('maps 5xx, timeouts, bad JSON and unexpected shapes to OrdersUnavailableError', async () => {
    stub.behaviour.mode = 'status';
    stub.behaviour.status = 503;
    await expect(service.get('ORD-10421', viewer)).rejects.toThrow(/HTTP 503/);
    stub.behaviour.mode = 'hang';
    await expect(service.listForOwner(ALEX)).rejects.toThrow(/timed out/);
    stub.behaviour.mode = 'raw';
    stub.behaviour.raw = '{not json';
    await expect(service.get('ORD-10421', viewer)).rejects.toThrow(/invalid JSON/);
    stub.behaviour.raw = JSON.stringify({ id: 'ORD-10421', status: 'teleported' });
    await expect(service.get('ORD-10421', viewer)).rejects.toBeInstanceOf(OrdersUnavailableError);
  });

  it('maps a refused connection to OrdersUnavailableError', async () => {
    const down = new RestOrderService({ baseUrl: 'http://127.0.0.1:9/api', timeoutMs: 500 });
    await expect(down.get('ORD-10421', viewer)).rejects.toThrow(/not reachable/);
  });

  it('rejects a base URL that is not http(s)', () => {
    expect(() => new RestOrderService({ baseUrl: 'ftp://x' })).toThrow(/ORDERS_API_URL/);
    expect(() => new RestOrderService({ baseUrl: 'not a url' })).toThrow(/ORDERS_API_URL/);
  });
});
