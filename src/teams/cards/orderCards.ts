import type { CardActionVerb } from './cardVerbs';
import type { Order, OrderStatus } from '../../orders/order';
import { orderTotal } from '../../orders/order';
import { ORDER_STATUS_NAMES } from '../../orders/orderStatusNames';
import {
  type AdaptiveCard,
  adaptiveCard,
  type CardElement,
  executeAction,
  facts,
  heading,
  isoDay,
  money,
  openUrlAction,
  text,
} from './cardBase';

const STATUS_COLORS: Record<OrderStatus, string> = {
  processing: 'Accent',
  shipped: 'Accent',
  out_for_delivery: 'Warning',
  delivered: 'Good',
  cancelled: 'Attention',
  return_requested: 'Warning',
  returned: 'Default',
};

/** Card label (the core's status name, so card and model text agree) and colour per status. */
export const ORDER_STATUS_LABELS = Object.fromEntries(
  (Object.keys(ORDER_STATUS_NAMES) as OrderStatus[]).map((s) => [
    s,
    { label: ORDER_STATUS_NAMES[s], color: STATUS_COLORS[s] },
  ]),
) as Record<OrderStatus, { label: string; color: string }>;

/** Verbs of the Action.Execute buttons on order cards (handled by the lead's card-action route). */
export const ORDER_CARD_VERBS = {
  draftTicketFromOrder: 'ticket.draftFromOrder',
  showOrder: 'order.showStatus',
} as const satisfies Record<string, CardActionVerb>;

function itemsTable(order: Order): CardElement {
  return {
    type: 'Container',
    items: order.items.map((item) => ({
      type: 'ColumnSet',
      columns: [
        {
          type: 'Column',
          width: 'stretch',
          items: [text(`${item.quantity} × ${item.name}`, { spacing: 'None' })],
        },
        {
          type: 'Column',
          width: 'auto',
          items: [
            text(money(item.quantity * item.price, order.currency), {
              horizontalAlignment: 'Right',
              spacing: 'None',
            }),
          ],
        },
      ],
    })),
  };
}

/** Status of one order: items, status, dates, carrier + tracking link, and a button to open a ticket about it. */
export function orderStatusCard(order: Order): AdaptiveCard {
  const status = ORDER_STATUS_LABELS[order.status];
  const body: CardElement[] = [
    ...heading(`Order ${order.id}`, order.customerName),
    text(status.label, { weight: 'Bolder', color: status.color, size: 'Medium' }),
    facts([
      ['Ordered', isoDay(order.orderedAt)],
      ['Shipped', isoDay(order.shippedAt)],
      [
        order.deliveredAt ? 'Delivered' : 'Estimated delivery',
        isoDay(order.deliveredAt ?? order.estimatedDelivery),
      ],
      ['Carrier', order.carrier],
    ]),
    itemsTable(order),
    text(`Total: ${money(orderTotal(order), order.currency)}`, {
      weight: 'Bolder',
      horizontalAlignment: 'Right',
    }),
  ];
  const actions: CardElement[] = [];
  if (order.trackingUrl)
    actions.push(openUrlAction(`Track with ${order.carrier ?? 'carrier'}`, order.trackingUrl));
  actions.push(
    executeAction('Open a ticket about this order', ORDER_CARD_VERBS.draftTicketFromOrder, {
      orderId: order.id,
    }),
  );
  return adaptiveCard(body, actions);
}

/** The user's orders, one row each, newest first; each row opens its status card. */
export function ordersListCard(orders: Order[]): AdaptiveCard {
  if (orders.length === 0) return adaptiveCard([...heading('Your orders'), text('You have no orders yet.')]);
  const rows: CardElement[] = orders.map((order) => ({
    type: 'ColumnSet',
    separator: true,
    selectAction: executeAction('Show order', ORDER_CARD_VERBS.showOrder, { orderId: order.id }),
    columns: [
      {
        type: 'Column',
        width: 'stretch',
        items: [
          text(order.id, { weight: 'Bolder' }),
          text(`Ordered ${isoDay(order.orderedAt)} · ${order.items.length} item(s)`, {
            isSubtle: true,
            spacing: 'None',
          }),
        ],
      },
      {
        type: 'Column',
        width: 'auto',
        items: [
          text(ORDER_STATUS_LABELS[order.status].label, { color: ORDER_STATUS_LABELS[order.status].color }),
          text(money(orderTotal(order), order.currency), { horizontalAlignment: 'Right', spacing: 'None' }),
        ],
      },
    ],
  }));
  return adaptiveCard([...heading('Your orders', `${orders.length} order(s), newest first`), ...rows]);
}
