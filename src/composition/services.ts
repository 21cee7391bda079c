import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { AppConfig } from '../config';
import { createAdapter } from '../teams/adapter';
import { ProactiveMessenger } from '../teams/proactive';
import { ticketUpdateDeliverer } from '../teams/ticketUpdateDelivery';
import { TeamsSupportNotifier } from '../teams/supportNotifier';
import { SupportChannelStore } from '../notifications/supportChannelStore';
import type { ConversationAddress } from '../notifications/address';
import { recentTranscriptLines } from '../storage/recentTranscript';
import { findSupportContact } from '../knowledge/supportContact';
import { logger } from '../observability/logger';
import { getMetrics, observeEmbeddedCosmos, type BotMetrics } from '../observability/metrics';
import {
  createCosmosStores,
  InProcessConversationLease,
  InMemoryInboundActivityLog,
  SpooledTranscriptStore,
  loadOrCreateSharedSecret,
  type CosmosStores,
} from '../storage';
import {
  createKnowledgeSearch,
  ensureSampleKnowledgeIndexed,
  GraphGroupDirectory,
  JsonGroupDirectory,
  loadSensitivityLabels,
  type GroupDirectory,
  knowledgeOptions,
  type KnowledgeSearch,
} from '../knowledge';
import { createBusinessActions, type BusinessActions } from '../actions';
import { CosmosTicketRepository } from '../tickets/cosmosTicketRepository';
import { createKnowledgeAnswerer, withFollowUps, type KnowledgeAnswerer } from '../planner/knowledgeAnswerer';
import { cacheKnowledgeAnswers } from '../planner/cachedKnowledgeAnswerer';
import { traceKnowledgeSearch } from '../observability/tracedKnowledgeSearch';
import {
  CircuitAwareTranscriptStore,
  CircuitBreakingLease,
  CircuitBreakingStorage,
  createDependencyPolicies,
  createResilientFetch,
  ResilientKnowledgeSearch,
  type DependencyPolicies,
} from '../resilience';

type Adapter = ReturnType<typeof createAdapter>;
type TranscriptStore = SpooledTranscriptStore | CircuitAwareTranscriptStore;
type ClosableAnswerer = KnowledgeAnswerer & { close(): Promise<void> };
type SensitivityLabels = Awaited<ReturnType<typeof loadSensitivityLabels>>;

/** Everything a turn runs on, built from configuration before the Teams app exists. */
export interface BotServices {
  config: AppConfig;
  credential: TokenCredential | undefined;
  metrics: BotMetrics;
  /** Timeouts, retries with jitter and a circuit breaker per dependency (see src/resilience). */
  policies: DependencyPolicies;
  stores: CosmosStores;
  knowledge: KnowledgeSearch;
  groups: GroupDirectory;
  answerer: ClosableAnswerer;
  /** Where a turn's audit entries go: the local spool with a remote Cosmos, else Cosmos itself. */
  transcripts: TranscriptStore;
  spool: SpooledTranscriptStore | undefined;
  inbound: CosmosStores['inbound'] | InMemoryInboundActivityLog;
  adapter: Adapter;
  proactive: ProactiveMessenger;
  supportChannels: SupportChannelStore;
  cardSigningSecret: string;
  business: BusinessActions;
  /** Cosmos behind its breaker: a dead account answers at once with the storage apology. */
  storage: CircuitBreakingStorage;
  leases: InProcessConversationLease | CircuitBreakingLease;
  sensitivityLabels: SensitivityLabels;
}

/** Opens the stores, the knowledge search and the business services, in start-up order. */
export async function loadServices(
  config: AppConfig,
  credentialOption: TokenCredential | undefined,
): Promise<BotServices> {
  const credential =
    credentialOption ?? (needsEntraCredential(config) ? new DefaultAzureCredential() : undefined);
  const metrics = getMetrics();
  const policies = createDependencyPolicies(config.resilience, metrics);
  const stores = await openStores(config, credential);
  if (stores.embedded) observeEmbeddedCosmos(metrics, stores.embedded.operationCounts);
  const { knowledge, groups, answerer } = await loadKnowledge(config, credential, policies, stores, metrics);
  const { transcripts, spool } = await openTranscripts(config, policies, stores);
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
  const business = await createBusinessActions(
    businessOptions(config, {
      policies,
      stores,
      knowledge,
      transcripts,
      proactive,
      supportChannels,
      cardSigningSecret,
    }),
  );
  const storage = new CircuitBreakingStorage(stores.storage, policies.cosmos);
  // The embedded Cosmos server is reachable only from this process: an in-memory queue per
  // conversation serialises turns without two lease writes per turn. Shared Cosmos: the Cosmos lease.
  const leases = stores.embedded
    ? new InProcessConversationLease()
    : new CircuitBreakingLease(stores.leases, policies.cosmos);
  // Sensitivity labels per group (knowledge metadata); a malformed file stops startup here.
  const sensitivityLabels = await loadSensitivityLabels(config.knowledgeGroupsFile);
  return {
    config,
    credential,
    metrics,
    policies,
    stores,
    knowledge,
    groups,
    answerer,
    transcripts,
    spool,
    inbound,
    adapter,
    proactive,
    supportChannels,
    cardSigningSecret,
    business,
    storage,
    leases,
    sensitivityLabels,
  };
}

function openStores(config: AppConfig, credential: TokenCredential | undefined): Promise<CosmosStores> {
  return createCosmosStores({
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
      ? { enableEndpointDiscovery: config.resilience.cosmosEndpointDiscovery }
      : {}),
  });
}

async function loadKnowledge(
  config: AppConfig,
  credential: TokenCredential | undefined,
  policies: DependencyPolicies,
  stores: CosmosStores,
  metrics: BotMetrics,
): Promise<{ knowledge: KnowledgeSearch; groups: GroupDirectory; answerer: ClosableAnswerer }> {
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
  // Follow-ups outside the cache: a cached answer is keyed with the question it leans on.
  const answerer = withFollowUps(
    cacheKnowledgeAnswers(
      createKnowledgeAnswerer({ search: knowledge, groups, top: config.searchTopK }),
      config,
      { search: knowledge, groups, metrics },
    ),
  );
  return { knowledge, groups, answerer };
}

async function openTranscripts(
  config: AppConfig,
  policies: DependencyPolicies,
  stores: CosmosStores,
): Promise<{ transcripts: TranscriptStore; spool: SpooledTranscriptStore | undefined }> {
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
  return { transcripts: spool ?? cosmosTranscripts, spool };
}

function businessOptions(
  config: AppConfig,
  deps: Pick<
    BotServices,
    | 'policies'
    | 'stores'
    | 'knowledge'
    | 'transcripts'
    | 'proactive'
    | 'supportChannels'
    | 'cardSigningSecret'
  >,
): Parameters<typeof createBusinessActions>[0] {
  const { policies, stores, knowledge, transcripts, proactive, supportChannels } = deps;
  const resilience = config.resilience;
  return {
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
    tickets: new CosmosTicketRepository(stores.managed.tickets),
    returns: stores.containers.returns,
    returnWindowDays: config.returns.windowDays,
    returnsPolicyPath: config.returns.policyFile,
    knowledge,
    outbox: stores.containers.outbox,
    draftSecret: deps.cardSigningSecret,
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
    // Ticket updates reach the requester proactively; the dispatcher only sends after listen.
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
  };
}

/** Start-up failed after the stores were opened: close them (the embedded server's worker too), then rethrow. */
function closeAndThrow(stores: CosmosStores): (err: unknown) => Promise<never> {
  return async (err) => {
    await stores.close().catch(() => undefined);
    throw err;
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

function needsEntraCredential(config: AppConfig): boolean {
  return (
    (config.cosmos.mode === 'azure' && !config.cosmos.key) ||
    (config.llm.mode === 'azure' && !config.llm.apiKey) ||
    (config.search.mode === 'azure' && !config.search.apiKey) ||
    config.groups.mode === 'graph'
  );
}
