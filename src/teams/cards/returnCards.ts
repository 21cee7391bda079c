import type { CardActionVerb } from './cardVerbs';
import type { ReturnCardData, ReturnOffer } from '../../actions/startReturn';
import type { ReturnRequestDocument } from '../../returns/returnRequest';
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
export function returnConfirmCard(offer: ReturnOffer): AdaptiveCard {
  const data: ReturnCardData = offer.data;
  return adaptiveCard(
    [
      ...heading(`Return items from order ${offer.order.id}?`, 'Nothing changes until you confirm.'),
      facts([
        ['Order', offer.order.id],
        ['Delivered', isoDay(offer.order.deliveredAt ?? offer.order.estimatedDelivery)],
        ['Return by', offer.deadline],
        ['Items', itemsLine(offer.items)],
        ['Not returnable', offer.excluded?.map((e) => `${e.name} (${e.label})`).join(', ')],
        ['Reason', offer.reason],
        ['Refund', `${money(offer.refundAmount, offer.order.currency)} to the original payment method`],
      ]),
    ],
    [
      executeAction('Confirm return', RETURN_CARD_VERBS.confirm, data, { style: 'positive' }),
      executeAction('Keep items', RETURN_CARD_VERBS.keep, data),
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
