import type { TokenCredential } from '@azure/core-auth';
import type { AppConfig } from '../config';
import type { KnowledgeOptions } from './factory';

/**
 * Knowledge search options from the one parsed configuration (src/config.ts), for the bot and for
 * `npm run ingest` alike, so a variable means the same to both. Without an API key the Azure services
 * use `credential` (managed identity in Azure).
 */
export function knowledgeOptions(config: AppConfig, credential?: TokenCredential): KnowledgeOptions {
  const options: KnowledgeOptions = {};
  if (config.search.mode === 'embedded') {
    options.indexPath = config.search.indexPath;
    if (config.search.encoder !== 'azure') options.encoder = config.search.encoder;
  } else {
    options.azure = {
      endpoint: config.search.endpoint,
      indexName: config.search.index,
      semantic: config.search.semantic,
      ...(config.search.apiKey ? { apiKey: config.search.apiKey } : { credential }),
      // Retries (with jitter) and the timeout are the search policy's; the SDK must not add its own.
      maxRetries: 0,
    };
  }
  if (config.llm.mode === 'azure' && config.embeddingDeployment) {
    options.embeddings = {
      endpoint: config.llm.endpoint,
      deployment: config.embeddingDeployment,
      dimensions: config.embeddingDimensions,
      // A query's embedding runs inside the search policy's attempts (timeout, retries): one layer.
      maxRetries: 0,
      ...(config.llm.apiKey ? { apiKey: config.llm.apiKey } : { credential }),
    };
  }
  return options;
}
