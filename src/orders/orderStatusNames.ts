import type { OrderStatus } from './order';

/**
 * The display name of each order status, shared by the text the model reads (`describeOrder`)
 * and the cards (which add a colour in src/teams/cards/orderCards.ts), so both say the same.
 */
export const ORDER_STATUS_NAMES: Record<OrderStatus, string> = {
  processing: 'Processing',
  shipped: 'Shipped',
  out_for_delivery: 'Out for delivery',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
  return_requested: 'Return requested',
  returned: 'Returned',
};
