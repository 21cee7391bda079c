export * from './cardBase';
export { errorCard } from './errorCard';
export { ORDER_CARD_VERBS, ORDER_STATUS_LABELS, orderStatusCard, ordersListCard } from './orderCards';
export {
  TICKET_CARD_VERBS,
  ticketCancelledCard,
  ticketCreatedCard,
  ticketDraftCard,
  ticketStatusCard,
  ticketUpdateCard,
  ticketUpdateSharedLine,
} from './ticketCards';
export { TICKET_STATUS_LABELS } from './ticketCards';
export { citationLine, knowledgeSnippetCard, recordStatusCard, snippetOf } from './messageExtensionCards';
