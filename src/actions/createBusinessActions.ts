import type { Container } from '@azure/cosmos';
import { CosmosOrderService } from '../orders/cosmosOrderService';
import type { OrderService } from '../orders/order';
import { RestOrderService, type RestOrderServiceOptions } from '../orders/restOrderService';
import { seedOrders } from '../orders/seedOrders';
import { TicketService } from '../tickets/ticketService';
import { CosmosOutboxStore } from '../tickets/webhook/outboxStore';
import { WebhookDispatcher } from '../tickets/webhook/webhookDispatcher';
import type { KnowledgeSearch } from '../knowledge';
import { knowledgeReturnsPolicy } from '../returns/returnsPolicy';
import { ReturnStore } from '../returns/returnStore';
import { CancelCardSigner } from './cancelOrder';
import { ReturnCardSigner } from './startReturn';
import { type CardActionHandler, createCardActionHandler } from './cardActions';
import type { ActionDeps } from './deps';
import { loadRbacPolicy, type RbacPolicy, type RbacPrincipal, rbacOptionsFromEnv } from './rbac';
import { createActionRegistry } from './registry';
import type { ToolName } from './schemas';
import type { ActionContext, ActionHandler } from './types';

export type BusinessActionsOptions = {
  /** Cosmos `orders` container (embedded or Azure), or the REST connector (ORDERS_API_URL). */
  orders:
    | { kind: 'cosmos'; container: Container; seedSampleData?: boolean }
    | ({ kind: 'rest' } & RestOrderServiceOptions);
  /** Cosmos `tickets` container. */
  tickets: Container;
  /** Cosmos `returns` container: return requests (RMA) and their number counter. */
  returns: Container;
  /** RETURN_WINDOW_DAYS (default 30). */
  returnWindowDays?: number;
  /** The knowledge index, for the returns policy citation in start_return's replies. */
  knowledge?: Pick<KnowledgeSearch, 'search'>;
  /** Cosmos `outbox` container; needed only when `webhook` is set. */
  outbox?: Container;
  /** Secret for the HMAC on ticket draft cards (e.g. TICKET_DRAFT_SECRET; ≥ 16 chars). */
  draftSecret: string;
  /** TICKETS_WEBHOOK_URL / TICKETS_WEBHOOK_SECRET; omit to not send webhooks. */
  webhook?: { url: string; secret: string; pollIntervalMs?: number; fetch?: typeof fetch };
  /** Policy file (default config/rbac.json) and env for RBAC_<ROLE>_IDS lists. */
  rbacPath?: string;
  env?: Record<string, string | undefined>;
};

export type BusinessActions = {
  /** Tool name → handler (RBAC-checked, never throws). */
  registry: Map<ToolName, ActionHandler>;
  /** For the adaptiveCard/action route: returns the card to show in place of the clicked one. */
  onCardAction: CardActionHandler;
  rbac: RbacPolicy;
  orders: OrderService;
  tickets: TicketService;
  /** Present when a webhook is configured; call start() after listen and stop() on shutdown. */
  dispatcher?: WebhookDispatcher;
  /** Builds an ActionContext with roles resolved from the policy. */
  contextFor(user: ActionContext['user'] & { groupIds?: string[] }, conversationId: string): ActionContext;
};

/** Wires orders, tickets, webhook outbox and RBAC from settings; the one call the Teams layer needs. */
export async function createBusinessActions(options: BusinessActionsOptions): Promise<BusinessActions> {
  const rbac = loadRbacPolicy(options.rbacPath, rbacOptionsFromEnv(options.env ?? {}));

  let orders: OrderService;
  if (options.orders.kind === 'cosmos') {
    if (options.orders.seedSampleData) await seedOrders(options.orders.container);
    orders = new CosmosOrderService(options.orders.container);
  } else {
    const { kind: _kind, ...rest } = options.orders;
    orders = new RestOrderService(rest);
  }

  let dispatcher: WebhookDispatcher | undefined;
  let outbox: CosmosOutboxStore | undefined;
  if (options.webhook) {
    if (!options.outbox) throw new Error('A webhook is configured but no outbox container was given');
    outbox = new CosmosOutboxStore(options.outbox);
    // Tickets confirmed in the last 7 days whose outbox write was lost are enqueued again.
    dispatcher = new WebhookDispatcher({
      outbox,
      reconcile: (): Promise<number> =>
        tickets.reconcileWebhooks(new Date(Date.now() - 7 * 24 * 3600 * 1000)),
      ...options.webhook,
    });
  }
  const d: WebhookDispatcher | undefined = dispatcher;
  const tickets: TicketService = new TicketService({
    container: options.tickets,
    draftSecret: options.draftSecret,
    outbox,
    onEnqueued: d ? () => void d.flush().catch(() => undefined) : undefined,
  });

  const deps: ActionDeps = {
    orders,
    tickets,
    rbac,
    cardSigner: new CancelCardSigner(options.draftSecret),
    returns: {
      store: new ReturnStore(options.returns),
      signer: new ReturnCardSigner(options.draftSecret),
      policy: options.knowledge
        ? knowledgeReturnsPolicy(options.knowledge)
        : { citation: async () => undefined },
      windowDays: options.returnWindowDays ?? 30,
    },
  };
  const registry = createActionRegistry(deps);
  return {
    registry,
    onCardAction: createCardActionHandler(deps, registry),
    rbac,
    orders,
    tickets,
    dispatcher,
    contextFor(user, conversationId) {
      const { groupIds, ...rest } = user;
      const principal: RbacPrincipal = { aadObjectId: user.aadObjectId, groupIds };
      return { user: rest, roles: rbac.rolesFor(principal), conversationId };
    },
  };
}
