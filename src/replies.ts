/** Short fixed replies. Kept in one place so tests and the eval harness can refer to them. */
export const replies = {
  help: [
    'I can help with orders, support tickets and questions about company policies.',
    '- **Orders**: "Where is order ORD-10421?", "Show my orders"',
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
  /** Shared conversation: the restricted answer went to the asker's 1:1 chat. */
  answeredPrivately:
    "The answer comes from documents not everyone here may see, so I've sent it to you in our 1:1 chat.",
  /** Shared conversation: the order or ticket details went to the requester's 1:1 chat. */
  detailsSentPrivately: "I've sent you the details in our 1:1 chat.",
  /** Shared conversation: what the thread (and the model) hears of a ticket draft. */
  sharedDraftSummary:
    'I drafted the ticket: the card shows its details to you only. Review it there and press Confirm to file it.',
  alreadyHandled: 'I have already handled this request; nothing was done twice.',
  rateLimited: 'You are sending messages faster than I can answer. Please wait a few seconds and try again.',
} as const;
