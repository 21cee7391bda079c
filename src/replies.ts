import { english } from './text/i18n';

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

/** request_human (hand over to a person) and the frustration offer. */
export const handoffReplies = {
  opened: (ticketId: string) =>
    `I've opened ticket ${ticketId} so a person from our support team takes over.`,
  alreadyOpen: (ticketId: string) =>
    `Your ticket ${ticketId} for a person to take over is still open, so I haven't opened another one.`,
  notified: 'The support team has been notified in Teams.',
  notConfigured:
    'No support channel is set up in Teams yet, so nobody was notified right away: the support team will find the ticket in their queue.',
  notifyFailed:
    "I couldn't notify the support team in Teams just now: the ticket is stored and the team will find it in their queue.",
  contact: (c: { phone?: string; email?: string; hours?: string; sourceTitle: string }) =>
    [
      c.phone
        ? `You can also call us at ${c.phone}${c.hours ? ` (${c.hours.replace(/\.$/, '')})` : ''}.`
        : '',
      c.email ? `Email: ${c.email}.` : '',
      `(From "${c.sourceTitle}".)`,
    ]
      .filter(Boolean)
      .join(' '),
  contactUnknown: "I couldn't look up our phone number and opening hours in the knowledge base just now.",
  unavailable: "I can't hand you over to a person right now. Please try again in a few minutes.",
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
} as const;

/** report_missing_delivery (a package that did not arrive). */
export const deliveryReplies = {
  pick: (count: number) => english.t('delivery.pick', { count }),
  none: 'None of your orders is on its way right now (shipped or out for delivery). I can still open a delivery ticket for you, or hand you over to a person.',
  notShipped: (orderId: string) =>
    `Order ${orderId} has not shipped yet, so it cannot be missing: it is still being processed.`,
  notApplicable: (orderId: string, status: string) =>
    `Order ${orderId} is ${status.replace(/_/g, ' ')}, so there is no delivery to report.`,
  drafted: (orderId: string) =>
    `I drafted a delivery ticket for order ${orderId}. Please review it on the card and press Confirm to file it.`,
  ticketTitle: (orderId: string) => `Package for ${orderId} has not arrived`,
  ticketDescription: (orderId: string, status: string) =>
    `The customer reports that the package for order ${orderId} (status: ${status.replace(/_/g, ' ')}) never arrived.`,
  anywayTitle: 'Package has not arrived',
  anywayDescription: 'The customer reports a package that never arrived; no matching order is on its way.',
  sharedNote: "To report a missing package, ask me in a 1:1 chat: I don't list your orders in a shared chat.",
  pickButton: (orderId: string) => `It's ${orderId}`,
  anywayButton: 'Open a delivery ticket anyway',
} as const;

/** start_return's replies (the tool, its confirmation card and the return ticket). */
export const returnReplies = {
  confirm: (orderId: string) =>
    `Please check the items and confirm the return of order ${orderId} on the card. Nothing changes until you do.`,
  policy: (windowDays: number) =>
    `Unused items can be returned within ${windowDays} days of delivery; the refund goes to the original payment method.`,
  alreadyRequested: (orderId: string, rmaId: string) =>
    `A return for order ${orderId} has already been requested: ${rmaId}. Support will be in touch about it.`,
  notShippedYet: (orderId: string) =>
    `Order ${orderId} hasn't shipped yet, so there is nothing to return. You can cancel it instead: say "cancel order ${orderId}".`,
  notDeliveredYet: (orderId: string) =>
    `Order ${orderId} hasn't been delivered yet, so it can't be returned. Once it arrives, say "return ${orderId}".`,
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
  alreadyReturned: (orderId: string) => `Order ${orderId} has already been returned.`,
  cancelled: (orderId: string) => `Order ${orderId} was cancelled, so there is nothing to return.`,
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
  askReason: (orderId: string) => english.t('returns.askReason', { orderId }),
  /** The same question when the order has several returnable items and none were named. */
  askReasonAndItems: (orderId: string, names: string[]) =>
    `Why are you returning order ${orderId}? A few words are enough, e.g. "it arrived damaged" or "it doesn't fit". It has several items: ${names.join(', ')}. If you are returning only some of them, name them in your answer, e.g. "the ${names[0]} arrived damaged"; otherwise all of them go back.`,
  askOrderId: english.t('returns.askOrderId'),
} as const;
