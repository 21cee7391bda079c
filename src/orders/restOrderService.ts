import { z } from 'zod';
import { logger } from '../observability/logger';
import {
  type CancelRequest,
  type CancelResult,
  ORDER_ID_PATTERN,
  type Order,
  type OrderService,
  type OrderViewer,
  OrdersUnavailableError,
  orderSchema,
  type ReturnMarkRequest,
  type ReturnMarkResult,
} from './order';
import { returnBlocker } from './returnWindow';

export type RestOrderServiceOptions = {
  /** Base URL of the orders API, e.g. https://erp.example.com/api (ORDERS_API_URL). */
  baseUrl: string;
  /** Optional bearer token, or a function returning one (e.g. from a managed identity). */
  token?: string | (() => Promise<string>);
  /** Per-request timeout; defaults to 5000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
};

const listResponseSchema = z.object({ orders: z.array(orderSchema) });
const conflictResponseSchema = z.object({ error: z.string().optional(), order: orderSchema });

/** A 409 answer's body, kept apart from a 2xx body. */
class ConflictBody {
  constructor(readonly body: unknown) {}
}

/**
 * Orders served by an external REST API (contract: docs/orders-api.md).
 * GET {base}/orders/{id} → 200 Order | 404; GET {base}/orders?owner={aadObjectId} → 200 {orders}.
 * The API is trusted to return data; ownership is enforced here, the same way as in Cosmos.
 */
export class RestOrderService implements OrderService {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: RestOrderServiceOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new Error('ORDERS_API_URL must be an absolute http(s) URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error('ORDERS_API_URL must be an absolute http(s) URL');
    }
    this.baseUrl = url.toString().replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  async get(orderId: string, viewer: OrderViewer): Promise<Order | undefined> {
    // Ids that cannot be order ids are simply unknown; they never become a request path.
    if (!ORDER_ID_PATTERN.test(orderId)) return undefined;
    const body = await this.request(`/orders/${encodeURIComponent(orderId)}`);
    if (body === undefined) return undefined;
    const order = this.parse(orderSchema, body);
    if (order.id !== orderId) throw new OrdersUnavailableError('Orders API returned a different order');
    if (!viewer.canViewAll && order.ownerAadObjectId !== viewer.aadObjectId) return undefined;
    return order;
  }

  async listForOwner(aadObjectId: string): Promise<Order[]> {
    const body = await this.request(`/orders?owner=${encodeURIComponent(aadObjectId)}`);
    if (body === undefined) return [];
    const { orders } = this.parse(listResponseSchema, body);
    // Defence in depth: never show another owner's order even if the API filter misbehaves.
    return orders
      .filter((o) => o.ownerAadObjectId === aadObjectId)
      .sort((a, b) => Date.parse(b.orderedAt) - Date.parse(a.orderedAt));
  }

  /**
   * Ownership is checked here first (GET, as for lookups); then POST {base}/orders/{id}/cancel
   * {reason?} → 200 Order (cancelled; also when it already was) | 404 | 409 {order} not cancellable.
   */
  async cancel(orderId: string, viewer: OrderViewer, request: CancelRequest): Promise<CancelResult> {
    const before = await this.get(orderId, viewer);
    if (!before) return { ok: false, code: 'not_found' };
    if (before.status === 'cancelled') return { ok: true, order: before, changed: false };
    const res = await this.request(`/orders/${encodeURIComponent(orderId)}/cancel`, {
      method: 'POST',
      body: { ...(request.reason ? { reason: request.reason } : {}) },
      conflictOk: true,
    });
    if (res === undefined) return { ok: false, code: 'not_found' };
    if (res instanceof ConflictBody) {
      const { order } = this.parse(conflictResponseSchema, res.body);
      return { ok: false, code: 'not_cancellable', order };
    }
    const order = this.parse(orderSchema, res);
    if (order.id !== orderId || order.status !== 'cancelled')
      throw new OrdersUnavailableError('Orders API did not cancel the order');
    return { ok: true, order, changed: true };
  }

  /**
   * Ownership and eligibility are checked here first (GET); then POST {base}/orders/{id}/returns
   * {rmaId, requestedAt} → 200 Order (return_requested; also when it already was, with its own
   * returnRmaId) | 404 | 409 {order} not returnable. An order already marked needs no POST.
   */
  async requestReturn(
    orderId: string,
    viewer: OrderViewer,
    request: ReturnMarkRequest,
  ): Promise<ReturnMarkResult> {
    const before = await this.get(orderId, viewer);
    if (!before) return { ok: false, code: 'not_found' };
    if (before.status === 'return_requested' && before.returnRmaId)
      return { ok: true, order: { ...before, returnRmaId: before.returnRmaId }, changed: false };
    const now = request.now ?? new Date();
    const why = returnBlocker(before, request.windowDays, now, request.rules);
    if (why) return { ok: false, code: 'not_returnable', order: before, why };
    const rmaId = await request.allocateRmaId();
    const res = await this.request(`/orders/${encodeURIComponent(orderId)}/returns`, {
      method: 'POST',
      body: { rmaId, requestedAt: now.toISOString() },
      conflictOk: true,
    });
    if (res === undefined) return { ok: false, code: 'not_found' };
    if (res instanceof ConflictBody) {
      const { order } = this.parse(conflictResponseSchema, res.body);
      return {
        ok: false,
        code: 'not_returnable',
        order,
        why: returnBlocker(order, request.windowDays, now, request.rules) ?? 'not_delivered',
      };
    }
    const order = this.parse(orderSchema, res);
    if (order.id !== orderId || order.status !== 'return_requested' || !order.returnRmaId)
      throw new OrdersUnavailableError('Orders API did not record the return');
    return {
      ok: true,
      order: { ...order, returnRmaId: order.returnRmaId },
      changed: order.returnRmaId === rmaId,
    };
  }

  /** Returns the parsed JSON body, or undefined on 404. Everything else that is not 2xx is "unavailable". */
  private async request(
    pathAndQuery: string,
    init: { method?: 'GET' | 'POST'; body?: unknown; conflictOk?: boolean } = {},
  ): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = typeof this.options.token === 'function' ? await this.options.token() : this.options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      res = await this.fetchImpl(this.baseUrl + pathAndQuery, {
        method: init.method ?? 'GET',
        headers,
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const reason = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : 'is not reachable';
      throw new OrdersUnavailableError(`Orders API ${reason}`, { cause: err });
    }
    if (res.status === 404) {
      await res.body?.cancel();
      return undefined;
    }
    if (res.status === 409 && init.conflictOk) {
      try {
        return new ConflictBody(await res.json());
      } catch (err) {
        throw new OrdersUnavailableError('Orders API returned invalid JSON', { cause: err });
      }
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new OrdersUnavailableError(`Orders API answered HTTP ${res.status}`);
    }
    try {
      return await res.json();
    } catch (err) {
      throw new OrdersUnavailableError('Orders API returned invalid JSON', { cause: err });
    }
  }

  private parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, body: unknown): T {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      logger.warn({ issues: parsed.error.issues.length }, 'orders API returned an unexpected shape');
      throw new OrdersUnavailableError('Orders API returned an unexpected response');
    }
    return parsed.data;
  }
}
