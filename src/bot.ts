import type { AddressInfo } from 'node:net';
import type { TurnContext } from 'botbuilder';
import type restify from 'restify';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { DataSource, PromptCompletionModel } from '@microsoft/teams-ai';
import type { AppConfig } from './config';
import { createServer } from './server';
import { Readiness } from './readiness';
import { createAdapter } from './teams/adapter';
import { ProactiveMessenger } from './teams/proactive';
import { ticketUpdateDeliverer } from './teams/ticketUpdateDelivery';
import { registerSupportChannelCommand } from './teams/supportCommand';
import { TeamsSupportNotifier } from './teams/supportNotifier';
import { SupportChannelStore } from './notifications/supportChannelStore';
import type { ConversationAddress } from './notifications/address';
import { recentTranscriptLines } from './storage/recentTranscript';
import { findSupportContact } from './knowledge/supportContact';
import { createTeamsApp, type BotTurnState } from './teams/app';
import { isAddressedToBot } from './teams/conversationGate';
import { sendFailureReply } from './teams/failureReply';
import { withTyping } from './teams/typing';
import { registerAiRoutes, TURN_SERVICES, type TurnServices } from './teams/aiRoutes';
import { registerFeedbackRoute } from './teams/feedbackRoute';
import { TurnTranscript } from './teams/transcriptRecorder';
import type { OrderService } from './orders/order';
import { registerMessageExtension } from './teams/messageExtension';
import { oncePerActivity } from './teams/inboundDedup';
import { deliverPrivately } from './teams/privateDelivery';
import { keepEntityPropertiesOnTheWire } from './teams/entitySerialization';
import { memberScoped } from './teams/audience';
import { logger, turnLogger } from './observability/logger';
import { getMetrics, observeEmbeddedCosmos } from './observability/metrics';
import { noteTurnIntent, setTurnOutcome } from './observability/turnOutcome';
import { createTurnRateLimiterFromConfig } from './security/rateLimiter';
import {
  createCosmosStores,
  InProcessConversationLease,
  InMemoryInboundActivityLog,
  SpooledTranscriptStore,
  loadOrCreateSharedSecret,
  LeaseTimeoutError,
  StorageUnavailableError,
  turnStateConversationKey,
  withConversationLease,
  type CosmosStores,
} from './storage';
import {
  createKnowledgeSearch,
  ensureSampleKnowledgeIndexed,
  GraphGroupDirectory,
  JsonGroupDirectory,
  loadSensitivityLabels,
  type GroupDirectory,
  knowledgeOptions,
  type KnowledgeSearch,
} from './knowledge';
import { createBusinessActions, type BusinessActions } from './actions';
import { createLanguageIntentModels } from './nlu/languageModels';
import { createPlanner } from './planner/planner';
import { createMemorySummarizer } from './planner/memorySummarizer';
import { EmbeddedIntentModel } from './planner/embeddedModel';
import { createKnowledgeAnswerer, type KnowledgeAnswerer } from './planner/knowledgeAnswerer';
import { createLlmModel } from './planner/llmModel';
import { describeTurnError } from './teams/describeError';
import { KnowledgeDataSource } from './planner/knowledgeDataSource';
import { ConversationStreamingModel, type StreamPredicate } from './planner/streaming';
import { streamsIn } from './teams/streaming';
import { appendTurn, normalizeMemory, renderMemory, MEMORY_STATE_PROPERTY } from './memory';
import { replies } from './replies';
import {
  CircuitAwareTranscriptStore,
  CircuitBreakingLease,
  CircuitBreakingModel,
  CircuitBreakingStorage,
  createDependencyPolicies,
  createResilientFetch,
  ResilientKnowledgeSearch,
  type DependencyPolicies,
  type ResilienceSettings,
} from './resilience';
import { TracedModel } from './planner/tracedModel';
import { traceKnowledgeSearch } from './observability/tracedKnowledgeSearch';
import { cacheKnowledgeAnswers } from './planner/cachedKnowledgeAnswerer';

export interface RunningBot {
  server: restify.Server;
  /** Base URL the server listens on, e.g. http://127.0.0.1:3978 */
  url: string;
  stores: CosmosStores;
  knowledge: KnowledgeSearch;
  business: BusinessActions;
  /** Sends messages outside a turn (ticket updates, handoff notices, answers in a new 1:1 chat). */
  proactive: ProactiveMessenger;
  /** Stops accepting requests, waits up to `drainMs` for in-flight turns, then flushes and closes. */
  close(drainMs?: number): Promise<void>;
}

export interface StartBotOptions {
  /**
   * The Entra identity for Cosmos, Azure OpenAI, Azure AI Search and Microsoft Graph when they run
   * without keys. Default: DefaultAzureCredential (managed identity in Azure).
   */
  credential?: TokenCredential;
}

/** Wires configuration into a listening bot server. Used by the process entry and by tests. */
export async function startBot(config: AppConfig, options: StartBotOptions = {}): Promise<RunningBot> {
  keepEntityPropertiesOnTheWire();
  const credential =
    options.credential ?? (needsEntraCredential(config) ? new DefaultAzureCredential() : undefined);
  const metrics = getMetrics();
  // Timeouts, retries with jitter and a circuit breaker per dependency (see src/resilience).
  const resilience = config.resilience;
  const policies = createDependencyPolicies(resilience, metrics);

  const stores = await createCosmosStores({
    endpoint: config.cosmos.endpoint,
    key: config.cosmos.key,
    database: config.cosmos.database,
    allowSelfSignedCert: config.cosmos.allowSelfSignedCert,
    createIfMissing: config.cosmos.createIfMissing,
    transcriptTtlDays: config.cosmos.transcriptTtlDays,
    credential,
    embeddedTls: false,
    embeddedDataDir: config.cosmos.embeddedDataDir,
    ...(config.cosmos.mode === 'azure'
      ? { enableEndpointDiscovery: resilience.cosmosEndpointDiscovery }
      : {}),
  });

  if (stores.embedded) observeEmbeddedCosmos(metrics, stores.embedded.operationCounts);

  const knowledge = new ResilientKnowledgeSearch(
    traceKnowledgeSearch(createKnowledgeSearch(knowledgeOptions(config, credential)), config.search.mode),
    policies.search,
    config.search.mode === 'azure' ? 'azure-ai-search' : 'embedded',
  );
  if (config.search.mode === 'embedded') {
    const summary = await ensureSampleKnowledgeIndexed(config.search.indexPath, config.knowledgeDir).catch(
      (err) => {
        logger.error({ err }, 'sample knowledge ingestion failed');
        return undefined;
      },
    );
    if (summary) logger.info({ summary }, 'ingested the sample knowledge base');
  }
  const groups: GroupDirectory =
    config.groups.mode === 'graph'
      ? new GraphGroupDirectory({
          credential: credential ?? new DefaultAzureCredential(),
          baseUrl: config.groups.baseUrl,
        })
      : new JsonGroupDirectory(config.groups.directoryFile);
  // A malformed directory file (e.g. group names where object ids belong) stops start-up
  // instead of failing every knowledge turn.
  if (groups instanceof JsonGroupDirectory) await groups.groups().catch(closeAndThrow(stores));
  const answerer = cacheKnowledgeAnswers(
    createKnowledgeAnswerer({ search: knowledge, groups, top: config.searchTopK }),
    config,
    { search: knowledge, groups, metrics },
  );

  const cosmosTranscripts = new CircuitAwareTranscriptStore(stores.transcripts, policies.cosmos);
  // A remote Cosmos can be down while a turn is answered: its audit entry waits in a local spool.
  // The embedded store lives in this process (it is never down while the bot answers).
  const spool = stores.embedded
    ? undefined
    : new SpooledTranscriptStore(cosmosTranscripts, {
        dir: config.cosmos.transcriptSpoolDir,
        drainIntervalMs: config.cosmos.transcriptSpoolDrainMs,
      });
  await spool?.start();
  const transcripts = spool ?? cosmosTranscripts;
  // Activities already handled (Teams redelivers on a slow answer): in memory with the embedded store.
  const inbound = stores.embedded ? new InMemoryInboundActivityLog() : stores.inbound;
  // The adapter first: request_human's notifier sends through it (proactive messages).
  const adapter = createAdapter(config);
  const proactive = new ProactiveMessenger(adapter, config.bot.id ?? '');
  const supportChannels = new SupportChannelStore(stores.containers.state, configuredSupportAddress(config));

  // Shared by every instance on this database, so a card drawn here can be confirmed elsewhere.
  const cardSigningSecret =
    config.tickets.cardSigningSecret ??
    (await loadOrCreateSharedSecret(stores.containers.state, 'card-signing'));
  const business = await createBusinessActions({
    orders:
      config.orders.mode === 'rest'
        ? {
            kind: 'rest',
            baseUrl: config.orders.url,
            token: config.orders.token,
            fetch: createResilientFetch({ policy: policies.orders }),
          }
        : {
            kind: 'cosmos',
            container: stores.containers.orders,
            seedSampleData: config.cosmos.mode === 'embedded',
          },
    tickets: stores.containers.tickets,
    returns: stores.containers.returns,
    returnWindowDays: config.returns.windowDays,
    returnsPolicyPath: config.returns.policyFile,
    knowledge,
    outbox: stores.containers.outbox,
    draftSecret: cardSigningSecret,
    webhook:
      config.tickets.webhookUrl && config.tickets.webhookSecret
        ? {
            url: config.tickets.webhookUrl,
            secret: config.tickets.webhookSecret,
            pollIntervalMs: resilience.webhookPollMs,
            reconcileIntervalMs: config.tickets.webhookReconcileMs,
            fetch: createResilientFetch({ policy: policies.webhook }),
          }
        : undefined,
    rbacPath: config.rbac.policyFile,
    supportAgentIds: config.rbac.supportAgentIds,
    // Ticket updates reach the requester proactively. `proactive` is created below with the
    // adapter; the dispatcher only sends after listen, by when it exists.
    notify: {
      deliver: (entry) => ticketUpdateDeliverer(proactive)(entry),
      pollIntervalMs: resilience.webhookPollMs,
    },
    inboundEventsSecret: config.tickets.webhookSecret,
    handoff: {
      transcriptTurns: config.support.transcriptTurns,
      recentTranscript: (conversationId, turns, member) =>
        recentTranscriptLines(transcripts, conversationId, turns, member),
      supportContact: () => findSupportContact(knowledge),
      notifier: new TeamsSupportNotifier(supportChannels, proactive),
    },
  });

  const model = new TracedModel(
    await createModel(config, answerer, credential, resilience, policies, business.orders),
    config.llm.mode,
  );
  const dataSources: DataSource[] = [
    new KnowledgeDataSource({
      search: knowledge,
      groupsOf: (id: string) => groups.groupsOf(id),
      top: config.searchTopK,
    }),
  ];
  const planner = createPlanner<BotTurnState>({
    model,
    dataSources,
    startStreamingMessage: replies.streamSearching,
  });
  // Memory summaries: the chat model when one is configured (extractive fallback built in), else extractive.
  const summarizer = createMemorySummarizer(config, policies.model, credential);
  // Cosmos behind its breaker: a dead account answers at once with the storage apology.
  const storage = new CircuitBreakingStorage(stores.storage, policies.cosmos);
  // The embedded Cosmos server is reachable only from this process: an in-memory queue per
  // conversation serialises turns without two lease writes per turn. Shared Cosmos: the Cosmos lease.
  const leases = stores.embedded
    ? new InProcessConversationLease()
    : new CircuitBreakingLease(stores.leases, policies.cosmos);

  // Sensitivity labels per group (knowledge metadata); a malformed file stops startup here.
  const sensitivityLabels = await loadSensitivityLabels(config.knowledgeGroupsFile);
  const app = createTeamsApp({
    adapter,
    storage,
    planner,
    sensitivityLabels,
    maxMessageChars: config.limits.maxMessageChars,
    commands: [registerSupportChannelCommand(business, supportChannels)],
    // Only a language model reads the rendered memory; the embedded model keeps its own slots.
    beforeAi: async (context, state) => {
      if (config.llm.mode === 'embedded') return;
      // Per member in shared conversations: B's prompt never holds what the bot told A.
      const memory = normalizeMemory(
        state.conversation[memberScoped(context.activity, MEMORY_STATE_PROPERTY)],
      );
      state.temp.memoryText = renderMemory(memory, config.memory.tokenBudget).text;
    },
    afterMessage: async (context, state, botReplies) => {
      const intent = String(state.temp.intent ?? (config.llm.mode === 'embedded' ? 'unknown' : 'llm'));
      metrics.intents.inc({ intent });
      noteTurnIntent(context, intent);
      const memoryProperty = memberScoped(context.activity, MEMORY_STATE_PROPERTY);
      let memory = normalizeMemory(state.conversation[memoryProperty]);
      const options = { windowTurns: config.memory.windowTurns };
      const at = new Date().toISOString();
      memory = await appendTurn(
        memory,
        { role: 'user', text: context.activity.text ?? '', at },
        options,
        summarizer,
      );
      if (botReplies.length) {
        memory = await appendTurn(
          memory,
          { role: 'assistant', text: botReplies.join('\n'), at },
          options,
          summarizer,
        );
      }
      state.conversation[memoryProperty] = memory;
    },
    describeError: describeTurnError,
  });
  registerAiRoutes(app, business, { sensitivityLabels });
  registerFeedbackRoute(app, stores.transcripts);
  registerMessageExtension(app, { business, knowledge, signingSecret: cardSigningSecret });

  const readiness = new Readiness();
  readiness.add({
    name: 'cosmos',
    mode: config.cosmos.mode,
    check: () => stores.health(),
    circuit: () => policies.cosmos.state(),
  });
  readiness.add({
    name: 'search',
    mode: config.search.mode,
    optional: true,
    check: async () => {
      const h = await knowledge.health();
      return { ok: h.ok, detail: h.detail };
    },
    circuit: () => policies.search.state(),
  });
  readiness.add({
    name: 'model',
    mode: config.llm.mode,
    optional: true,
    check: async () => circuitCheck(policies.model),
    ...(config.llm.mode === 'embedded' ? {} : { circuit: () => policies.model.state() }),
  });
  if (config.orders.mode === 'rest') {
    readiness.add({
      name: 'orders',
      mode: 'rest',
      optional: true,
      check: async () => circuitCheck(policies.orders),
      circuit: () => policies.orders.state(),
    });
  }
  if (business.dispatcher) {
    readiness.add({
      name: 'ticketWebhook',
      mode: 'webhook',
      optional: true,
      check: async () => circuitCheck(policies.webhook),
      circuit: () => policies.webhook.state(),
    });
  }

  const limiter = createTurnRateLimiterFromConfig(config);
  const inFlight = new Set<Promise<void>>();

  const runTurn = async (context: TurnContext) => {
    if (!isAddressedToBot(context.activity)) {
      setTurnOutcome(context, 'ignored');
      return;
    }
    const log = turnLogger(context.activity);
    const verdict = await limiter.consume(
      context.activity.from?.aadObjectId ?? context.activity.from?.id ?? 'anonymous',
      context.activity.conversation?.tenantId ?? 'no-tenant',
    );
    if (!verdict.allowed) {
      setTurnOutcome(context, 'rate_limited');
      metrics.rateLimited.inc({ scope: verdict.scope ?? 'user' });
      log.info({ scope: verdict.scope }, 'rate limited');
      await sendFailureReply(context, replies.rateLimited);
      return;
    }
    const transcript = new TurnTranscript(
      transcripts,
      context,
      config.llm.mode === 'embedded' ? 'embedded' : 'llm',
    );
    const aad = context.activity.from?.aadObjectId;
    const services: TurnServices = {
      transcript,
      groups: () => (aad ? groups.groupsOf(aad) : Promise.resolve([])),
      sendPrivately: async (message) => {
        const sent = await deliverPrivately(proactive, context, message);
        if (sent) transcript.sentElsewhere(message, sent.conversationId);
        return sent !== undefined;
      },
    };
    context.turnState.set(TURN_SERVICES, services);
    transcript.start();
    const a = context.activity;
    const key = turnStateConversationKey(
      a.channelId ?? 'msteams',
      a.recipient?.id ?? 'bot',
      a.conversation?.id ?? 'unknown',
    );
    const flushTranscript = () =>
      transcript.flush().catch(() => {
        metrics.dependencyErrors.inc({ dependency: 'cosmos_transcript' });
      });
    try {
      // One turn of a conversation at a time across every instance: no lost state updates. Inside
      // the lease, a redelivered activity (Teams retry) finds the first delivery's marker.
      await withTyping(context, () =>
        withConversationLease(
          leases,
          key,
          async () => {
            const verdict = await oncePerActivity(inbound, context, async () => {
              await app.run(context);
              // Durable (in the local spool) before the activity counts as handled; sent to Cosmos
              // after the lease is released (finally below), so the lease is not held for it.
              await transcript.persist().catch(() => undefined);
            });
            if (verdict === 'duplicate') {
              transcript.discard();
              setTurnOutcome(context, 'duplicate');
            }
          },
          LEASE_OPTIONS,
        ),
      );
    } catch (err) {
      if (err instanceof StorageUnavailableError || err instanceof LeaseTimeoutError) {
        // Failed Cosmos calls are counted by the cosmos policy; the turn's transcript (with the
        // apology) goes to the local spool and reaches Cosmos once it is back.
        log.warn({ err: err.message }, 'conversation store unavailable; apologised');
        await sendFailureReply(context, replies.storageUnavailable);
        return;
      }
      throw err;
    } finally {
      await flushTranscript();
    }
  };

  // Graceful shutdown waits for these (up to a deadline) after the server stops accepting.
  const onTurn = async (context: TurnContext) => {
    const turn = runTurn(context);
    inFlight.add(turn);
    try {
      await turn;
    } finally {
      inFlight.delete(turn);
    }
  };

  const server = createServer({
    adapter,
    onTurn,
    readiness,
    maxBodyBytes: config.limits.maxBodyBytes,
    metrics,
    metricsToken: config.observability.metricsToken,
    ticketEvents: business.ticketEvents,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address}:${address.port}`;
  business.dispatcher?.start();
  business.notifier?.start();
  logger.info({ url }, 'bot listening');

  return {
    server,
    url,
    stores,
    knowledge,
    business,
    proactive,
    close: async (drainMs = 10_000) => {
      // Stop accepting, let in-flight turns finish (bounded), then flush the outbox and stores.
      const deadline = Date.now() + drainMs;
      const http = server.server;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      http.closeIdleConnections();
      const drained = await Promise.race([
        Promise.allSettled([...inFlight]).then(() => true),
        delay(drainMs).then(() => false),
      ]);
      if (!drained)
        logger.warn({ inFlight: inFlight.size }, 'shutdown: turns still running after the drain deadline');
      // A finished turn still has to write its HTTP answer: close connections as they go idle,
      // and cut the rest only at the deadline.
      const idle = setInterval(() => http.closeIdleConnections(), 25);
      await Promise.race([closed, delay(Math.max(100, deadline - Date.now()))]);
      clearInterval(idle);
      http.closeAllConnections();
      await closed;
      if (business.dispatcher) {
        // One last delivery pass for tickets created during the drain; whatever is left stays in
        // the durable outbox and is sent by the next instance (its claim expires after 60 s).
        const left = Math.max(1000, deadline - Date.now());
        await Promise.race([business.dispatcher.flush().catch(() => undefined), delay(left)]);
        await business.dispatcher.stop();
      }
      if (business.notifier) {
        // Same for ticket-update messages: a last pass, the rest stays queued for the next instance.
        const left = Math.max(1000, deadline - Date.now());
        await Promise.race([business.notifier.flush().catch(() => undefined), delay(left)]);
        await business.notifier.stop();
      }
      await limiter.close();
      await answerer.close();
      await knowledge.close();
      await spool?.close();
      await stores.close();
    },
  };
}

/** Start-up failed after the stores were opened: close them (the embedded server's worker too), then rethrow. */
function closeAndThrow(stores: CosmosStores): (err: unknown) => Promise<never> {
  return async (err) => {
    await stores.close().catch(() => undefined);
    throw err;
  };
}

async function createModel(
  config: AppConfig,
  answerer: KnowledgeAnswerer,
  credential: TokenCredential | undefined,
  resilience: ResilienceSettings,
  policies: DependencyPolicies,
  orders: OrderService,
): Promise<PromptCompletionModel> {
  // Answers stream only in Teams 1:1 chats (and only with STREAMING on).
  const stream: StreamPredicate = (context) => config.streaming && streamsIn(context.activity);
  if (config.llm.mode === 'embedded') {
    // "the one with the monitor" is resolved against the requester's own orders only.
    const ownOrders = (aadObjectId: string) => orders.listForOwner(aadObjectId);
    return new EmbeddedIntentModel(await createLanguageIntentModels(), answerer, { stream, ownOrders });
  }
  const options = { credential, requestTimeoutMs: resilience.llmTimeoutMs };
  const llm = new ConversationStreamingModel(
    createLlmModel(config.llm, { ...options, stream: true }),
    createLlmModel(config.llm, options),
    stream,
  );
  return new CircuitBreakingModel(llm, policies.model);
}

/** Readiness of a dependency known only through its breaker: ok unless the circuit refuses calls. */
function circuitCheck(policy: DependencyPolicies[keyof DependencyPolicies]): {
  ok: boolean;
  detail?: string;
} {
  return policy.isOpen() ? { ok: false, detail: 'circuit open after repeated failures' } : { ok: true };
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

function needsEntraCredential(config: AppConfig): boolean {
  return (
    (config.cosmos.mode === 'azure' && !config.cosmos.key) ||
    (config.llm.mode === 'azure' && !config.llm.apiKey) ||
    (config.search.mode === 'azure' && !config.search.apiKey) ||
    config.groups.mode === 'graph'
  );
}

/**
 * A turn holds its conversation's lease for at most 10 s without renewal (renewed every ttl/3
 * while it runs), so a crashed instance blocks its conversations briefly; a waiting turn gives up
 * after 8 s and apologises, inside Teams' 15 s window.
 */
const LEASE_OPTIONS = { ttlMs: 10_000, waitMs: 8_000 };

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
