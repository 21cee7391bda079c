import type { Container } from '@azure/cosmos';
import { CosmosOrderService } from '../orders/cosmosOrderService';
import type { OrderService } from '../orders/order';
import { RestOrderService, type RestOrderServiceOptions } from '../orders/restOrderService';
import { seedOrders } from '../orders/seedOrders';
import type { TicketRepository } from '../tickets/ticketRepository';
import { TicketService } from '../tickets/ticketService';
import { CosmosOutboxStore } from '../tickets/webhook/outboxStore';
import { WebhookDispatcher } from '../tickets/webhook/webhookDispatcher';
import { OutboxDispatcher, type OutboxDeliver } from '../tickets/webhook/outboxDispatcher';
import { SeenEventStore } from '../tickets/events/seenEvents';
import { EVENT_TOLERANCE_SECONDS, TicketEventReceiver } from '../tickets/events/ticketEventReceiver';
import type { KnowledgeSearch } from '../knowledge';
import { knowledgeReturnsPolicy } from '../returns/returnsPolicy';
import { ReturnStore } from '../returns/returnStore';
import { loadReturnRules } from '../returns/returnRules';
import { DEFAULT_PATHS } from '../defaultPaths';
import { CancelCardSigner } from './cancelOrder';
import { ReturnCardSigner } from './startReturn';
import type { ActionDeps } from './deps';
import { loadRbacPolicy, type RbacPolicy, type RbacPrincipal } from './rbac';
import { createActionRegistry } from './registry';
import type { HandoffDeps } from './requestHuman';
import type { ToolName } from './schemas';
import type { ActionContext, ActionHandler } from './types';

export type BusinessActionsOptions = {
  /** Cosmos `orders` container (embedded or Azure), or the REST connector (ORDERS_API_URL). */
  orders:
    | { kind: 'cosmos'; container: Container; seedSampleData?: boolean }
    | ({ kind: 'rest' } & RestOrderServiceOptions);
  /** Where tickets are stored (CosmosTicketRepository on the `tickets` container). */
  tickets: TicketRepository;
  /** Cosmos `returns` container: return requests (RMA) and their number counter. */
  returns: Container;
  /** RETURN_WINDOW_DAYS (default 30). */
  returnWindowDays?: number;
  /** Returns policy file (RETURNS_POLICY_FILE, default config/returns-policy.json). */
  returnsPolicyPath?: string;
  /** The knowledge index, for the returns policy citation in start_return's replies. */
  knowledge?: Pick<KnowledgeSearch, 'search'>;
  /** Cosmos `outbox` container; needed only when `webhook` is set. */
  outbox?: Container;
  /** Secret for the HMAC on ticket draft cards (e.g. TICKET_DRAFT_SECRET; ≥ 16 chars). */
  draftSecret: string;
  /** TICKETS_WEBHOOK_URL / TICKETS_WEBHOOK_SECRET; omit to not send webhooks. */
  webhook?: {
    url: string;
    secret: string;
    pollIntervalMs?: number;
    reconcileIntervalMs?: number;
    fetch?: typeof fetch;
  };
  /**
   * Sends ticket-update notifications to requesters (the Teams layer's proactive sender); with the
   * outbox container set, status changes queue one notification each. Omit to not notify.
   */
  notify?: { deliver: OutboxDeliver; pollIntervalMs?: number };
  /** TICKETS_WEBHOOK_SECRET: enables the inbound `POST /api/tickets/events` receiver (needs `outbox`). */
  inboundEventsSecret?: string;
  /** Policy file (default config/rbac.json). */
  rbacPath?: string;
  /** Object ids (users or groups) added to the support_agent role, from RBAC_SUPPORT_AGENT_IDS. */
  supportAgentIds?: string[];
  /** request_human's transcript, contact lookup and support notifier; without it the tool apologises. */
  handoff?: HandoffDeps;
};

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

/** Wires orders, tickets, webhook outbox and RBAC from settings; the one call the Teams layer needs. */
export async function createBusinessActions(options: BusinessActionsOptions): Promise<BusinessActions> {
  const rbac = loadRbacPolicy(options.rbacPath, { supportAgentIds: options.supportAgentIds });

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
  let notifier: OutboxDispatcher | undefined;
  const notificationOutbox =
    options.notify && options.outbox ? new CosmosOutboxStore(options.outbox) : undefined;
  if (options.notify && notificationOutbox) {
    notifier = new OutboxDispatcher({
      outbox: notificationOutbox,
      kind: 'notification',
      name: 'ticket update message',
      deliver: options.notify.deliver,
      pollIntervalMs: options.notify.pollIntervalMs,
      // Updates of the last day whose outbox write was lost (a crash in between) are queued again.
      reconcile: (): Promise<number> =>
        tickets.reconcileNotifications(new Date(Date.now() - 24 * 3600 * 1000)),
    });
  }
  const n: OutboxDispatcher | undefined = notifier;
  const tickets: TicketService = new TicketService({
    repository: options.tickets,
    draftSecret: options.draftSecret,
    outbox,
    onEnqueued: d ? () => void d.flush().catch(() => undefined) : undefined,
    notifications:
      n && notificationOutbox
        ? { outbox: notificationOutbox, onEnqueued: () => void n.flush().catch(() => undefined) }
        : undefined,
  });
  let ticketEvents: TicketEventReceiver | undefined;
  if (options.inboundEventsSecret) {
    if (!options.outbox) throw new Error('Inbound ticket events need the outbox container (seen events)');
    ticketEvents = new TicketEventReceiver({
      secret: options.inboundEventsSecret,
      tickets,
      // Seen signatures must outlive the window in both directions (± 5 min).
      seen: new SeenEventStore(options.outbox, 2 * EVENT_TOLERANCE_SECONDS + 60),
    });
  }

  const deps: ActionDeps = {
    orders,
    tickets,
    rbac,
    cardSigner: new CancelCardSigner(options.draftSecret),
    ...(options.handoff ? { handoff: options.handoff } : {}),
    returns: {
      store: new ReturnStore(options.returns),
      signer: new ReturnCardSigner(options.draftSecret),
      policy: options.knowledge
        ? knowledgeReturnsPolicy(options.knowledge)
        : { citation: async () => undefined },
      windowDays: options.returnWindowDays ?? 30,
      rules: loadReturnRules(options.returnsPolicyPath ?? DEFAULT_PATHS.returnsPolicy),
    },
  };
  const registry = createActionRegistry(deps);
  return {
    registry,
    deps,
    rbac,
    orders,
    tickets,
    dispatcher,
    notifier,
    ticketEvents,
    contextFor(user, conversationId, address) {
      const { groupIds, ...rest } = user;
      const principal: RbacPrincipal = { aadObjectId: user.aadObjectId, groupIds };
      return { user: rest, roles: rbac.rolesFor(principal), conversationId, ...(address ? { address } : {}) };
    },
  };
}
