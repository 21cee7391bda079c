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
  rateLimited: 'You are sending messages faster than I can answer. Please wait a few seconds and try again.',
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
