import type restify from 'restify';
import type { TokenCredential } from '@azure/identity';
import type { AppConfig } from './config';
import { createServer } from './server';
import type { ProactiveMessenger } from './teams/proactive';
import { registerSupportChannelCommand } from './teams/supportCommand';
import { createTeamsApp } from './teams/app';
import { registerAiRoutes } from './teams/aiRoutes';
import { registerFeedbackRoute } from './teams/feedbackRoute';
import { registerMessageExtension } from './teams/messageExtension';
import { keepEntityPropertiesOnTheWire } from './teams/entitySerialization';
import { describeTurnError } from './teams/describeError';
import { createTurnRateLimiterFromConfig } from './security/rateLimiter';
import type { CosmosStores } from './storage';
import type { KnowledgeSearch } from './knowledge';
import type { BusinessActions } from './actions';
import { loadServices, type BotServices } from './composition/services';
import { createBotPlanner } from './composition/model';
import { createMemoryHooks } from './composition/memoryPolicy';
import { createBotReadiness } from './composition/readiness';
import { createTurnPipeline } from './teams/pipeline';
import { createShutdown, listen } from './composition/lifecycle';

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

/**
 * Wires configuration into a listening bot server. Used by the process entry and by tests.
 * Top to bottom: services → Teams app → routes → the turn pipeline → listen (src/composition).
 */
export async function startBot(config: AppConfig, options: StartBotOptions = {}): Promise<RunningBot> {
  keepEntityPropertiesOnTheWire();
  const services = await loadServices(config, options.credential);
  const app = await buildApp(services);
  const limiter = createTurnRateLimiterFromConfig(config);
  const pipeline = createTurnPipeline(
    {
      metrics: services.metrics,
      limiter,
      transcripts: services.transcripts,
      modelPath: config.llm.mode === 'embedded' ? 'embedded' : 'llm',
      leases: services.leases,
      inbound: services.inbound,
      groups: services.groups,
      proactive: services.proactive,
    },
    (context) => app.run(context),
  );
  const server = createServer({
    adapter: services.adapter,
    onTurn: pipeline.onTurn,
    readiness: createBotReadiness(services),
    maxBodyBytes: config.limits.maxBodyBytes,
    metrics: services.metrics,
    metricsToken: config.observability.metricsToken,
    ticketEvents: services.business.ticketEvents,
  });
  const url = await listen(server, config, services);
  const { stores, knowledge, business, proactive } = services;
  return {
    server,
    url,
    stores,
    knowledge,
    business,
    proactive,
    close: createShutdown(server, services, pipeline.inFlight, limiter),
  };
}

/** The teams-ai Application with its planner, memory hooks and routes. */
async function buildApp(services: BotServices): Promise<ReturnType<typeof createTeamsApp>> {
  const { config, business, knowledge, sensitivityLabels } = services;
  const planner = await createBotPlanner(services);
  const app = createTeamsApp({
    adapter: services.adapter,
    storage: services.storage,
    planner,
    sensitivityLabels,
    maxMessageChars: config.limits.maxMessageChars,
    commands: [registerSupportChannelCommand(business, services.supportChannels)],
    ...createMemoryHooks(services),
    describeError: describeTurnError,
  });
  registerAiRoutes(app, business, { sensitivityLabels });
  registerFeedbackRoute(app, services.stores.transcripts);
  registerMessageExtension(app, { business, knowledge, signingSecret: services.cardSigningSecret });
  return app;
}
