import type { Container } from '@azure/cosmos';
import type { AppConfig } from '../config';
import { DEFAULT_PATHS } from '../defaultPaths';
import { actionContextFor, createActionRegistry, loadRbacPolicy, type BusinessActions } from '../actions';
import { CancelCardSigner } from '../actions/cancelOrder';
import type { ActionDeps } from '../actions/deps';
import type { HandoffDeps } from '../actions/requestHuman';
import { ReturnCardSigner } from '../actions/startReturn';
import type { KnowledgeSearch } from '../knowledge';
import { findSupportContact } from '../knowledge/supportContact';
import type { ConversationAddress } from '../notifications/address';
import { SupportChannelStore } from '../notifications/supportChannelStore';
import { CosmosOrderService } from '../orders/cosmosOrderService';
import type { OrderService } from '../orders/order';
import { RestOrderService, type RestOrderServiceOptions } from '../orders/restOrderService';
import { seedOrders } from '../orders/seedOrders';
import { createResilientFetch, type DependencyPolicies } from '../resilience';
import { knowledgeReturnsPolicy } from '../returns/returnsPolicy';
import { loadReturnRules } from '../returns/returnRules';
import { ReturnStore } from '../returns/returnStore';
import { loadOrCreateSharedSecret, type CosmosStores, type TranscriptStore } from '../storage';
import { recentTranscriptLines } from '../storage/recentTranscript';
import { CosmosTicketRepository } from '../tickets/cosmosTicketRepository';
import { SeenEventStore } from '../tickets/events/seenEvents';
import { EVENT_TOLERANCE_SECONDS, TicketEventReceiver } from '../tickets/events/ticketEventReceiver';
import type { TicketRepository } from '../tickets/ticketRepository';
import { TicketService } from '../tickets/ticketService';
import { OutboxDispatcher, type OutboxDeliver } from '../tickets/webhook/outboxDispatcher';
import { CosmosOutboxStore } from '../tickets/webhook/outboxStore';
import { WebhookDispatcher } from '../tickets/webhook/webhookDispatcher';
import type { ProactiveMessenger } from '../teams/proactive';
import { TeamsSupportNotifier } from '../teams/supportNotifier';
import { ticketUpdateDeliverer } from '../teams/ticketUpdateDelivery';

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

type Ticketing = Pick<BusinessActions, 'tickets' | 'dispatcher' | 'notifier' | 'ticketEvents'>;

/** Wires orders, tickets, webhook outbox and RBAC from settings; the one call the Teams layer needs. */
export async function createBusinessActions(options: BusinessActionsOptions): Promise<BusinessActions> {
  const rbac = loadRbacPolicy(options.rbacPath, { supportAgentIds: options.supportAgentIds });
  const orders = await createOrders(options.orders);
  const ticketing = createTicketing(options);
  const deps = actionDeps(options, orders, ticketing.tickets, rbac);
  return {
    registry: createActionRegistry(deps),
    deps,
    rbac,
    orders,
    ...ticketing,
    contextFor: (user, conversationId, address) => actionContextFor(rbac, user, conversationId, address),
  };
}

async function createOrders(options: BusinessActionsOptions['orders']): Promise<OrderService> {
  if (options.kind === 'cosmos') {
    if (options.seedSampleData) await seedOrders(options.container);
    return new CosmosOrderService(options.container);
  }
  const { kind: _kind, ...rest } = options;
  return new RestOrderService(rest);
}

/** Tickets, with the webhook outbox, the ticket-update notifier and the inbound event receiver. */
function createTicketing(options: BusinessActionsOptions): Ticketing {
  // Assigned below; the reconcile callbacks run only once the dispatchers are started.
  const built: { tickets?: TicketService } = {};
  const ticketService = () => built.tickets as TicketService;
  let dispatcher: WebhookDispatcher | undefined;
  let outbox: CosmosOutboxStore | undefined;
  if (options.webhook) {
    if (!options.outbox) throw new Error('A webhook is configured but no outbox container was given');
    outbox = new CosmosOutboxStore(options.outbox);
    // Tickets confirmed in the last 7 days whose outbox write was lost are enqueued again.
    dispatcher = new WebhookDispatcher({
      outbox,
      reconcile: () => ticketService().reconcileWebhooks(new Date(Date.now() - 7 * 24 * 3600 * 1000)),
      ...options.webhook,
    });
  }
  const notificationOutbox =
    options.notify && options.outbox ? new CosmosOutboxStore(options.outbox) : undefined;
  const notifier =
    options.notify && notificationOutbox
      ? new OutboxDispatcher({
          outbox: notificationOutbox,
          kind: 'notification',
          name: 'ticket update message',
          deliver: options.notify.deliver,
          pollIntervalMs: options.notify.pollIntervalMs,
          // Updates of the last day whose outbox write was lost (a crash in between) are queued again.
          reconcile: () => ticketService().reconcileNotifications(new Date(Date.now() - 24 * 3600 * 1000)),
        })
      : undefined;
  const d = dispatcher;
  const tickets = new TicketService({
    repository: options.tickets,
    draftSecret: options.draftSecret,
    outbox,
    onEnqueued: d ? () => void d.flush().catch(() => undefined) : undefined,
    notifications:
      notifier && notificationOutbox
        ? { outbox: notificationOutbox, onEnqueued: () => void notifier.flush().catch(() => undefined) }
        : undefined,
  });
  built.tickets = tickets;
  return { tickets, dispatcher, notifier, ticketEvents: ticketEventReceiver(options, tickets) };
}

function ticketEventReceiver(
  options: BusinessActionsOptions,
  tickets: TicketService,
): TicketEventReceiver | undefined {
  if (!options.inboundEventsSecret) return undefined;
  if (!options.outbox) throw new Error('Inbound ticket events need the outbox container (seen events)');
  return new TicketEventReceiver({
    secret: options.inboundEventsSecret,
    tickets,
    // Seen signatures must outlive the window in both directions (± 5 min).
    seen: new SeenEventStore(options.outbox, 2 * EVENT_TOLERANCE_SECONDS + 60),
  });
}

function actionDeps(
  options: BusinessActionsOptions,
  orders: OrderService,
  tickets: TicketService,
  rbac: BusinessActions['rbac'],
): ActionDeps {
  return {
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
}

/** What the business services are built on, from the composed stores and the Teams sender. */
export interface BusinessInputs {
  policies: DependencyPolicies;
  stores: CosmosStores;
  knowledge: KnowledgeSearch;
  transcripts: TranscriptStore;
  proactive: ProactiveMessenger;
}

export interface Business {
  business: BusinessActions;
  supportChannels: SupportChannelStore;
  /** Shared by every instance on this database, so a card drawn here can be confirmed elsewhere. */
  cardSigningSecret: string;
}

/** The business services from configuration: orders, tickets and their webhooks, returns, handoff. */
export async function openBusiness(config: AppConfig, inputs: BusinessInputs): Promise<Business> {
  const { stores } = inputs;
  const supportChannels = new SupportChannelStore(stores.containers.state, configuredSupportAddress(config));
  const cardSigningSecret =
    config.tickets.cardSigningSecret ??
    (await loadOrCreateSharedSecret(stores.containers.state, 'card-signing'));
  const business = await createBusinessActions(
    businessOptions(config, inputs, supportChannels, cardSigningSecret),
  );
  return { business, supportChannels, cardSigningSecret };
}

function businessOptions(
  config: AppConfig,
  inputs: BusinessInputs,
  supportChannels: SupportChannelStore,
  cardSigningSecret: string,
): BusinessActionsOptions {
  const { stores, knowledge } = inputs;
  return {
    orders: ordersOptions(config, inputs),
    tickets: new CosmosTicketRepository(stores.managed.tickets),
    returns: stores.containers.returns,
    returnWindowDays: config.returns.windowDays,
    returnsPolicyPath: config.returns.policyFile,
    knowledge,
    outbox: stores.containers.outbox,
    draftSecret: cardSigningSecret,
    webhook: webhookOptions(config, inputs.policies),
    rbacPath: config.rbac.policyFile,
    supportAgentIds: config.rbac.supportAgentIds,
    // Ticket updates reach the requester proactively; the dispatcher only sends after listen.
    notify: {
      deliver: (entry) => ticketUpdateDeliverer(inputs.proactive)(entry),
      pollIntervalMs: config.resilience.webhookPollMs,
    },
    inboundEventsSecret: config.tickets.webhookSecret,
    handoff: handoffDeps(config, inputs, supportChannels),
  };
}

function ordersOptions(config: AppConfig, inputs: BusinessInputs): BusinessActionsOptions['orders'] {
  return config.orders.mode === 'rest'
    ? {
        kind: 'rest',
        baseUrl: config.orders.url,
        token: config.orders.token,
        fetch: createResilientFetch({ policy: inputs.policies.orders }),
      }
    : {
        kind: 'cosmos',
        container: inputs.stores.containers.orders,
        seedSampleData: config.cosmos.mode === 'embedded',
      };
}

function webhookOptions(config: AppConfig, policies: DependencyPolicies): BusinessActionsOptions['webhook'] {
  if (!config.tickets.webhookUrl || !config.tickets.webhookSecret) return undefined;
  return {
    url: config.tickets.webhookUrl,
    secret: config.tickets.webhookSecret,
    pollIntervalMs: config.resilience.webhookPollMs,
    reconcileIntervalMs: config.tickets.webhookReconcileMs,
    fetch: createResilientFetch({ policy: policies.webhook }),
  };
}

function handoffDeps(
  config: AppConfig,
  inputs: BusinessInputs,
  supportChannels: SupportChannelStore,
): HandoffDeps {
  const { transcripts, knowledge, proactive } = inputs;
  return {
    transcriptTurns: config.support.transcriptTurns,
    recentTranscript: (conversationId, turns, member) =>
      recentTranscriptLines(transcripts, conversationId, turns, member),
    supportContact: (language) => findSupportContact(knowledge, language),
    notifier: new TeamsSupportNotifier(supportChannels, proactive),
  };
}

/** SUPPORT_CONVERSATION_ID + SUPPORT_SERVICE_URL as an address (a channel id contains `@thread`). */
function configuredSupportAddress(config: AppConfig): ConversationAddress | undefined {
  const { conversationId, serviceUrl } = config.support;
  if (!conversationId || !serviceUrl) return undefined;
  return {
    channelId: 'msteams',
    serviceUrl,
    conversationId,
    conversationType: conversationId.includes('@thread.tacv2')
      ? 'channel'
      : conversationId.includes('@thread')
        ? 'groupChat'
        : 'personal',
    ...(config.bot.tenantId ? { tenantId: config.bot.tenantId } : {}),
  };
}
