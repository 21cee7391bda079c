import type { CardActionVerb } from './cardVerbs';
import type { CancelCardData } from '../../actions/cancelOrder';
import type { Order } from '../../orders/order';
import { orderTotal } from '../../orders/order';
import { english, type Translator } from '../../text/i18n';
import { type AdaptiveCard, adaptiveCard, executeAction, facts, heading, isoDay, text } from './cardBase';

/** Verbs of the Action.Execute buttons on the cancel-order confirmation card. */
export const CANCEL_ORDER_CARD_VERBS = {
  confirm: 'order.cancelConfirm',
  keep: 'order.cancelKeep',
} as const satisfies Record<string, CardActionVerb>;

function summary(order: Order, tr: Translator = english) {
  return facts([
    [tr.t('cancelCard.order'), order.id],
    [tr.t('cancelCard.ordered'), tr.date(order.orderedAt)],
    [tr.t('cancelCard.items'), order.items.map((i) => `${i.quantity} × ${i.name}`).join(', ')],
    [tr.t('cancelCard.total'), tr.money(orderTotal(order), order.currency)],
  ]);
}

/** Asks the requester to confirm the cancellation; nothing changes until Confirm. */
export function cancelOrderConfirmCard(
  order: Order,
  data: CancelCardData,
  tr: Translator = english,
): AdaptiveCard {
  return adaptiveCard(
    [
      ...heading(tr.t('cancelCard.title', { orderId: order.id }), tr.t('cancelCard.nothingChanges')),
      summary(order, tr),
      ...(data.reason ? [facts([[tr.t('cancelCard.reason'), data.reason]])] : []),
    ],
    [
      executeAction(tr.t('cancelCard.confirm'), CANCEL_ORDER_CARD_VERBS.confirm, data, {
        style: 'destructive',
      }),
      executeAction(tr.t('cancelCard.keep'), CANCEL_ORDER_CARD_VERBS.keep, data),
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
