import type { CardActionVerb } from './cardVerbs';
import type { DeliveryCandidate } from '../../actions/reportMissingDelivery';
import type { HandoffOutcomeData } from '../../actions/requestHuman';
import type { HandoffNotice } from '../../notifications/handoffNotice';
import { deliveryRepliesIn, handoffRepliesIn } from '../../replies';
import { ORDER_STATUS_NAMES } from '../../orders/orderStatusNames';
import type { OrderStatus } from '../../orders/order';
import { english, type Translator } from '../../text/i18n';
import {
  type AdaptiveCard,
  adaptiveCard,
  type CardElement,
  escapeMarkdown,
  executeAction,
  facts,
  heading,
  langData,
  text,
} from './cardBase';

/** Verbs of the buttons on these cards (see src/actions/cardActions.ts). */
const HANDOFF_CARD_VERBS = {
  request: 'handoff.request',
  selectOrder: 'delivery.selectOrder',
  ticketWithoutOrder: 'delivery.ticketWithoutOrder',
  take: 'ticket.assignToMe',
} as const satisfies Record<string, CardActionVerb>;

const noticeText = (
  hr: ReturnType<typeof handoffRepliesIn>,
): Record<HandoffOutcomeData['notice'], string> => ({
  sent: hr.notified,
  not_configured: hr.notConfigured,
  failed: hr.notifyFailed,
});

const talkToPerson = (tr: Translator) =>
  executeAction(handoffRepliesIn(tr).offerButton, HANDOFF_CARD_VERBS.request, langData(tr));

/** What the requester sees after request_human: the ticket id, whether support was told, how to reach support. */
export function handoffCard(data: HandoffOutcomeData, tr: Translator = english): AdaptiveCard {
  const hr = handoffRepliesIn(tr);
  const body: CardElement[] = [
    ...heading(data.reused ? hr.alreadyOpen(data.ticketId) : hr.opened(data.ticketId)),
    text(noticeText(hr)[data.notice]),
  ];
  if (data.contact) {
    body.push(
      facts([
        [tr.t('handoffCard.ticket'), data.ticketId],
        [tr.t('handoffCard.phone'), data.contact.phone],
        [tr.t('handoffCard.hours'), data.contact.hours],
        [tr.t('handoffCard.email'), data.contact.email],
      ]),
      text(tr.t('handoffCard.source', { title: escapeMarkdown(data.contact.sourceTitle) }), {
        isSubtle: true,
        size: 'Small',
      }),
    );
  } else {
    body.push(
      facts([[tr.t('handoffCard.ticket'), data.ticketId]]),
      text(hr.contactUnknown, { isSubtle: true }),
    );
  }
  return adaptiveCard(body);
}

/** The offer shown when the user sounds frustrated: nothing is opened until they press the button. */
/**
 * The button under the offer. The message carries the offer's sentence as its text (notifications
 * and screen readers read it), so the card does not repeat it: Teams shows the text above the card.
 */
export function handoffOfferCard(tr: Translator = english): AdaptiveCard {
  return adaptiveCard([], [talkToPerson(tr)]);
}

/**
 * Posted into the support conversation: no transcript and no bot answers, only what the requester
 * asked. "Take it" assigns the ticket to the agent who clicks (RBAC checked on the click; the card
 * is replaced by the ticket's card, so the channel sees who took it).
 */
export function supportNoticeCard(notice: HandoffNotice): AdaptiveCard {
  const take = executeAction('Take it', HANDOFF_CARD_VERBS.take, { ticketId: notice.ticketId, expected: '' });
  return adaptiveCard(
    [
      ...heading(`Handoff requested: ${notice.ticketId}`),
      facts([
        ['Ticket', notice.ticketId],
        ['Requested by', notice.requesterName ? escapeMarkdown(notice.requesterName) : undefined],
        [
          'From',
          notice.conversationType === 'personal' ? '1:1 chat with the bot' : 'a shared chat or channel',
        ],
        ['Opened', notice.openedAt.replace('T', ' ').slice(0, 16) + ' UTC'],
        ['Transcript', `${notice.transcriptLines} message(s) attached to the ticket`],
      ]),
      text(`**Summary:** ${escapeMarkdown(notice.summary.slice(0, 500))}`),
    ],
    [take],
  );
}

/** "Which order didn't arrive?": one button per candidate (asked even when there is one), or the way out. */
export function deliveryCandidatesCard(
  candidates: DeliveryCandidate[],
  tr: Translator = english,
): AdaptiveCard {
  const dr = deliveryRepliesIn(tr);
  if (!candidates.length) {
    return adaptiveCard(
      [text(dr.none)],
      [executeAction(dr.anywayButton, HANDOFF_CARD_VERBS.ticketWithoutOrder, langData(tr)), talkToPerson(tr)],
    );
  }
  const body: CardElement[] = [text(dr.pick(candidates.length), { weight: 'Bolder' })];
  for (const c of candidates) {
    body.push({
      type: 'Container',
      separator: true,
      items: [
        text(`**${c.id}** · ${statusName(c.status, tr)}`),
        facts([
          [tr.t('delivery.items'), escapeMarkdown(c.items)],
          [tr.t('orderCard.shipped'), tr.date(c.shippedAt)],
          [tr.t('orderCard.estimatedDelivery'), tr.date(c.estimatedDelivery)],
          [tr.t('orderCard.carrier'), c.carrier],
        ]),
      ],
    });
  }
  return adaptiveCard(
    body,
    candidates.map((c) =>
      executeAction(dr.pickButton(c.id), HANDOFF_CARD_VERBS.selectOrder, { orderId: c.id, ...langData(tr) }),
    ),
  );
}

/** "out for delivery" as the card always said it in English; the status label in other languages. */
function statusName(status: string, tr: Translator): string {
  if (tr.language === 'en' || !(status in ORDER_STATUS_NAMES)) return status.replace(/_/g, ' ');
  return tr.t(`orderStatus.${status as OrderStatus}`);
}
