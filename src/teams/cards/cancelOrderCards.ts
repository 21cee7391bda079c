import type { CardActionVerb } from './cardVerbs';
import type { CancelCardData } from '../../actions/cancelOrder';
import type { Order } from '../../orders/order';
import { orderTotal } from '../../orders/order';
import {
  type AdaptiveCard,
  adaptiveCard,
  executeAction,
  facts,
  heading,
  isoDay,
  money,
  text,
} from './cardBase';

/** Verbs of the Action.Execute buttons on the cancel-order confirmation card. */
export const CANCEL_ORDER_CARD_VERBS = {
  confirm: 'order.cancelConfirm',
  keep: 'order.cancelKeep',
} as const satisfies Record<string, CardActionVerb>;

function summary(order: Order) {
  return facts([
    ['Order', order.id],
    ['Ordered', isoDay(order.orderedAt)],
    ['Items', order.items.map((i) => `${i.quantity} × ${i.name}`).join(', ')],
    ['Total', money(orderTotal(order), order.currency)],
  ]);
}

/** Asks the requester to confirm the cancellation; nothing changes until Confirm. */
export function cancelOrderConfirmCard(order: Order, data: CancelCardData): AdaptiveCard {
  return adaptiveCard(
    [
      ...heading(`Cancel order ${order.id}?`, 'Nothing changes until you confirm.'),
      summary(order),
      ...(data.reason ? [facts([['Reason', data.reason]])] : []),
    ],
    [
      executeAction('Confirm cancellation', CANCEL_ORDER_CARD_VERBS.confirm, data, {
        style: 'destructive',
      }),
      executeAction('Keep order', CANCEL_ORDER_CARD_VERBS.keep, data),
    ],
  );
}

/** Replaces the confirmation card once the order is cancelled (the same card on every repeat). */
export function orderCancelledCard(order: Order): AdaptiveCard {
  return adaptiveCard([
    ...heading(`Order ${order.id} cancelled`, 'You will not be charged for it.'),
    text('Cancelled', { weight: 'Bolder', color: 'Attention', size: 'Medium' }),
    summary(order),
    facts([
      ['Cancelled on', isoDay(order.cancelledAt)],
      ['Reason', order.cancelReason],
    ]),
  ]);
}

/** Replaces the confirmation card when the requester keeps the order. */
export function orderKeptCard(orderId: string): AdaptiveCard {
  return adaptiveCard([
    ...heading(`Order ${orderId} kept`),
    text('Nothing was cancelled.', { isSubtle: true }),
  ]);
}
