import type { CardActionVerb } from './cardVerbs';
import type { ReturnCardData, ReturnOffer } from '../../actions/startReturn';
import type { ReturnRequestDocument } from '../../returns/returnRequest';
import { english, type Translator } from '../../text/i18n';
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

/** Verbs of the Action.Execute buttons on the return confirmation card. */
export const RETURN_CARD_VERBS = {
  confirm: 'order.returnConfirm',
  keep: 'order.returnKeep',
} as const satisfies Record<string, CardActionVerb>;

const itemsLine = (items: { quantity: number; name: string }[]) =>
  items.map((i) => `${i.quantity} × ${i.name}`).join(', ');

/** Asks the requester to confirm the return; nothing changes until Confirm. */
export function returnConfirmCard(offer: ReturnOffer, tr: Translator = english): AdaptiveCard {
  const data: ReturnCardData = offer.data;
  return adaptiveCard(
    [
      ...heading(tr.t('returnCard.title', { orderId: offer.order.id }), tr.t('cancelCard.nothingChanges')),
      facts([
        [tr.t('cancelCard.order'), offer.order.id],
        [tr.t('returnCard.delivered'), tr.date(offer.order.deliveredAt ?? offer.order.estimatedDelivery)],
        [tr.t('returnCard.returnBy'), tr.date(offer.deadline)],
        [tr.t('cancelCard.items'), itemsLine(offer.items)],
        [tr.t('returnCard.notReturnable'), offer.excluded?.map((e) => `${e.name} (${e.label})`).join(', ')],
        [tr.t('cancelCard.reason'), offer.reason],
        [
          tr.t('returnCard.refund'),
          tr.t('returnCard.refundValue', { amount: tr.money(offer.refundAmount, offer.order.currency) }),
        ],
      ]),
    ],
    [
      executeAction(tr.t('returnCard.confirm'), RETURN_CARD_VERBS.confirm, data, { style: 'positive' }),
      executeAction(tr.t('returnCard.keep'), RETURN_CARD_VERBS.keep, data),
    ],
  );
}

/** Replaces the confirmation card once the return is requested (the same card on every repeat). */
export function returnRequestedCard(request: ReturnRequestDocument): AdaptiveCard {
  return adaptiveCard([
    ...heading(`Return ${request.rmaId} requested`, `Order ${request.orderId}`),
    text('Return requested', { weight: 'Bolder', color: 'Good', size: 'Medium' }),
    facts([
      ['Return (RMA)', request.rmaId],
      ['Items', itemsLine(request.items)],
      ['Reason', request.reason],
      ['Refund', `${money(request.refundAmount, request.currency)} to the original payment method`],
      ['Ticket', request.ticketId],
      ['Requested on', isoDay(request.requestedAt)],
    ]),
    text('Support will be in touch about sending the items back. Quote the RMA number on the parcel.', {
      isSubtle: true,
    }),
  ]);
}

/** Replaces the confirmation card when the requester keeps the items. */
export function returnKeptCard(orderId: string): AdaptiveCard {
  return adaptiveCard([
    ...heading(`Order ${orderId}: no return`),
    text('Nothing was returned.', { isSubtle: true }),
  ]);
}
