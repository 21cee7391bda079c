import { english, type Translator } from './text/i18n';

/** Short fixed replies. Kept in one place so tests and the eval harness can refer to them. */
export const replies = {
  help: english.t('replies.help'),
  reset: english.t('replies.reset'),
  tooLong: (max: number) => english.t('replies.tooLong', { max }),
  unsupportedAttachment:
    'I cannot read attachments yet, so I ignored the file. Please paste the text instead.',
  turnFailed: english.t('replies.turnFailed'),
  unknownTool: english.t('replies.unknownTool'),
  storageUnavailable: 'Sorry, I cannot reach my conversation store right now. Please try again in a minute.',
  /** Shared conversation: the restricted answer went to the asker's 1:1 chat. */
  answeredPrivately:
    "The answer comes from documents not everyone here may see, so I've sent it to you in our 1:1 chat.",
  /** Shared conversation: the order or ticket details went to the requester's 1:1 chat. */
  detailsSentPrivately: english.t('replies.detailsSentPrivately'),
  /** Shared conversation: what the thread (and the model) hears of a ticket draft. */
  sharedDraftSummary: english.t('replies.sharedDraftSummary'),
  alreadyHandled: 'I have already handled this request; nothing was done twice.',
  rateLimited: 'You are sending messages faster than I can answer. Please wait a few seconds and try again.',
  /** Streamed answers (1:1 chats): the informative update sent while the bot retrieves and thinks. */
  streamSearching: 'Searching the knowledge base…',
  /** A streamed answer that ended with neither text nor a card (never left hanging). */
  streamNoAnswer: english.t('replies.streamNoAnswer'),
  /** The compose box's search (message extension) and link previews. */
  messageExtension: {
    noIdentity: "I can't tell who you are here (no work account), so I can't search your orders.",
    noOrders: (query: string) =>
      query ? `None of your orders matches "${query}".` : 'You have no orders yet.',
    typeAQuestion: 'Type what you are looking for, e.g. "return policy".',
    noKnowledge: (query: string) => `Nothing in the knowledge base matches "${query}".`,
    sharedNote:
      'Only documents for everyone are offered here, because what you insert is read by everyone in this conversation. Search from your 1:1 chat with Service Bot for the rest.',
    itemRefused: 'That item can no longer be inserted. Please search again.',
    ordersUnavailable: 'The order system is not reachable right now. Please try again in a few minutes.',
    knowledgeUnavailable: 'The knowledge base is not reachable right now. Please try again in a few minutes.',
    sharedDetails: 'Ask Service Bot in a 1:1 chat for the details.',
  },
} as const;

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
  defaultDescription:
    'The user asked to talk to a person. The last messages of the conversation are attached.',
  offer:
    "I'm sorry this isn't helping. Would you like to talk to a person? I can open a ticket and pass this conversation to our support team.",
  offerButton: 'Talk to a person',
  offerSuggestion: 'talk to a person',
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
    `Order ${orderId} is ${status.replace(/_/g, ' ')}, so there is no delivery to report.`,
  drafted: (orderId: string) => tr.t('delivery.drafted', { orderId }),
  ticketTitle: (orderId: string) => `Package for ${orderId} has not arrived`,
  ticketDescription: (orderId: string, status: string) =>
    `The customer reports that the package for order ${orderId} (status: ${status.replace(/_/g, ' ')}) never arrived.`,
  anywayTitle: 'Package has not arrived',
  anywayDescription: 'The customer reports a package that never arrived; no matching order is on its way.',
  sharedNote: "To report a missing package, ask me in a 1:1 chat: I don't list your orders in a shared chat.",
  pickButton: (orderId: string) => `It's ${orderId}`,
  anywayButton: 'Open a delivery ticket anyway',
});
export const deliveryReplies = deliveryRepliesIn(english);

/** start_return's replies (the tool, its confirmation card and the return ticket), in `tr`'s language where translated. */
export const returnRepliesIn = (tr: Translator) => ({
  confirm: (orderId: string) => tr.t('returns.confirm', { orderId }),
  policy: (windowDays: number) => tr.t('returns.policy', { windowDays }),
  alreadyRequested: (orderId: string, rmaId: string) => tr.t('returns.alreadyRequested', { orderId, rmaId }),
  notShippedYet: (orderId: string) => tr.t('returns.notShippedYet', { orderId }),
  notDeliveredYet: (orderId: string) => tr.t('returns.notDeliveredYet', { orderId }),
  outsideWindow: (orderId: string, windowDays: number) =>
    `Order ${orderId} was delivered more than ${windowDays} days ago, so it is outside the return window. If an item is faulty, open a ticket and we'll help under the warranty.`,
  /** Outside a member programme's window (the programme's name and days come from config/returns-policy.json). */
  outsideMemberWindow: (orderId: string, windowDays: number, programme: string) =>
    `Order ${orderId} was delivered more than ${windowDays} days ago, so it is outside even the ${programme} return window. If an item is faulty, open a ticket and we'll help under the warranty.`,
  outsideHolidayWindow: (orderId: string, season: string, until: string) =>
    `Order ${orderId} was bought in the ${season}, so it could be returned until ${until}; that date has passed. If an item is faulty, open a ticket and we'll help under the warranty.`,
  memberWindow: (programme: string, windowDays: number) =>
    `As a ${programme} member you can return it within ${windowDays} days of delivery.`,
  holidayWindow: (season: string, until: string) =>
    `Bought in the ${season}, it can be returned until ${until}.`,
  /** Lines the returns policy excludes; `label` is the policy's own wording (config/returns-policy.json). */
  notReturnable: (orderId: string, lines: { name: string; label: string }[]) =>
    `${lines.map((l) => l.name).join(' and ')} from order ${orderId} can't be returned: the returns policy excludes ${[...new Set(lines.map((l) => l.label))].join(' and ')}.`,
  excluded: (lines: { name: string; label: string }[]) =>
    `Not included: ${lines.map((l) => `${l.name} (${l.label} can't be returned)`).join(', ')}.`,
  alreadyReturned: (orderId: string) => tr.t('returns.alreadyReturned', { orderId }),
  cancelled: (orderId: string) => tr.t('returns.cancelled', { orderId }),
  unknownItem: (orderId: string, item: string) =>
    `Order ${orderId} has no item matching "${item.slice(0, 60)}". Name the items as they appear on the order, or leave them out to return everything.`,
  tooMany: (orderId: string, name: string, quantity: number) =>
    `Order ${orderId} has only ${quantity} × ${name}.`,
  sharedChat: (orderId: string) => `To return ${orderId}, ask me in a 1:1 chat.`,
  notRequester: 'Only the person who asked for this return can confirm it.',
  invalidCard: 'This card is no longer valid.',
  forbidden: 'You are not allowed to start returns.',
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
    `Why are you returning order ${orderId}? A few words are enough, e.g. "it arrived damaged" or "it doesn't fit". It has several items: ${names.join(', ')}. If you are returning only some of them, name them in your answer, e.g. "the ${names[0]} arrived damaged"; otherwise all of them go back.`,
  askOrderId: tr.t('returns.askOrderId'),
});
export const returnReplies = returnRepliesIn(english);
