import { DEFAULT_PATHS } from '../defaultPaths';
import { resolve } from 'node:path';
import { EmbeddedSentenceEncoder } from '../encoder/embeddedEncoder';
import type { Encoder } from '../encoder/types';
import { logger } from '../observability/logger';
import { AzureOpenAIEmbedder, type AzureOpenAIEmbedderOptions } from './azureOpenAIEmbedder';
import { AzureKnowledgeSearch, type AzureKnowledgeSearchOptions } from './azureSearch';
import { DEFAULT_INDEX_PATH, EmbeddedKnowledgeSearch, indexFileIsCurrent } from './embeddedSearch';
import { ingestFolder, type IngestSummary } from './ingest';
import type { KnowledgeSearch } from './types';

export interface KnowledgeOptions {
  /** Azure AI Search settings; when absent (no AZURE_SEARCH_ENDPOINT) the embedded index is used. */
  azure?: Omit<AzureKnowledgeSearchOptions, 'embedder'>;
  /** Azure OpenAI embeddings (AZURE_OPENAI_EMBEDDING_DEPLOYMENT); enables vector/hybrid search. */
  embeddings?: AzureOpenAIEmbedderOptions;
  /** Embedded index file (default .data/knowledge-index.json). */
  indexPath?: string;
  /**
   * Dense leg of the embedded index when `embeddings` is absent: the embedded sentence encoder,
   * or none (BM25 only; the default until the encoder's first-turn cost is fixed). KNOWLEDGE_ENCODER.
   */
  encoder?: 'embedded' | 'none';
}

/**
 * Cosine below which a dense hit of the embedded sentence encoder is not fused: USE-lite gives
 * unrelated text about 0.1–0.3 (gibberish up to 0.3), related 0.45–0.6, so junk never rides the dense leg into the answer.
 */
export const EMBEDDED_MIN_SIMILARITY = 0.35;

/** Azure AI Search when configured, otherwise the embedded index; both implement KnowledgeSearch. */
export function createKnowledgeSearch(opts: KnowledgeOptions = {}): KnowledgeSearch {
  const embedder = opts.embeddings ? new AzureOpenAIEmbedder(opts.embeddings) : undefined;
  if (opts.azure?.endpoint) return new AzureKnowledgeSearch({ ...opts.azure, embedder });
  const encoder: Encoder | undefined =
    embedder ?? (opts.encoder === 'embedded' ? new EmbeddedSentenceEncoder() : undefined);
  return new EmbeddedKnowledgeSearch({
    indexPath: opts.indexPath ?? DEFAULT_INDEX_PATH,
    encoder,
    ...(encoder instanceof EmbeddedSentenceEncoder ? { minSimilarity: EMBEDDED_MIN_SIMILARITY } : {}),
  });
}

export const SAMPLE_KNOWLEDGE_DIR = DEFAULT_PATHS.knowledgeDir;

/**
 * First-start convenience for `npm run dev`: ingests data/knowledge into the embedded index when the
 * index file does not exist yet. Returns the summary, or undefined when nothing was done.
 */
export async function ensureSampleKnowledgeIndexed(
  indexPath: string = DEFAULT_INDEX_PATH,
  folder: string = SAMPLE_KNOWLEDGE_DIR,
): Promise<IngestSummary | undefined> {
  const file = resolve(indexPath);
  // Missing, or written by an older analyzer (it would not match today's query terms): ingest again.
  if (await indexFileIsCurrent(file)) return undefined;
  const search = new EmbeddedKnowledgeSearch({ indexPath: file });
  try {
    const summary = await ingestFolder(folder, search, { sourceRoot: resolve(folder, '..', '..') });
    logger.info(
      {
        indexPath: file,
        files: summary.added.length,
        chunks: summary.chunksWritten,
        failed: summary.failed.length,
      },
      'sample knowledge base indexed',
    );
    return summary;
  } finally {
    await search.close();
  }
}
