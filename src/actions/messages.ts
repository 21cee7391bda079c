/** Replies shared by several tools. Not-found wording is identical for unknown and foreign records on purpose. */
export const orderNotFound = (orderId: string) => `I couldn't find order ${orderId} on your account.`;
export const ticketNotFound = (ticketId: string) => `I couldn't find ticket ${ticketId} on your account.`;
export const ordersUnavailable =
  'The order system is not reachable right now. Please try again in a few minutes.';
export const ticketsUnavailable =
  'The ticket system is not reachable right now. Please try again in a few minutes.';
/** For callers without a Microsoft Entra object id (e.g. anonymous meeting guests): no personal data. */
export const identityRequired =
  "I can't tell who you are here (no work account), so I can't show or change orders, tickets or drafts. Sign in with your work account and ask me again.";
