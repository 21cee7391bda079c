import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { AppConfig } from '../config';
import type { Encoder } from '../encoder';
import {
  createKnowledgeSearch,
  ensureSampleKnowledgeIndexed,
  GraphGroupDirectory,
  JsonGroupDirectory,
  knowledgeOptions,
  loadSensitivityLabels,
  type GroupDirectory,
  type KnowledgeSearch,
} from '../knowledge';
import { logger } from '../observability/logger';
import type { BotMetrics } from '../observability/metrics';
import { traceKnowledgeSearch } from '../observability/tracedKnowledgeSearch';
import { cacheKnowledgeAnswers } from '../planner/cachedKnowledgeAnswerer';
import { createKnowledgeAnswerer, type KnowledgeAnswerer } from '../planner/knowledgeAnswerer';
import { ResilientKnowledgeSearch, type DependencyPolicies } from '../resilience';
import type { CosmosStores } from '../storage';
import { closeAndThrow } from './stores';

export type ClosableAnswerer = KnowledgeAnswerer & { close(): Promise<void> };
export type SensitivityLabels = Awaited<ReturnType<typeof loadSensitivityLabels>>;

export interface Knowledge {
  knowledge: KnowledgeSearch;
  groups: GroupDirectory;
  answerer: ClosableAnswerer;
  sensitivityLabels: SensitivityLabels;
}

/** The knowledge search (traced, behind its breaker), the group directory and the cached answerer. */
export async function loadKnowledge(
  config: AppConfig,
  credential: TokenCredential | undefined,
  policies: DependencyPolicies,
  stores: CosmosStores,
  metrics: BotMetrics,
  /** The process's shared embedded encoder (src/composition/encoder.ts), if any. */
  embeddedEncoder?: Encoder,
): Promise<Omit<Knowledge, 'sensitivityLabels'>> {
  const options = { ...knowledgeOptions(config, credential), embeddedEncoder };
  const knowledge = new ResilientKnowledgeSearch(
    traceKnowledgeSearch(createKnowledgeSearch(options), config.search.mode),
    policies.search,
    config.search.mode === 'azure' ? 'azure-ai-search' : 'embedded',
  );
  if (config.search.mode === 'embedded')
    await indexSampleKnowledge(config.search.indexPath, config.knowledgeDir);
  const groups = groupDirectory(config, credential);
  // A malformed directory file (e.g. group names where object ids belong) stops start-up
  // instead of failing every knowledge turn.
  if (groups instanceof JsonGroupDirectory) await groups.groups().catch(closeAndThrow(stores));
  // Follow-ups (the embedded model keeps their topic in the conversation state) are outside the
  // cache: a cached answer is keyed with the question it leans on.
  const answerer = cacheKnowledgeAnswers(
    createKnowledgeAnswerer({ search: knowledge, groups, top: config.searchTopK }),
    config,
    { search: knowledge, groups, metrics },
  );
  return { knowledge, groups, answerer };
}

/** Sensitivity labels per group (knowledge metadata); a malformed file stops startup. */
export function loadLabels(config: AppConfig): Promise<SensitivityLabels> {
  return loadSensitivityLabels(config.knowledgeGroupsFile);
}

async function indexSampleKnowledge(indexPath: string, knowledgeDir: string): Promise<void> {
  const summary = await ensureSampleKnowledgeIndexed(indexPath, knowledgeDir).catch((err) => {
    logger.error({ err }, 'sample knowledge ingestion failed');
    return undefined;
  });
  if (summary) logger.info({ summary }, 'ingested the sample knowledge base');
}

function groupDirectory(config: AppConfig, credential: TokenCredential | undefined): GroupDirectory {
  return config.groups.mode === 'graph'
    ? new GraphGroupDirectory({
        credential: credential ?? new DefaultAzureCredential(),
        baseUrl: config.groups.baseUrl,
      })
    : new JsonGroupDirectory(config.groups.directoryFile);
}
