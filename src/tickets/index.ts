export * from './ticket';
export * from './ticketEnums';
export { DraftSigner } from './draftSignature';
export { formatTicketId, TicketNumberCounter } from './ticketNumberCounter';
export type { StoredTicket, TicketRepository } from './ticketRepository';
export { CosmosTicketRepository } from './cosmosTicketRepository';
export {
  TicketService,
  type TicketCardActionResult,
  type TicketDraftInput,
  type TicketServiceOptions,
  type TicketViewer,
} from './ticketService';
export { CosmosOutboxStore, type OutboxEntry, type OutboxStatus } from './webhook/outboxStore';
export {
  WebhookDispatcher,
  type FlushResult,
  type WebhookDispatcherOptions,
} from './webhook/webhookDispatcher';
export {
  signWebhook,
  verifyWebhookSignature,
  WEBHOOK_HEADERS,
  type VerifyOptions,
} from './webhook/webhookSignature';
export { ticketCreatedPayload, type TicketCreatedPayload } from './webhook/ticketWebhookPayload';
