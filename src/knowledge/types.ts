import { AppError } from '../errors';
/**
 * Knowledge seam: interfaces first. Both search backends (Azure AI Search, embedded MiniSearch index)
 * implement `KnowledgeSearch` with the same group-filter semantics; the conformance suite in
 * test/knowledge/conformance.ts is the contract.
 */

/** The group every user belongs to; a chunk tagged with it is visible to all. */
export const EVERYONE = 'everyone';

/** One indexed piece of a document, as produced by the chunker. */
export interface KnowledgeChunk {
  /** Stable id: hash of source + chunk ordinal (URL/key safe: [A-Za-z0-9_-]). */
  id: string;
  content: string;
  /** Document title (front matter, first heading, PDF metadata or file name). */
  title: string;
  /** Headings above the chunk, outermost first, e.g. ['Returns', 'Refund timing']. */
  headingPath: string[];
  /** Source identity: path relative to the ingest root's parent (posix), e.g. data/knowledge/shipping.md. */
  source: string;
  /** Public URL of the document when the author gave one (front matter or sidecar `url`). */
  url?: string;
  /** 1-based page number (PDF only). */
  page?: number;
  /** Access groups; [EVERYONE] unless restricted. */
  groups: string[];
  /** Language of the document (`en`, `zh-CN`); absent in indexes written before languages existed = en. */
  language?: string;
  /** sha256 of the source file's bytes + ingest settings; drives incremental re-ingest. */
  contentHash: string;
  /** Position of the chunk within its source (0-based). */
  ordinal: number;
  /** Optional embedding; backends that do vector search fill or use it. */
  vector?: number[];
}

/**
 * Sentence vectors for the answer step's re-ranker: the query's vector (the one the dense leg of the
 * search computed, never a second encoding) and one unit-length vector per answer unit of the chunk
 * (answerUnits.ts `unitsOf`, keyed by the unit's text), computed at ingest time by the encoder.
 */
export interface SentenceVectors {
  query: Float32Array;
  units: ReadonlyMap<string, Float32Array>;
}

/** A chunk as search returns it: its text and provenance (no hash, ordinal or vector) and a score. */
export type KnowledgeHit = Pick<
  KnowledgeChunk,
  'id' | 'content' | 'title' | 'headingPath' | 'source' | 'url' | 'page' | 'groups' | 'language'
> & {
  /** Backend relevance score; higher is better. Not comparable across backends. */
  score: number;
  /**
   * Present when the embedded index has an encoder and every unit of this chunk is encoded; absent
   * otherwise (BM25 only, Azure AI Search, vectors still being computed): the answer is then lexical.
   */
  sentenceVectors?: SentenceVectors;
};

export interface SearchOptions {
  /** The user's groups (EVERYONE is always added). */
  groups: string[];
  /** Maximum number of hits (default 5). */
  top?: number;
  /**
   * The asker's language: among the hits, documents in it come first (a Chinese question prefers
   * the Chinese version of a policy); others stay, after them, for when no version in it exists.
   */
  language?: string;
  /**
   * The text whose vector the encoder computes for this query (the question as asked, before the
   * synonym expansion the lexical query carries); default: the query.
   */
  semanticQuery?: string;
}

/** What is indexed for one source file (used for incremental ingest). */
export interface IndexedSource {
  source: string;
  contentHash: string;
  chunks: number;
}

export interface KnowledgeHealth {
  ok: boolean;
  backend: 'azure-ai-search' | 'embedded';
  /** Number of chunks in the index when known. */
  chunks?: number;
  detail?: string;
}

export interface KnowledgeSearch {
  search(query: string, opts: SearchOptions): Promise<KnowledgeHit[]>;
  /** Inserts or replaces chunks by id. */
  upsert(chunks: KnowledgeChunk[]): Promise<void>;
  /** Removes every chunk of a source; returns how many were removed. */
  deleteBySource(source: string): Promise<number>;
  /** Lists indexed sources with their content hash. */
  listSources(): Promise<IndexedSource[]>;
  health(): Promise<KnowledgeHealth>;
  /** Releases timers/handles; persists pending writes (embedded). */
  close(): Promise<void>;
}

/** Turns texts into embedding vectors (Azure OpenAI in production). */
export interface Embedder {
  readonly dimensions: number;
  embed(texts: string[]): Promise<number[][]>;
}

/** Resolves a user's access groups (always including EVERYONE). */
export interface GroupDirectory {
  groupsOf(aadObjectId: string): Promise<string[]>;
}

/** Thrown by a backend that cannot be reached or fails; the bot says "the knowledge base is unavailable". */
export class KnowledgeUnavailableError extends AppError {
  readonly backend: string;
  constructor(backend: string, message: string, options?: { cause?: unknown }) {
    super('KNOWLEDGE_UNAVAILABLE', `Knowledge base (${backend}) is unavailable: ${message}`, options);
    this.backend = backend;
  }
}

/** Thrown for invalid input to the knowledge module (bad query, bad options, bad documents). */
export class KnowledgeInputError extends AppError {
  constructor(message: string) {
    super('KNOWLEDGE_INPUT', message);
  }
}
