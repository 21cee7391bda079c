import { english, type Translator } from './text/i18n';
import { ORDER_STATUS_NAMES } from './orders/orderStatusNames';
import type { OrderStatus } from './orders/order';

/** Short fixed replies in `tr`'s language. Kept in one place so tests and the eval harness can refer to them. */
export const repliesIn = (tr: Translator) => ({
  help: tr.t('replies.help'),
  reset: tr.t('replies.reset'),
  tooLong: (max: number) => tr.t('replies.tooLong', { max }),
  unsupportedAttachment: tr.t('replies.unsupportedAttachment'),
  turnFailed: tr.t('replies.turnFailed'),
  unknownTool: tr.t('replies.unknownTool'),
  storageUnavailable: tr.t('replies.storageUnavailable'),
  /** Shared conversation: the restricted answer went to the asker's 1:1 chat. */
  answeredPrivately: tr.t('replies.answeredPrivately'),
  /** Shared conversation: the order or ticket details went to the requester's 1:1 chat. */
  detailsSentPrivately: tr.t('replies.detailsSentPrivately'),
  /** Shared conversation: what the thread (and the model) hears of a ticket draft. */
  sharedDraftSummary: tr.t('replies.sharedDraftSummary'),
  alreadyHandled: tr.t('replies.alreadyHandled'),
  alreadyHandledTitle: tr.t('replies.alreadyHandledTitle'),
  rateLimited: tr.t('replies.rateLimited'),
  /** Streamed answers (1:1 chats): the informative update sent while the bot retrieves and thinks. */
  streamSearching: tr.t('replies.streamSearching'),
  /** A streamed answer that ended with neither text nor a card (never left hanging). */
  streamNoAnswer: tr.t('replies.streamNoAnswer'),
  /** The compose box's search (message extension) and link previews. */
  messageExtension: {
    noIdentity: tr.t('me.noIdentity'),
    noOrders: (query: string) => (query ? tr.t('me.noOrders', { query }) : tr.t('orderList.empty')),
    typeAQuestion: tr.t('me.typeAQuestion'),
    noKnowledge: (query: string) => tr.t('me.noKnowledge', { query }),
    sharedNote: tr.t('me.sharedNote'),
    itemRefused: tr.t('me.itemRefused'),
    ordersUnavailable: tr.t('actions.ordersUnavailable'),
    knowledgeUnavailable: tr.t('me.knowledgeUnavailable'),
    sharedDetails: tr.t('me.sharedDetails'),
  },
});
/** The English replies (proactive messages, tests, the eval harness). */
export const replies = repliesIn(english);

/** An order status as a sentence names it: "out for delivery" in English, the card's label otherwise. */
function orderStatusName(status: string, tr: Translator): string {
  if (tr.language === 'en' || !(status in ORDER_STATUS_NAMES)) return status.replace(/_/g, ' ');
  return tr.t(`orderStatus.${status as OrderStatus}`);
}

/** request_human (hand over to a person) and the frustration offer, in `tr`'s language where translated. */
export const handoffRepliesIn = (tr: Translator) => ({
  opened: (ticketId: string) => tr.t('handoff.opened', { ticketId }),
  alreadyOpen: (ticketId: string) => tr.t('handoff.alreadyOpen', { ticketId }),
  notified: tr.t('handoff.notified'),
  notConfigured: tr.t('handoff.notConfigured'),
  notifyFailed: tr.t('handoff.notifyFailed'),
  contact: (c: { phone?: string; email?: string; hours?: string; sourceTitle: string }) =>
    [
      c.phone
        ? c.hours
          ? tr.t('handoff.callHours', { phone: c.phone, hours: c.hours.replace(/\.$/, '') })
          : tr.t('handoff.call', { phone: c.phone })
        : '',
      c.email ? tr.t('handoff.email', { email: c.email }) : '',
      tr.t('handoff.source', { title: c.sourceTitle }),
    ]
      .filter(Boolean)
      .join(tr.language === 'en' ? ' ' : ''),
  contactUnknown: tr.t('handoff.contactUnknown'),
  unavailable: tr.t('handoff.unavailable'),
  /** Stored on the ticket for the support team: English whatever the turn's language. */
  defaultDescription:
    'The user asked to talk to a person. The last messages of the conversation are attached.',
  offer: tr.t('handoff.offer'),
  offerButton: tr.t('handoff.offerButton'),
  /** What the suggested reply sends: a request the turn's intent model reads as request_human. */
  offerSuggestion: tr.t('handoff.offerSuggestion'),
  // The support-channel command is typed by support agents in English ("register support channel").
  registerDone:
    'Done: this conversation is now the support channel. Handoff notices (ticket id, who asked and their summary) will be posted here.',
  registerRefused: 'Only support agents can register the support channel.',
  registerUnavailable: "I couldn't store the support channel just now. Please try again in a minute.",
});
export const handoffReplies = handoffRepliesIn(english);

/** report_missing_delivery (a package that did not arrive), in `tr`'s language where translated. */
export const deliveryRepliesIn = (tr: Translator) => ({
  pick: (count: number) => tr.t('delivery.pick', { count }),
  none: tr.t('delivery.none'),
  notShipped: (orderId: string) => tr.t('delivery.notShipped', { orderId }),
  notApplicable: (orderId: string, status: string) =>
    tr.t('delivery.notApplicable', { orderId, status: orderStatusName(status, tr) }),
  drafted: (orderId: string) => tr.t('delivery.drafted', { orderId }),
  // The ticket's title and description are stored for the support team: English.
  ticketTitle: (orderId: string) => `Package for ${orderId} has not arrived`,
  ticketDescription: (orderId: string, status: string) =>
    `The customer reports that the package for order ${orderId} (status: ${status.replace(/_/g, ' ')}) never arrived.`,
  anywayTitle: 'Package has not arrived',
  anywayDescription: 'The customer reports a package that never arrived; no matching order is on its way.',
  sharedNote: tr.t('delivery.sharedNote'),
  pickButton: (orderId: string) => tr.t('delivery.pickButton', { orderId }),
  anywayButton: tr.t('delivery.anywayButton'),
});
export const deliveryReplies = deliveryRepliesIn(english);

/** start_return's replies (the tool, its confirmation card and the return ticket), in `tr`'s language where translated. */
export const returnRepliesIn = (tr: Translator) => ({
  language: tr.language,
  /** Between two sentences: a space in English, nothing in Chinese. */
  gap: tr.language === 'en' ? ' ' : '',
  confirm: (orderId: string) => tr.t('returns.confirm', { orderId }),
  policy: (windowDays: number) => tr.t('returns.policy', { windowDays }),
  alreadyRequested: (orderId: string, rmaId: string) => tr.t('returns.alreadyRequested', { orderId, rmaId }),
  notShippedYet: (orderId: string) => tr.t('returns.notShippedYet', { orderId }),
  notDeliveredYet: (orderId: string) => tr.t('returns.notDeliveredYet', { orderId }),
  outsideWindow: (orderId: string, windowDays: number) =>
    tr.t('returns.outsideWindow', { orderId, windowDays }),
  /** Outside a member programme's window (the programme's name and days come from config/returns-policy.json). */
  outsideMemberWindow: (orderId: string, windowDays: number, programme: string) =>
    tr.t('returns.outsideMemberWindow', { orderId, windowDays, programme }),
  outsideHolidayWindow: (orderId: string, season: string, until: string) =>
    tr.t('returns.outsideHolidayWindow', { orderId, season, until: tr.date(until) ?? until }),
  memberWindow: (programme: string, windowDays: number) =>
    tr.t('returns.memberWindow', { programme, windowDays }),
  holidayWindow: (season: string, until: string) =>
    tr.t('returns.holidayWindow', { season, until: tr.date(until) ?? until }),
  /** Lines the returns policy excludes; `label` is the policy's own wording (config/returns-policy.json). */
  notReturnable: (orderId: string, lines: { name: string; label: string }[]) =>
    tr.t('returns.notReturnable', {
      orderId,
      names: tr.list(lines.map((l) => l.name)),
      labels: tr.list([...new Set(lines.map((l) => l.label))]),
    }),
  excluded: (lines: { name: string; label: string }[]) =>
    tr.t('returns.excluded', {
      lines: lines
        .map((l) => tr.t('returns.excludedLine', { name: l.name, label: l.label }))
        .join(tr.language === 'en' ? ', ' : '、'),
    }),
  alreadyReturned: (orderId: string) => tr.t('returns.alreadyReturned', { orderId }),
  cancelled: (orderId: string) => tr.t('returns.cancelled', { orderId }),
  unknownItem: (orderId: string, item: string) =>
    tr.t('returns.unknownItem', { orderId, item: item.slice(0, 60) }),
  tooMany: (orderId: string, name: string, quantity: number) =>
    tr.t('returns.tooMany', { orderId, name, quantity }),
  sharedChat: (orderId: string) => tr.t('returns.sharedChat', { orderId }),
  notRequester: tr.t('returns.notRequester'),
  invalidCard: tr.t('cards.invalid'),
  forbidden: tr.t('returns.forbidden'),
  // The return ticket is stored for the support team: English whatever the turn's language.
  ticketTitle: (rmaId: string, orderId: string) => `Return ${rmaId} for order ${orderId}`,
  ticketDescription: (r: {
    rmaId: string;
    orderId: string;
    items: { quantity: number; name: string; sku: string }[];
    reason: string;
    refundAmount: number;
    currency: string;
  }) =>
    [
      `Return ${r.rmaId} for order ${r.orderId}.`,
      `Items: ${r.items.map((i) => `${i.quantity} × ${i.name} (${i.sku})`).join(', ')}.`,
      `Reason: ${r.reason}`,
      `Refund: ${r.refundAmount.toFixed(2)} ${r.currency} to the original payment method.`,
    ].join('\n'),
  /** The embedded model's question when a return request names no reason. */
  askReason: (orderId: string) => tr.t('returns.askReason', { orderId }),
  /** The same question when the order has several returnable items and none were named. */
  askReasonAndItems: (orderId: string, names: string[]) =>
    tr.t('returns.askReasonAndItems', {
      orderId,
      names: names.join(tr.language === 'en' ? ', ' : '、'),
      first: names[0] ?? '',
    }),
  askOrderId: tr.t('returns.askOrderId'),
});
export const returnReplies = returnRepliesIn(english);
