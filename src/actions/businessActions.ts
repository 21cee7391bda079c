import type { OrderService } from '../orders/order';
import type { TicketService } from '../tickets/ticketService';
import type { WebhookDispatcher } from '../tickets/webhook/webhookDispatcher';
import type { OutboxDispatcher } from '../tickets/webhook/outboxDispatcher';
import type { TicketEventReceiver } from '../tickets/events/ticketEventReceiver';
import type { ActionDeps } from './deps';
import type { RbacPolicy, RbacPrincipal } from './rbac';
import type { ToolName } from './schemas';
import type { ActionContext, ActionHandler } from './types';

/**
 * What the business core offers the Teams layer: the tools, what they run on and the background
 * senders. Built by the composition root (src/composition/business.ts).
 */
export type BusinessActions = {
  /** Tool name → handler (RBAC-checked, never throws). */
  registry: Map<ToolName, ActionHandler>;
  /** What the tools run on; the Teams card-action route (src/teams/routes/cardActions.ts) uses it too. */
  deps: ActionDeps;
  rbac: RbacPolicy;
  orders: OrderService;
  tickets: TicketService;
  /** Present when a webhook is configured; call start() after listen and stop() on shutdown. */
  dispatcher?: WebhookDispatcher;
  /** Present with `notify`: sends queued ticket updates; start() after listen, stop() on shutdown. */
  notifier?: OutboxDispatcher;
  /** Present with `inboundEventsSecret`: handles `POST /api/tickets/events`. */
  ticketEvents?: TicketEventReceiver;
  /** Builds an ActionContext with roles resolved from the policy. */
  contextFor(
    user: ActionContext['user'] & { groupIds?: string[] },
    conversationId: string,
    address?: ActionContext['address'],
  ): ActionContext;
};

/** An ActionContext for a user, with the roles the policy gives them and their groups. */
export function actionContextFor(
  rbac: RbacPolicy,
  user: ActionContext['user'] & { groupIds?: string[] },
  conversationId: string,
  address?: ActionContext['address'],
): ActionContext {
  const { groupIds, ...rest } = user;
  const principal: RbacPrincipal = { aadObjectId: user.aadObjectId, groupIds };
  return { user: rest, roles: rbac.rolesFor(principal), conversationId, ...(address ? { address } : {}) };
}
