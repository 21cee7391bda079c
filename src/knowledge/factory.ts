import { DEFAULT_PATHS } from '../defaultPaths';
import { resolve } from 'node:path';
import { CachingEncoder } from '../encoder/cachingEncoder';
import { EmbeddedSentenceEncoder } from '../encoder/embeddedEncoder';
import type { Encoder } from '../encoder/types';
import { logger } from '../observability/logger';
import { AzureOpenAIEmbedder, type AzureOpenAIEmbedderOptions } from './azureOpenAIEmbedder';
import { AzureKnowledgeSearch, type AzureKnowledgeSearchOptions } from './azureSearch';
import { DEFAULT_INDEX_PATH, EmbeddedKnowledgeSearch, indexFileIsCurrent } from './embeddedSearch';
import { ingestFolder, sourceOf, type IngestSummary } from './ingest';
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
  /**
   * The embedded sentence encoder instance for `encoder: 'embedded'` (the bot passes the one it shares
   * with the intent model, src/composition/encoder.ts). Default: a new EmbeddedSentenceEncoder.
   */
  embeddedEncoder?: Encoder;
  /**
   * With the embedded encoder: also fuse a cosine ranking into retrieval (true), or keep BM25's
   * ranking and use the vectors only to re-rank sentences in the answer (default DENSE_RETRIEVAL).
   */
  denseRetrieval?: boolean;
}

/** Whether the embedded encoder's dense leg is fused into retrieval by default (chosen on DEV). */
export const DENSE_RETRIEVAL = false;

/**
 * Cosine below which a dense hit of the embedded sentence encoder is not fused: USE-lite gives
 * unrelated text about 0.1–0.3 (gibberish up to 0.3), related 0.45–0.6, so junk never rides the dense leg into the answer.
 */
export const EMBEDDED_MIN_SIMILARITY = 0.35;

/** Azure AI Search when configured, otherwise the embedded index; both implement KnowledgeSearch. */
export function createKnowledgeSearch(opts: KnowledgeOptions = {}): KnowledgeSearch {
  const embedder = opts.embeddings ? new AzureOpenAIEmbedder(opts.embeddings) : undefined;
  if (opts.azure?.endpoint) return new AzureKnowledgeSearch({ ...opts.azure, embedder });
  const embedded = !embedder && opts.encoder === 'embedded';
  // Query encodings are cached by CachingEncoder (a shared chat searches one question twice); the
  // bot passes its shared one, which the intent model reads too.
  const inner = embedder ?? (embedded ? (opts.embeddedEncoder ?? new EmbeddedSentenceEncoder()) : undefined);
  const encoder: Encoder | undefined =
    inner && !(inner instanceof CachingEncoder) ? new CachingEncoder(inner) : inner;
  return new EmbeddedKnowledgeSearch({
    indexPath: opts.indexPath ?? DEFAULT_INDEX_PATH,
    encoder,
    ...(embedded
      ? {
          minSimilarity: EMBEDDED_MIN_SIMILARITY,
          denseRetrieval: opts.denseRetrieval ?? DENSE_RETRIEVAL,
          // A sentence encoder: BM25's candidates re-ranked by their best sentence (SciFact tune).
          hybrid: 'sentences' as const,
        }
      : {}),
  });
}

export const SAMPLE_KNOWLEDGE_DIR = DEFAULT_PATHS.knowledgeDir;

/**
 * First-start convenience for `npm run dev`: ingests data/knowledge into the embedded index when the
 * index file does not exist yet. An existing index that holds the sample is brought up to date
 * incrementally (unchanged files are skipped by hash), so a sample changed by an upgrade (e.g. its
 * documents' groups moving from names to object ids) does not linger in `.data/`. Returns the
 * summary, or undefined when nothing was written.
 */
export async function ensureSampleKnowledgeIndexed(
  indexPath: string = DEFAULT_INDEX_PATH,
  folder: string = SAMPLE_KNOWLEDGE_DIR,
): Promise<IngestSummary | undefined> {
  const file = resolve(indexPath);
  // An index written by an older analyzer is read as empty (it would not match today's query
  // terms): it is rebuilt like a missing one.
  const exists = await indexFileIsCurrent(file);
  const sourceRoot = resolve(folder, '..', '..');
  const search = new EmbeddedKnowledgeSearch({ indexPath: file });
  try {
    if (exists) {
      const prefix = `${sourceOf(resolve(folder), sourceRoot)}/`;
      const sources = await search.listSources();
      // Someone else's index at this path (npm run ingest of other documents): leave it alone.
      if (!sources.some((s) => s.source.startsWith(prefix))) return undefined;
    }
    const summary = await ingestFolder(folder, search, { sourceRoot });
    if (exists && !summary.added.length && !summary.updated.length) return undefined;
    logger.info(
      {
        indexPath: file,
        files: summary.added.length,
        updated: summary.updated.length,
        chunks: summary.chunksWritten,
        failed: summary.failed.length,
      },
      exists ? 'sample knowledge base re-indexed (changed files)' : 'sample knowledge base indexed',
    );
    return summary;
  } finally {
    await search.close();
  }
}
