import { z } from 'zod';
import { logger } from '../observability/logger';
import {
  ORDER_ID_PATTERN,
  type Order,
  type OrderService,
  type OrderViewer,
  OrdersUnavailableError,
  orderSchema,
} from './order';

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

  /** Returns the parsed JSON body, or undefined on 404. Everything else that is not 2xx is "unavailable". */
  private async request(pathAndQuery: string): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = typeof this.options.token === 'function' ? await this.options.token() : this.options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await this.fetchImpl(this.baseUrl + pathAndQuery, {
        headers,
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
