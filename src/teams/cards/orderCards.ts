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
  langData,
  openUrlAction,
  text,
} from './cardBase';
import { english, type Translator } from '../../text/i18n';

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

/** An order status in the turn's language (the stored value stays English). */
export function orderStatusLabel(status: OrderStatus, tr: Translator = english): string {
  return tr.t(`orderStatus.${status}`);
}

/** Verbs of the Action.Execute buttons on order cards (handled by the lead's card-action route). */
export const ORDER_CARD_VERBS = {
  draftTicketFromOrder: 'ticket.draftFromOrder',
  showOrder: 'order.showStatus',
} as const satisfies Record<string, CardActionVerb>;

function itemsTable(order: Order, tr: Translator): CardElement {
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
            text(tr.money(item.quantity * item.price, order.currency), {
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
export function orderStatusCard(order: Order, tr: Translator = english): AdaptiveCard {
  const status = ORDER_STATUS_LABELS[order.status];
  const body: CardElement[] = [
    ...heading(tr.t('orderCard.title', { orderId: order.id }), order.customerName),
    text(orderStatusLabel(order.status, tr), { weight: 'Bolder', color: status.color, size: 'Medium' }),
    facts([
      [tr.t('orderCard.ordered'), tr.date(order.orderedAt)],
      [tr.t('orderCard.shipped'), tr.date(order.shippedAt)],
      [
        order.deliveredAt ? tr.t('orderCard.delivered') : tr.t('orderCard.estimatedDelivery'),
        tr.date(order.deliveredAt ?? order.estimatedDelivery),
      ],
      [tr.t('orderCard.carrier'), order.carrier],
    ]),
    itemsTable(order, tr),
    text(tr.t('orderCard.total', { amount: tr.money(orderTotal(order), order.currency) }), {
      weight: 'Bolder',
      horizontalAlignment: 'Right',
    }),
  ];
  const actions: CardElement[] = [];
  if (order.trackingUrl)
    actions.push(
      openUrlAction(
        tr.t('orderCard.track', { carrier: order.carrier ?? tr.t('orderCard.trackFallback') }),
        order.trackingUrl,
      ),
    );
  actions.push(
    executeAction(tr.t('orderCard.openTicket'), ORDER_CARD_VERBS.draftTicketFromOrder, {
      orderId: order.id,
      ...langData(tr),
    }),
  );
  return adaptiveCard(body, actions);
}

/** The user's orders, one row each, newest first; each row opens its status card. */
export function ordersListCard(orders: Order[], tr: Translator = english): AdaptiveCard {
  if (orders.length === 0)
    return adaptiveCard([...heading(tr.t('orderList.title')), text(tr.t('orderList.empty'))]);
  const rows: CardElement[] = orders.map((order) => ({
    type: 'ColumnSet',
    separator: true,
    selectAction: executeAction(tr.t('orderList.show'), ORDER_CARD_VERBS.showOrder, {
      orderId: order.id,
      ...langData(tr),
    }),
    columns: [
      {
        type: 'Column',
        width: 'stretch',
        items: [
          text(order.id, { weight: 'Bolder' }),
          text(tr.t('orderList.row', { date: tr.date(order.orderedAt) ?? '', count: order.items.length }), {
            isSubtle: true,
            spacing: 'None',
          }),
        ],
      },
      {
        type: 'Column',
        width: 'auto',
        items: [
          text(orderStatusLabel(order.status, tr), { color: ORDER_STATUS_LABELS[order.status].color }),
          text(tr.money(orderTotal(order), order.currency), {
            horizontalAlignment: 'Right',
            spacing: 'None',
          }),
        ],
      },
    ],
  }));
  return adaptiveCard([
    ...heading(tr.t('orderList.title'), tr.t('orderList.subtitle', { count: orders.length })),
    ...rows,
  ]);
}

/**
 * The orders a "Which order do you mean? …" question offers (1:1 chat), as suggested replies: a
 * tap sends the order number as the user's answer (`imBack`) and the buttons go away once the
 * user has replied, as the handoff offer's suggested reply does.
 */
export function orderChoiceMessage(
  orderIds: readonly string[],
  tr: Translator = english,
): {
  type: 'message';
  text: string;
  suggestedActions: { to: string[]; actions: { type: 'imBack'; title: string; value: string }[] };
} {
  return {
    type: 'message',
    text: tr.t('orderChoice.pick'),
    suggestedActions: {
      to: [],
      actions: orderIds.map((id) => ({ type: 'imBack' as const, title: id, value: id })),
    },
  };
}
