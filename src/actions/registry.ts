import { logger } from '../observability/logger';
import { createAssignTicket } from './assignTicket';
import { createCancelOrder } from './cancelOrder';
import { createAddTicketDetail, createCreateTicket } from './createTicket';
import type { ActionDeps } from './deps';
import { createGetOrderStatus } from './getOrderStatus';
import { createGetTicketStatus } from './getTicketStatus';
import { createListMyOrders } from './listMyOrders';
import { createListMyTickets } from './listMyTickets';
import { createUpdateTicket } from './updateTicket';
import { createReportMissingDelivery } from './reportMissingDelivery';
import { createRequestHuman } from './requestHuman';
import { withRbac } from './rbac';
import { createStartReturn } from './startReturn';
import type { ToolName } from './schemas';
import { identityRequiredIn, translatorFor } from './messages';
import { type ActionHandler, failure } from './types';

/** Last line of defence: a handler bug becomes an 'unavailable' result, never a thrown error. */
function neverThrow(tool: ToolName, handler: ActionHandler): ActionHandler {
  return async (ctx, rawArgs) => {
    try {
      return await handler(ctx, rawArgs);
    } catch (err) {
      logger.error({ tool, err: String(err) }, 'action handler failed');
      return failure('unavailable', 'Something went wrong on my side. Please try again.');
    }
  };
}

/**
 * Every tool is personal (orders and tickets belong to a user): a caller without an Entra object id
 * would otherwise share the empty identity with every other such caller.
 */
function requireIdentity(handler: ActionHandler): ActionHandler {
  return async (ctx, rawArgs) =>
    ctx.user.aadObjectId.trim()
      ? handler(ctx, rawArgs)
      : failure('forbidden', identityRequiredIn(translatorFor(ctx)));
}

/**
 * All tools by name, each wrapped with the RBAC check (enforced in code, never by the prompt)
 * and the never-throw guard. The planner calls `registry.get(name)?.(ctx, args)`.
 */
export function createActionRegistry(deps: ActionDeps): Map<ToolName, ActionHandler> {
  const handlers: Record<ToolName, ActionHandler> = {
    get_order_status: createGetOrderStatus(deps),
    list_my_orders: createListMyOrders(deps),
    create_ticket: createCreateTicket(deps),
    add_ticket_detail: createAddTicketDetail(deps),
    get_ticket_status: createGetTicketStatus(deps),
    list_my_tickets: createListMyTickets(deps),
    cancel_order: createCancelOrder(deps),
    update_ticket: createUpdateTicket(deps),
    request_human: createRequestHuman(deps),
    report_missing_delivery: createReportMissingDelivery(deps),
    start_return: createStartReturn(deps),
    assign_ticket: createAssignTicket(deps),
  };
  return new Map(
    (Object.keys(handlers) as ToolName[]).map((name) => [
      name,
      neverThrow(name, requireIdentity(withRbac(deps.rbac, name, handlers[name]))),
    ]),
  );
}
