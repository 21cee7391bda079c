import type { CardActionVerb } from './cardVerbs';
import type { CancelCardData } from '../../actions/cancelOrder';
import type { Order } from '../../orders/order';
import { orderTotal } from '../../orders/order';
import { english, type Translator } from '../../text/i18n';
import { type AdaptiveCard, adaptiveCard, executeAction, facts, heading, langData, text } from './cardBase';

/** Verbs of the Action.Execute buttons on the cancel-order confirmation card. */
const CANCEL_ORDER_CARD_VERBS = {
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
      executeAction(
        tr.t('cancelCard.confirm'),
        CANCEL_ORDER_CARD_VERBS.confirm,
        { ...data, ...langData(tr) },
        { style: 'destructive' },
      ),
      executeAction(tr.t('cancelCard.keep'), CANCEL_ORDER_CARD_VERBS.keep, { ...data, ...langData(tr) }),
    ],
  );
}

/** Replaces the confirmation card once the order is cancelled (the same card on every repeat). */
export function orderCancelledCard(order: Order, tr: Translator = english): AdaptiveCard {
  return adaptiveCard([
    ...heading(tr.t('cancelCard.cancelledTitle', { orderId: order.id }), tr.t('cancelCard.notCharged')),
    text(tr.t('cancelCard.cancelled'), { weight: 'Bolder', color: 'Attention', size: 'Medium' }),
    summary(order, tr),
    facts([
      [tr.t('cancelCard.cancelledOn'), tr.date(order.cancelledAt)],
      [tr.t('cancelCard.reason'), order.cancelReason],
    ]),
  ]);
}

/** Replaces the confirmation card when the requester keeps the order. */
export function orderKeptCard(orderId: string, tr: Translator = english): AdaptiveCard {
  return adaptiveCard([
    ...heading(tr.t('cancelCard.keptTitle', { orderId })),
    text(tr.t('cancelCard.nothingCancelled'), { isSubtle: true }),
  ]);
}
