import { ORDER_ID_PATTERN, type Order, type OrderService, type OrderViewer } from './order';

/**
 * Finds orders for a free-text query (the compose box's "My orders" search), with the same
 * ownership rule as the bot's tools: the viewer's own orders, matched on id, item names, status
 * and carrier; someone else's order only by its exact id and only for a viewer who may see any
 * (support agents). An empty query lists the viewer's own orders, newest first.
 */
export async function searchOrders(
  orders: OrderService,
  viewer: OrderViewer,
  query: string,
  limit = 25,
): Promise<Order[]> {
  if (!viewer.aadObjectId) return [];
  const q = query.trim().toLowerCase();
  const asId = q.toUpperCase();
  if (ORDER_ID_PATTERN.test(asId)) {
    // get() applies ownership (canViewAll for agents) and hides foreign orders as unknown.
    const order = await orders.get(asId, viewer);
    return order ? [order] : [];
  }
  const own = await orders.listForOwner(viewer.aadObjectId);
  const terms = q.split(/\s+/).filter(Boolean);
  const matching = terms.length ? own.filter((o) => terms.every((t) => searchableText(o).includes(t))) : own;
  return matching.slice(0, Math.max(0, limit));
}

function searchableText(order: Order): string {
  return [
    order.id,
    order.status.replace(/_/g, ' '),
    order.carrier ?? '',
    ...order.items.map((i) => `${i.name} ${i.sku}`),
  ]
    .join(' ')
    .toLowerCase();
}
