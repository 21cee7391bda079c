import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { AppConfig } from '../config';
import { getMetrics, observeEmbeddedCosmos, type BotMetrics } from '../observability/metrics';
import { createDependencyPolicies, type DependencyPolicies } from '../resilience';
import type { CosmosStores } from '../storage';
import { createAdapter } from '../teams/adapter';
import { ProactiveMessenger } from '../teams/proactive';
import { openBusiness, type Business } from './business';
import type { Encoder } from '../encoder';
import { createLanguageIntentModels, type LanguageIntentModels } from '../nlu/languageModels';
import { createSharedEncoder } from './encoder';
import { loadKnowledge, loadLabels, type Knowledge } from './knowledge';
import { openConversationStores, openStores, type ConversationStores } from './stores';

/** Everything a turn runs on, built from configuration before the Teams app exists. */
export interface BotServices extends Knowledge, ConversationStores, Business {
  config: AppConfig;
  credential: TokenCredential | undefined;
  metrics: BotMetrics;
  /** Timeouts, retries with jitter and a circuit breaker per dependency (see src/resilience). */
  policies: DependencyPolicies;
  stores: CosmosStores;
  adapter: ReturnType<typeof createAdapter>;
  /** Sends messages outside a turn (ticket updates, handoff notices, answers in a new 1:1 chat). */
  proactive: ProactiveMessenger;
  /** The embedded sentence encoder (ENCODER=embedded), shared by the intent model and the index. */
  encoder?: Encoder;
  /** The embedded intent models (LLM_MODE=embedded only). */
  intents?: LanguageIntentModels;
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
  if (stores.embedded) observeEmbeddedCosmos(metrics, stores.embedded);
  const encoder = createSharedEncoder(config);
  const knowledge = await loadKnowledge(config, credential, policies, stores, metrics, encoder);
  const conversation = await openConversationStores(config, policies, stores);
  // The adapter first: request_human's notifier sends through it (proactive messages).
  const adapter = createAdapter(config);
  const proactive = new ProactiveMessenger(adapter, config.bot.id ?? '');
  const business = await openBusiness(config, {
    policies,
    stores,
    knowledge: knowledge.knowledge,
    transcripts: conversation.transcripts,
    proactive,
  });
  const sensitivityLabels = await loadLabels(config);
  // English with sentence vectors trains in the background; the n-gram model serves until then.
  const intents = config.llm.mode === 'embedded' ? await createLanguageIntentModels({ encoder }) : undefined;
  return {
    config,
    credential,
    metrics,
    policies,
    stores,
    ...knowledge,
    ...conversation,
    adapter,
    proactive,
    ...business,
    sensitivityLabels,
    encoder,
    intents,
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
