import type { Order, ReturnBlocker } from './order';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The day an order counts as delivered: deliveredAt, else (older data) its estimated delivery. */
export function deliveryDate(order: Order): Date | undefined {
  const raw = order.deliveredAt ?? order.estimatedDelivery;
  const t = raw ? Date.parse(raw) : NaN;
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** The last moment a return is accepted: delivery + windowDays. */
export function returnDeadline(order: Order, windowDays: number): Date | undefined {
  const delivered = deliveryDate(order);
  return delivered ? new Date(delivered.getTime() + windowDays * DAY_MS) : undefined;
}

/**
 * Why `order` cannot be returned now, or undefined when it can: only delivered orders, within
 * `windowDays` of delivery (the returns policy: "within 30 days of delivery"). An order whose
 * return was already requested is not blocked here; callers treat it as "already requested".
 */
export function returnBlocker(order: Order, windowDays: number, now = new Date()): ReturnBlocker | undefined {
  switch (order.status) {
    case 'return_requested':
      return undefined;
    case 'returned':
      return 'returned';
    case 'cancelled':
      return 'cancelled';
    case 'delivered': {
      const deadline = returnDeadline(order, windowDays);
      return deadline && now.getTime() <= deadline.getTime() ? undefined : 'outside_window';
    }
    default:
      return 'not_delivered';
  }
}
