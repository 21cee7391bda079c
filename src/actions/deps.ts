import type { OrderService } from '../orders/order';
import type { TicketService } from '../tickets/ticketService';
import type { CancelCardSigner } from './cancelOrder';
import type { RbacPolicy } from './rbac';
import type { HandoffDeps } from './requestHuman';
import type { ReturnDeps } from './startReturn';

/** What the tools need; the lead's wiring builds these from config (embedded vs Azure). */
export type ActionDeps = {
  orders: OrderService;
  tickets: TicketService;
  rbac: RbacPolicy;
  /** Signs the data of confirmation cards (cancel order). */
  cardSigner: CancelCardSigner;
  /** request_human: transcript, contact details and the support notifier; absent → the tool apologises. */
  handoff?: HandoffDeps;
  /** start_return: return records and RMA numbers, its card signer, the policy citation, the window. */
  returns: ReturnDeps;
};
