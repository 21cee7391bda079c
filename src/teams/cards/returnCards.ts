import type { CardActionVerb } from './cardVerbs';
import type { ReturnCardData, ReturnOffer } from '../../actions/startReturn';
import type { ReturnRequestDocument } from '../../returns/returnRequest';
import { english, type Translator } from '../../text/i18n';
import { type AdaptiveCard, adaptiveCard, executeAction, facts, heading, langData, text } from './cardBase';

/** Verbs of the Action.Execute buttons on the return confirmation card. */
const RETURN_CARD_VERBS = {
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
      executeAction(
        tr.t('returnCard.confirm'),
        RETURN_CARD_VERBS.confirm,
        { ...data, ...langData(tr) },
        { style: 'positive' },
      ),
      executeAction(tr.t('returnCard.keep'), RETURN_CARD_VERBS.keep, { ...data, ...langData(tr) }),
    ],
  );
}

/** Replaces the confirmation card once the return is requested (the same card on every repeat). */
export function returnRequestedCard(request: ReturnRequestDocument, tr: Translator = english): AdaptiveCard {
  return adaptiveCard([
    ...heading(
      tr.t('returnCard.requestedTitle', { rmaId: request.rmaId }),
      tr.t('orderCard.title', { orderId: request.orderId }),
    ),
    text(tr.t('returnCard.requested'), { weight: 'Bolder', color: 'Good', size: 'Medium' }),
    facts([
      [tr.t('returnCard.rma'), request.rmaId],
      [tr.t('cancelCard.items'), itemsLine(request.items)],
      [tr.t('cancelCard.reason'), request.reason],
      [
        tr.t('returnCard.refund'),
        tr.t('returnCard.refundValue', { amount: tr.money(request.refundAmount, request.currency) }),
      ],
      [tr.t('returnCard.ticket'), request.ticketId],
      [tr.t('returnCard.requestedOn'), tr.date(request.requestedAt)],
    ]),
    text(tr.t('returnCard.nextSteps'), { isSubtle: true }),
  ]);
}

/** Replaces the confirmation card when the requester keeps the items. */
export function returnKeptCard(orderId: string, tr: Translator = english): AdaptiveCard {
  return adaptiveCard([
    ...heading(tr.t('returnCard.keptTitle', { orderId })),
    text(tr.t('returnCard.nothingReturned'), { isSubtle: true }),
  ]);
}
