import { logger } from '../observability/logger';
import { ORDER_STATUS_NAMES } from '../orders/orderStatusNames';
import { isoDay } from '../text/dates';
import type { Order } from '../orders/order';
import { OrdersUnavailableError } from '../orders/order';
import type { ActionDeps } from './deps';
import { orderNotFound, ordersUnavailableIn, translatorFor } from './messages';
import { parseToolArgs } from './schemas';
import { type ActionHandler, failure } from './types';

export function describeOrder(order: Order): string {
  const parts = [`Order ${order.id} is ${ORDER_STATUS_NAMES[order.status].toLowerCase()}`];
  if (order.deliveredAt) parts.push(`delivered on ${isoDay(order.deliveredAt)}`);
  else if (order.estimatedDelivery && order.status !== 'cancelled')
    parts.push(`estimated delivery ${isoDay(order.estimatedDelivery)}`);
  if (order.carrier && order.status !== 'processing') parts.push(`carrier ${order.carrier}`);
  return `${parts.join(', ')}.`;
}

/**
 * get_order_status(orderId): own orders only, any order for holders of orders.read.any.
 * Data: the order (the Teams layer renders it as the status card).
 */
export function createGetOrderStatus(deps: Pick<ActionDeps, 'orders' | 'rbac'>): ActionHandler {
  return async (ctx, rawArgs) => {
    const args = parseToolArgs('get_order_status', rawArgs);
    if (!args.ok) return failure('invalid_arguments', args.error);
    const { orderId } = args.value;
    try {
      const order = await deps.orders.get(orderId, {
        aadObjectId: ctx.user.aadObjectId,
        canViewAll: deps.rbac.hasPermission(ctx.roles, 'orders.read.any'),
      });
      if (!order) return failure('not_found', orderNotFound(orderId, translatorFor(ctx)));
      return { ok: true, summary: describeOrder(order), data: order };
    } catch (err) {
      if (err instanceof OrdersUnavailableError) {
        logger.warn({ reason: err.message }, 'get_order_status: backend unavailable');
        return failure('unavailable', ordersUnavailableIn(translatorFor(ctx)));
      }
      throw err;
    }
  };
}
