import type restify from 'restify';
import type { TokenCredential } from '@azure/identity';
import type { AppConfig } from '../config';
import type { BusinessActions } from '../actions';
import type { KnowledgeSearch } from '../knowledge';
import { createTurnRateLimiterFromConfig } from '../security/rateLimiter';
import { createServer } from '../server';
import type { CosmosStores } from '../storage';
import { createTeamsApp } from '../teams/app';
import { registerAiRoutes } from '../teams/aiRoutes';
import { describeTurnError } from '../teams/describeError';
import { keepEntityPropertiesOnTheWire } from '../teams/entitySerialization';
import { registerFeedbackRoute } from '../teams/feedbackRoute';
import { registerMessageExtension } from '../teams/messageExtension';
import { createTurnPipeline } from '../teams/pipeline';
import type { ProactiveMessenger } from '../teams/proactive';
import { registerSupportChannelCommand } from '../teams/supportCommand';
import { createShutdown, listen } from './lifecycle';
import { createBotPlanner, createMemoryHooks } from './model';
import { createBotReadiness } from './readiness';
import { loadServices, type BotServices } from './services';

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
 * The one composition root: configuration → a listening bot server. Top to bottom: services
 * (stores, knowledge, business) → the Teams app and its routes → the turn pipeline → listen.
 */
export async function composeBot(config: AppConfig, options: StartBotOptions = {}): Promise<RunningBot> {
  keepEntityPropertiesOnTheWire();
  const services = await loadServices(config, options.credential);
  const app = await buildApp(services);
  const limiter = createTurnRateLimiterFromConfig(config);
  const pipeline = createTurnPipeline(
    { ...services, limiter, modelPath: config.llm.mode === 'embedded' ? 'embedded' : 'llm' },
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
  const close = createShutdown(server, services, pipeline.inFlight, limiter);
  return { server, url, stores, knowledge, business, proactive, close };
}

/** The teams-ai Application with its planner, memory hooks and routes. */
async function buildApp(services: BotServices): Promise<ReturnType<typeof createTeamsApp>> {
  const { config, business, knowledge, sensitivityLabels } = services;
  const app = createTeamsApp({
    adapter: services.adapter,
    storage: services.storage,
    planner: await createBotPlanner(services),
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
