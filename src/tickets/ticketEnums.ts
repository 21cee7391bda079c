/** The ticket categories and priorities shared by the tool schemas, the cards and the store. */
export const TICKET_CATEGORIES = [
  'order',
  'delivery',
  'billing',
  'technical',
  'account',
  'hr',
  /** A request to talk to a person (request_human): opened at once, with the recent transcript. */
  'handoff',
  'return',
  'other',
] as const;
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

export type TicketCategory = (typeof TICKET_CATEGORIES)[number];
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
