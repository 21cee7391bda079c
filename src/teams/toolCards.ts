import type { MissingDeliveryData } from '../actions/reportMissingDelivery';
import type { HandoffOutcomeData } from '../actions/requestHuman';
import type { Order } from '../orders/order';
import type { TicketDocument } from '../tickets/ticket';
import type { AdaptiveCard } from './cards/cardBase';
import { deliveryCandidatesCard, handoffCard } from './cards/handoffCards';
import { orderStatusCard, ordersListCard } from './cards/orderCards';
import { returnConfirmCard } from './cards/returnCards';
import { ticketDraftCard, ticketStatusCard } from './cards/ticketCards';
import { ticketListCard } from './cards/ticketListCard';
import type { TicketListView } from '../actions/listMyTickets';
import { cancelOrderConfirmCard } from './cards/cancelOrderCards';
import type { CancelOffer } from '../actions/cancelOrder';
import type { TicketDraftView } from '../actions/createTicket';
import type { ReturnOffer } from '../actions/startReturn';
import { english, type Translator } from '../text/i18n';

/**
 * The one place tool results become cards. Tools return domain data (the core renders nothing):
 * the Teams layer draws it here, for both the message route and a card button that ran the tool.
 * undefined: the tool's data has no card (the summary text is the whole answer).
 */
export function renderToolCard(
  tool: string,
  data: unknown,
  tr: Translator = english,
): AdaptiveCard | undefined {
  if (data === undefined || data === null) return undefined;
  const d = data as { kind?: string };
  switch (tool) {
    case 'get_order_status':
      return orderStatusCard(data as Order, tr);
    case 'list_my_orders':
      return Array.isArray(data) ? ordersListCard(data as Order[], tr) : undefined;
    case 'get_ticket_status':
    case 'update_ticket':
    case 'assign_ticket':
      return ticketStatusCard(data as TicketDocument, tr);
    case 'list_my_tickets': {
      // One ticket of your own: its status card says more than a list of one ("any update on my ticket?").
      const view = data as TicketListView;
      return view.scope === 'mine' && view.tickets.length === 1 && !view.queueRefused
        ? ticketStatusCard(view.tickets[0]!, tr)
        : ticketListCard(view, tr);
    }
    case 'request_human':
      return d.kind === 'handoff' ? handoffCard(data as HandoffOutcomeData, tr) : undefined;
    case 'create_ticket':
    case 'add_ticket_detail':
      return draftCard(data as TicketDraftView, tr);
    case 'cancel_order': {
      const offer = (data as { offer?: CancelOffer }).offer;
      return offer ? cancelOrderConfirmCard(offer.order, offer.ref, tr) : undefined;
    }
    case 'report_missing_delivery': {
      const m = data as MissingDeliveryData;
      if (m.kind === 'delivery_candidates') return deliveryCandidatesCard(m.candidates, tr);
      return m.kind === 'delivery_drafted' ? draftCard(m, tr) : undefined;
    }
    case 'start_return': {
      const offer = (data as { returnOffer?: ReturnOffer }).returnOffer;
      return offer ? returnConfirmCard(offer, tr) : undefined;
    }
  }
  return undefined;
}

/** A drafted ticket's review card (Confirm / Cancel), signed so a click can be verified. */
function draftCard(view: TicketDraftView, tr: Translator): AdaptiveCard | undefined {
  return view.draft ? ticketDraftCard(view.draft, view.sig, tr) : undefined;
}
