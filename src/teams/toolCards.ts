import type { MissingDeliveryData } from '../actions/reportMissingDelivery';
import type { HandoffOutcomeData } from '../actions/requestHuman';
import type { Order } from '../orders/order';
import type { TicketDocument } from '../tickets/ticket';
import type { AdaptiveCard } from './cards/cardBase';
import { deliveryCandidatesCard, handoffCard } from './cards/handoffCards';
import { orderStatusCard, ordersListCard } from './cards/orderCards';
import { returnConfirmCard } from './cards/returnCards';
import { ticketStatusCard } from './cards/ticketCards';
import type { ReturnOffer } from '../actions/startReturn';

/**
 * The one place tool results become cards. Tools return domain data (the core renders nothing):
 * the Teams layer draws it here, for both the message route and a card button that ran the tool.
 * undefined: the tool's data has no card (the summary text is the whole answer).
 */
export function renderToolCard(tool: string, data: unknown): AdaptiveCard | undefined {
  if (data === undefined || data === null) return undefined;
  const d = data as { kind?: string };
  switch (tool) {
    case 'get_order_status':
      return orderStatusCard(data as Order);
    case 'list_my_orders':
      return Array.isArray(data) ? ordersListCard(data as Order[]) : undefined;
    case 'get_ticket_status':
    case 'update_ticket':
      return ticketStatusCard(data as TicketDocument);
    case 'request_human':
      return d.kind === 'handoff' ? handoffCard(data as HandoffOutcomeData) : undefined;
    case 'report_missing_delivery':
      return d.kind === 'delivery_candidates'
        ? deliveryCandidatesCard(
            (data as Extract<MissingDeliveryData, { kind: 'delivery_candidates' }>).candidates,
          )
        : undefined;
    case 'start_return': {
      const offer = (data as { returnOffer?: ReturnOffer }).returnOffer;
      return offer ? returnConfirmCard(offer) : undefined;
    }
  }
  return undefined;
}
