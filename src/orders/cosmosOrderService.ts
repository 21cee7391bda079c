import type { Container } from '@azure/cosmos';
import { logger } from '../observability/logger';
import {
  type Order,
  type OrderService,
  type OrderViewer,
  OrdersUnavailableError,
  orderSchema,
} from './order';

/**
 * Orders stored in the Cosmos container `orders` (partition key /ownerAadObjectId).
 * Ownership is filtered in SQL with parameters (never string concatenation); the partition key
 * is not relied on for filtering because the embedded server ignores that query option.
 */
export class CosmosOrderService implements OrderService {
  constructor(private readonly container: Container) {}

  async get(orderId: string, viewer: OrderViewer): Promise<Order | undefined> {
    const query = viewer.canViewAll
      ? { query: 'SELECT * FROM c WHERE c.id = @id', parameters: [{ name: '@id', value: orderId }] }
      : {
          query: 'SELECT * FROM c WHERE c.id = @id AND c.ownerAadObjectId = @owner',
          parameters: [
            { name: '@id', value: orderId },
            { name: '@owner', value: viewer.aadObjectId },
          ],
        };
    const rows = await this.run(query);
    return rows[0];
  }

  async listForOwner(aadObjectId: string): Promise<Order[]> {
    const rows = await this.run({
      query: 'SELECT * FROM c WHERE c.ownerAadObjectId = @owner',
      parameters: [{ name: '@owner', value: aadObjectId }],
    });
    return rows.sort((a, b) => Date.parse(b.orderedAt) - Date.parse(a.orderedAt));
  }

  private async run(query: {
    query: string;
    parameters: { name: string; value: string }[];
  }): Promise<Order[]> {
    let resources: unknown[];
    try {
      ({ resources } = await this.container.items.query(query).fetchAll());
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
