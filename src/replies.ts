/** Short fixed replies. Kept in one place so tests and the eval harness can refer to them. */
export const replies = {
  help: [
    'I can help with orders, support tickets and questions about company policies.',
    '- **Orders**: "Where is order ORD-10421?", "Show my orders"',
    '- **Returns**: "Return ORD-10388", "I want a refund for ORD-10388"',
    '- **Tickets**: "Open a ticket about a damaged item", "What is the status of TKT-000123?"',
    '- **Knowledge**: "What is the return policy?", "How do I reset my password?"',
    'Type **reset** to start over.',
  ].join('\n'),
  reset: 'Done: I have cleared this conversation. What can I do for you?',
  tooLong: (max: number) =>
    `That message is too long for me (over ${max} characters). Please shorten it and try again.`,
  unsupportedAttachment:
    'I cannot read attachments yet, so I ignored the file. Please paste the text instead.',
  turnFailed: 'Sorry, something went wrong on my side. Please try again in a moment.',
  unknownTool:
    "Sorry, I can't do that: I can look up orders, open tickets, check a ticket's status and answer questions from the company documents.",
  storageUnavailable: 'Sorry, I cannot reach my conversation store right now. Please try again in a minute.',
  rateLimited: 'You are sending messages faster than I can answer. Please wait a few seconds and try again.',
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
  askReason: (orderId: string) =>
    `Why are you returning order ${orderId}? A few words are enough, e.g. "it arrived damaged" or "it doesn't fit".`,
  askOrderId: 'Which order do you want to return? Order numbers look like ORD-10421.',
} as const;
