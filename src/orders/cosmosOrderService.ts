import type { Container } from '@azure/cosmos';
import { logger } from '../observability/logger';
// Shared Cosmos error helpers (a candidate for src/storage once the lead wants them there).
import { isNotFound, isPreconditionFailed } from '../tickets/cosmosErrors';
import {
  CANCELLABLE_STATUSES,
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

/**
 * Orders stored in the Cosmos container `orders` (partition key /ownerAadObjectId).
 * Owners get a point read in their own partition; cross-owner reads (support agents) and lists are
 * parameterised SQL that filters by owner in the query itself, because the embedded server ignores
 * the partitionKey query option.
 */
export class CosmosOrderService implements OrderService {
  constructor(private readonly container: Container) {}

  async get(orderId: string, viewer: OrderViewer): Promise<Order | undefined> {
    // Ids that cannot be order ids are simply unknown (and never reach the database).
    if (!ORDER_ID_PATTERN.test(orderId)) return undefined;
    if (viewer.canViewAll) {
      const rows = await this.run({
        query: 'SELECT * FROM c WHERE c.id = @id',
        parameters: [{ name: '@id', value: orderId }],
      });
      return rows[0];
    }
    // Owners: a point read in their own partition (1 RU on Azure); another owner's order is not there.
    let raw: unknown;
    try {
      ({ resource: raw } = await this.container.item(orderId, viewer.aadObjectId).read());
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw new OrdersUnavailableError('The orders database is not reachable', { cause: err });
    }
    if (!raw) return undefined;
    const parsed = orderSchema.safeParse(raw);
    if (!parsed.success) {
      logger.warn({ issues: parsed.error.issues.length }, 'malformed order document');
      return undefined;
    }
    return parsed.data.ownerAadObjectId === viewer.aadObjectId ? parsed.data : undefined;
  }

  async listForOwner(aadObjectId: string): Promise<Order[]> {
    // In the owner's partition: one request, where a cross-partition query first fetches a query
    // plan and then fans out to every partition.
    const rows = await this.run(
      {
        query: 'SELECT * FROM c WHERE c.ownerAadObjectId = @owner',
        parameters: [{ name: '@owner', value: aadObjectId }],
      },
      aadObjectId,
    );
    return rows.sort((a, b) => Date.parse(b.orderedAt) - Date.parse(a.orderedAt));
  }

  /**
   * ETag-guarded: the order is read, checked and replaced with If-Match on the ETag that was read.
   * When someone else changed it in between (412), it is read again and the decision is made anew,
   * so a concurrent change (e.g. the warehouse marking it shipped) is never overwritten.
   */
  async cancel(orderId: string, viewer: OrderViewer, request: CancelRequest): Promise<CancelResult> {
    return this.replaceGuarded<CancelResult, Order>(
      orderId,
      viewer,
      'it was being cancelled',
      async (order) => {
        if (order.status === 'cancelled') return { result: { ok: true, order, changed: false } };
        if (!CANCELLABLE_STATUSES.includes(order.status))
          return { result: { ok: false, code: 'not_cancellable', order } };
        const updated: Order = {
          ...order,
          status: 'cancelled',
          cancelledAt: request.at ?? new Date().toISOString(),
          ...(request.reason ? { cancelReason: request.reason } : {}),
        };
        return { replace: updated };
      },
    );
  }

  /**
   * ETag-guarded like cancel: read, check eligibility, replace with If-Match; on 412 read again
   * and decide anew. The RMA id is allocated only once the order is found eligible, so refusals
   * use no number; a lost race uses one (a gap in the sequence, never a repeat).
   */
  async requestReturn(
    orderId: string,
    viewer: OrderViewer,
    request: ReturnMarkRequest,
  ): Promise<ReturnMarkResult> {
    let rmaId: string | undefined;
    return this.replaceGuarded<ReturnMarkResult, Order & { returnRmaId: string }>(
      orderId,
      viewer,
      'its return was being requested',
      async (order) => {
        if (order.status === 'return_requested' && order.returnRmaId)
          return {
            result: { ok: true, order: { ...order, returnRmaId: order.returnRmaId }, changed: false },
          };
        const why = returnBlocker(order, request.windowDays, request.now, request.rules);
        if (why) return { result: { ok: false, code: 'not_returnable', order, why } };
        rmaId ??= await request.allocateRmaId();
        return {
          replace: {
            ...order,
            status: 'return_requested' as const,
            returnRmaId: rmaId,
            returnRequestedAt: (request.now ?? new Date()).toISOString(),
          },
        };
      },
    );
  }

  /**
   * Read (with ETag), decide, replace with If-Match; on 412 read again and decide anew, at most 5
   * times. `decide` returns the final result, or the document to write (then the result is `changed`).
   */
  private async replaceGuarded<R, U extends Order>(
    orderId: string,
    viewer: OrderViewer,
    doing: string,
    decide: (order: Order) => Promise<{ result: R } | { replace: U }>,
  ): Promise<R | { ok: true; order: U; changed: true } | { ok: false; code: 'not_found' }> {
    if (!ORDER_ID_PATTERN.test(orderId)) return { ok: false, code: 'not_found' };
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.readWithEtag(orderId, viewer);
      if (!current) return { ok: false, code: 'not_found' };
      const decision = await decide(current.order);
      if ('result' in decision) return decision.result;
      const updated = decision.replace;
      try {
        await this.container
          .item(updated.id, updated.ownerAadObjectId)
          .replace(updated, { accessCondition: { type: 'IfMatch', condition: current.etag } });
        return { ok: true, order: updated, changed: true };
      } catch (err) {
        if (isPreconditionFailed(err)) continue;
        if (isNotFound(err)) return { ok: false, code: 'not_found' };
        throw new OrdersUnavailableError('The orders database is not reachable', { cause: err });
      }
    }
    throw new OrdersUnavailableError(`The order kept changing while ${doing}`);
  }

  /** The order document with its ETag, when the viewer may see it. */
  private async readWithEtag(
    orderId: string,
    viewer: OrderViewer,
  ): Promise<{ order: Order; etag: string } | undefined> {
    let raw: Record<string, unknown> | undefined;
    try {
      if (viewer.canViewAll) {
        const { resources } = await this.container.items
          .query<Record<string, unknown>>({
            query: 'SELECT * FROM c WHERE c.id = @id',
            parameters: [{ name: '@id', value: orderId }],
          })
          .fetchAll();
        raw = resources[0];
      } else {
        ({ resource: raw } = await this.container
          .item(orderId, viewer.aadObjectId)
          .read<Record<string, unknown>>());
      }
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw new OrdersUnavailableError('The orders database is not reachable', { cause: err });
    }
    if (!raw || typeof raw._etag !== 'string') return undefined;
    const parsed = orderSchema.safeParse(raw);
    if (!parsed.success) return undefined;
    if (!viewer.canViewAll && parsed.data.ownerAadObjectId !== viewer.aadObjectId) return undefined;
    return { order: parsed.data, etag: raw._etag };
  }

  private async run(
    query: { query: string; parameters: { name: string; value: string }[] },
    partitionKey?: string,
  ): Promise<Order[]> {
    let resources: unknown[];
    try {
      ({ resources } = await this.container.items
        .query(query, partitionKey === undefined ? {} : { partitionKey })
        .fetchAll());
    } catch (err) {
      throw new OrdersUnavailableError('The orders database is not reachable', { cause: err });
    }
    const orders: Order[] = [];
    for (const raw of resources) {
      const parsed = orderSchema.safeParse(raw);
      if (parsed.success) orders.push(parsed.data);
      else logger.warn({ issues: parsed.error.issues.length }, 'skipping malformed order document');
    }
    return orders;
  }
}
