import { logger } from '../observability/logger';
import { OrdersUnavailableError } from '../orders/order';
import { ORDER_STATUS_NAMES } from '../orders/orderStatusNames';
import type { ActionDeps } from './deps';
import { ordersUnavailableIn, translatorFor } from './messages';
import { parseToolArgs } from './schemas';
import { type ActionHandler, failure } from './types';

/**
 * list_my_orders(): the caller's own orders (even for support agents: "my" means mine).
 * Data: the orders (rendered as the list card by the Teams layer).
 */
export function createListMyOrders(deps: Pick<ActionDeps, 'orders'>): ActionHandler {
  return async (ctx, rawArgs) => {
    const args = parseToolArgs('list_my_orders', rawArgs);
    if (!args.ok) return failure('invalid_arguments', args.error);
    try {
      const orders = await deps.orders.listForOwner(ctx.user.aadObjectId);
      const summary =
        orders.length === 0
          ? 'You have no orders.'
          : `You have ${orders.length} order(s): ${orders
              .map((o) => `${o.id} (${ORDER_STATUS_NAMES[o.status].toLowerCase()})`)
              .join(', ')}.`;
      return { ok: true, summary, data: orders };
    } catch (err) {
      if (err instanceof OrdersUnavailableError) {
        logger.warn({ reason: err.message }, 'list_my_orders: backend unavailable');
        return failure('unavailable', ordersUnavailableIn(translatorFor(ctx)));
      }
      throw err;
    }
  };
}
