import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Order } from '../../src/orders/order';

export type RecordedRequest = { method: string; url: string; authorization?: string };

export type OrdersApiStub = {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Overrides the next responses (status + raw body) or makes them hang. */
  behaviour: { mode: 'normal' | 'status' | 'hang' | 'raw'; status?: number; raw?: string };
  close(): Promise<void>;
};

/**
 * A local HTTP server speaking the contract in docs/orders-api.md, on 127.0.0.1 only.
 * It records every request so tests can assert on paths and the bearer token.
 */
export async function startOrdersApiStub(orders: Order[], requiredToken?: string): Promise<OrdersApiStub> {
  const requests: RecordedRequest[] = [];
  const behaviour: OrdersApiStub['behaviour'] = { mode: 'normal' };
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    if (behaviour.mode === 'hang') return; // never answers: the client must time out
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (behaviour.mode === 'status') return send(behaviour.status ?? 500, { error: 'stub' });
    if (behaviour.mode === 'raw') return send(200, behaviour.raw ?? '');
    if (requiredToken && req.headers.authorization !== `Bearer ${requiredToken}`)
      return send(401, { error: 'unauthorized' });
    const url = new URL(req.url ?? '/', 'http://stub');
    const cancel = /^\/api\/orders\/([^/]+)\/cancel$/.exec(url.pathname);
    if (cancel && req.method === 'POST') {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => {
        let body: { reason?: unknown };
        try {
          body = raw ? JSON.parse(raw) : {};
        } catch {
          return send(400, { error: 'invalid JSON' });
        }
        const index = orders.findIndex((o) => o.id === decodeURIComponent(cancel[1]));
        if (index < 0) return send(404, { error: 'not found' });
        const order = orders[index];
        if (order.status === 'cancelled') return send(200, order);
        if (order.status !== 'processing') return send(409, { error: 'not_cancellable', order });
        const cancelled: Order = {
          ...order,
          status: 'cancelled',
          cancelledAt: new Date().toISOString(),
          ...(typeof body.reason === 'string' && body.reason ? { cancelReason: body.reason } : {}),
        };
        orders[index] = cancelled;
        return send(200, cancelled);
      });
      return;
    }
    const ret = /^\/api\/orders\/([^/]+)\/returns$/.exec(url.pathname);
    if (ret && req.method === 'POST') {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => {
        let body: { rmaId?: unknown; requestedAt?: unknown };
        try {
          body = raw ? JSON.parse(raw) : {};
        } catch {
          return send(400, { error: 'invalid JSON' });
        }
        if (typeof body.rmaId !== 'string' || !/^RMA-\d{6,}$/.test(body.rmaId))
          return send(400, { error: 'rmaId is required' });
        const index = orders.findIndex((o) => o.id === decodeURIComponent(ret[1]));
        if (index < 0) return send(404, { error: 'not found' });
        const order = orders[index];
        // Idempotent: an order already marked answers with its own RMA id, unchanged.
        if (order.status === 'return_requested') return send(200, order);
        if (order.status !== 'delivered') return send(409, { error: 'not_returnable', order });
        const marked: Order = {
          ...order,
          status: 'return_requested',
          returnRmaId: body.rmaId,
          returnRequestedAt:
            typeof body.requestedAt === 'string' ? body.requestedAt : new Date().toISOString(),
        };
        orders[index] = marked;
        return send(200, marked);
      });
      return;
    }
    if (req.method !== 'GET') return send(405, { error: 'method' });
    const single = /^\/api\/orders\/([^/]+)$/.exec(url.pathname);
    if (single) {
      const order = orders.find((o) => o.id === decodeURIComponent(single[1]));
      return order ? send(200, order) : send(404, { error: 'not found' });
    }
    if (url.pathname === '/api/orders') {
      const owner = url.searchParams.get('owner');
      if (!owner) return send(400, { error: 'owner is required' });
      return send(200, { orders: orders.filter((o) => o.ownerAadObjectId === owner) });
    }
    return send(404, { error: 'no route' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api`,
    requests,
    behaviour,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
