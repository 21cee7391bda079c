import type { CardActionVerb } from './cardVerbs';
import type { DeliveryCandidate } from '../../actions/reportMissingDelivery';
import type { HandoffOutcomeData } from '../../actions/requestHuman';
import type { HandoffNotice } from '../../notifications/handoffNotice';
import { deliveryReplies, handoffReplies, handoffRepliesIn } from '../../replies';
import { english, type Translator } from '../../text/i18n';
import {
  type AdaptiveCard,
  adaptiveCard,
  type CardElement,
  escapeMarkdown,
  executeAction,
  facts,
  heading,
  isoDay,
  text,
} from './cardBase';

/** Verbs of the buttons on these cards (see src/actions/cardActions.ts). */
const HANDOFF_CARD_VERBS = {
  request: 'handoff.request',
  selectOrder: 'delivery.selectOrder',
  ticketWithoutOrder: 'delivery.ticketWithoutOrder',
} as const satisfies Record<string, CardActionVerb>;

const noticeText = (
  hr: ReturnType<typeof handoffRepliesIn>,
): Record<HandoffOutcomeData['notice'], string> => ({
  sent: hr.notified,
  not_configured: hr.notConfigured,
  failed: hr.notifyFailed,
});

const talkToPerson = () => executeAction(handoffReplies.offerButton, HANDOFF_CARD_VERBS.request, {});

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
export function handoffOfferCard(): AdaptiveCard {
  return adaptiveCard([text(handoffReplies.offer)], [talkToPerson()]);
}

/** Posted into the support conversation: no transcript and no bot answers, only what the requester asked. */
export function supportNoticeCard(notice: HandoffNotice): AdaptiveCard {
  return adaptiveCard([
    ...heading(`Handoff requested: ${notice.ticketId}`),
    facts([
      ['Ticket', notice.ticketId],
      ['Requested by', notice.requesterName ? escapeMarkdown(notice.requesterName) : undefined],
      ['From', notice.conversationType === 'personal' ? '1:1 chat with the bot' : 'a shared chat or channel'],
      ['Opened', notice.openedAt.replace('T', ' ').slice(0, 16) + ' UTC'],
      ['Transcript', `${notice.transcriptLines} message(s) attached to the ticket`],
    ]),
    text(`**Summary:** ${escapeMarkdown(notice.summary.slice(0, 500))}`),
  ]);
}

/** "Which order didn't arrive?": one button per candidate (asked even when there is one), or the way out. */
export function deliveryCandidatesCard(candidates: DeliveryCandidate[]): AdaptiveCard {
  if (!candidates.length) {
    return adaptiveCard(
      [text(deliveryReplies.none)],
      [
        executeAction(deliveryReplies.anywayButton, HANDOFF_CARD_VERBS.ticketWithoutOrder, {}),
        talkToPerson(),
      ],
    );
  }
  const body: CardElement[] = [text(deliveryReplies.pick(candidates.length), { weight: 'Bolder' })];
  for (const c of candidates) {
    body.push({
      type: 'Container',
      separator: true,
      items: [
        text(`**${c.id}** · ${c.status.replace(/_/g, ' ')}`),
        facts([
          ['Items', escapeMarkdown(c.items)],
          ['Shipped', isoDay(c.shippedAt)],
          ['Estimated delivery', isoDay(c.estimatedDelivery)],
          ['Carrier', c.carrier],
        ]),
      ],
    });
  }
  return adaptiveCard(
    body,
    candidates.map((c) =>
      executeAction(deliveryReplies.pickButton(c.id), HANDOFF_CARD_VERBS.selectOrder, { orderId: c.id }),
    ),
  );
}
