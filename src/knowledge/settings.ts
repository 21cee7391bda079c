import type { KnowledgeOptions } from './factory';

/**
 * Reads the knowledge settings from environment variables (used by scripts/ingest.ts; the bot's
 * config.ts may call it or build KnowledgeOptions itself):
 * AZURE_SEARCH_ENDPOINT, AZURE_SEARCH_INDEX, AZURE_SEARCH_KEY, AZURE_SEARCH_SEMANTIC,
 * AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_EMBEDDING_DEPLOYMENT, AZURE_OPENAI_EMBEDDING_DIMENSIONS,
 * AZURE_OPENAI_API_KEY, KNOWLEDGE_INDEX_PATH, KNOWLEDGE_ENCODER (embedded | none).
 */
export function knowledgeOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): KnowledgeOptions {
  const opts: KnowledgeOptions = {};
  if (env.KNOWLEDGE_INDEX_PATH) opts.indexPath = env.KNOWLEDGE_INDEX_PATH;
  if (env.KNOWLEDGE_ENCODER) {
    if (env.KNOWLEDGE_ENCODER !== 'embedded' && env.KNOWLEDGE_ENCODER !== 'none')
      throw new Error(`KNOWLEDGE_ENCODER must be embedded or none, got ${env.KNOWLEDGE_ENCODER}`);
    opts.encoder = env.KNOWLEDGE_ENCODER;
  }
  if (env.AZURE_SEARCH_ENDPOINT) {
    opts.azure = {
      endpoint: env.AZURE_SEARCH_ENDPOINT,
      ...(env.AZURE_SEARCH_INDEX ? { indexName: env.AZURE_SEARCH_INDEX } : {}),
      ...(env.AZURE_SEARCH_KEY ? { apiKey: env.AZURE_SEARCH_KEY } : {}),
      semantic: env.AZURE_SEARCH_SEMANTIC === 'true',
    };
  }
  if (env.AZURE_OPENAI_ENDPOINT && env.AZURE_OPENAI_EMBEDDING_DEPLOYMENT) {
    const dimensions = Number(env.AZURE_OPENAI_EMBEDDING_DIMENSIONS ?? 1536);
    if (!Number.isInteger(dimensions) || dimensions < 1) {
      throw new Error(
        `AZURE_OPENAI_EMBEDDING_DIMENSIONS must be a positive integer, got ${env.AZURE_OPENAI_EMBEDDING_DIMENSIONS}`,
      );
    }
    opts.embeddings = {
      endpoint: env.AZURE_OPENAI_ENDPOINT,
      deployment: env.AZURE_OPENAI_EMBEDDING_DEPLOYMENT,
      dimensions,
      ...(env.AZURE_OPENAI_API_KEY ? { apiKey: env.AZURE_OPENAI_API_KEY } : {}),
    };
  }
  return opts;
}
