import { DEFAULT_PATHS } from '../defaultPaths';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Encoder } from '../encoder/types';
import { unitVector } from '../encoder/unitVector';
import { logger } from '../observability/logger';
import { isVisibleTo, userGroups } from './groups';
import { SYNONYM_VOCABULARY } from './queryExpansion';
import { MIN_CORRECTED_LENGTH, WordVocabulary } from './spelling';
import { analyzeTerm } from './textAnalysis';
import { TextIndex, type TextIndexOptions } from './textIndex';
import {
  KnowledgeInputError,
  KnowledgeUnavailableError,
  type Embedder,
  type IndexedSource,
  type KnowledgeChunk,
  type KnowledgeHealth,
  type KnowledgeHit,
  type KnowledgeSearch,
  type SearchOptions,
  type SentenceVectors,
} from './types';
import { validateChunks, validateQuery } from './validation';
import { preferLanguage } from './preferLanguage';
import { unitsOf } from './answerUnits';
import { DENSE_RERANK, denseRerank, dot } from './denseRerank';

export const DEFAULT_INDEX_PATH = DEFAULT_PATHS.knowledgeIndex;
// 2: Chinese segmentation (ANALYZER_VERSION 2) and chunk languages. An older file is read as empty
// (with a warning) so the next ingest, or the sample ingest at start, rebuilds it.
const FILE_VERSION = 2;
/** Reciprocal-rank-fusion constant (the value Azure AI Search uses for hybrid queries). */
const RRF_K = 60;

export interface EmbeddedSearchOptions {
  /** Index file shared by `npm run ingest` and the bot; null keeps the index in memory only. */
  indexPath?: string | null;
  /**
   * When given, chunks are encoded (only those whose text or encoder changed) and queries are hybrid
   * (see `hybrid`). Vectors live in `<indexPath>.vectors.json`.
   */
  encoder?: Encoder;
  /** An `Embedder` (Azure AI Search seam) used as the encoder; `encoder` wins when both are given. */
  embedder?: Embedder;
  /** With `hybrid: 'rrf'`: dense hits below this cosine similarity are dropped (default 0: keep all). */
  minSimilarity?: number;
  /** A query whose encoding takes longer (model still loading, CPU starved) is answered by BM25 alone (default 1500 ms). */
  queryEncodeTimeoutMs?: number;
  /** How often a query may check the index file for a re-ingest by another process (default 1000 ms). */
  fileCheckIntervalMs?: number;
  /**
   * false: the ranking stays BM25 and the encoder only re-ranks sentences in the answer step (hits
   * carry `sentenceVectors`); true (default): BM25 and cosine rankings are fused as well.
   */
  denseRetrieval?: boolean;
  /**
   * How the dense leg joins the ranking (with `denseRetrieval` on): 'rrf' (default) fuses BM25's top
   * 50 with a cosine scan of whole-chunk vectors by reciprocal rank (k = 60); 'sentences' re-ranks
   * BM25's top `DENSE_RERANK.candidates` by their best sentence's cosine, fused with BM25 by a convex
   * combination (denseRerank.ts; chosen for the embedded sentence encoder on BEIR SciFact tune).
   */
  hybrid?: 'rrf' | 'sentences';
}

const FIELDS = ['title', 'headings', 'content'] as const;
type Field = (typeof FIELDS)[number];
const INDEX_OPTIONS: TextIndexOptions<Field> = {
  fields: FIELDS,
  storeFields: ['groups'],
  boost: { title: 2, headings: 1.5, content: 1 },
};

interface IndexFile {
  version: number;
  chunks: KnowledgeChunk[];
  index: unknown;
}

const VECTOR_FILE_VERSION = 1;
interface VectorFile {
  version: number;
  encoder: string;
  dimensions: number;
  /** key (sha256 of encoder name + encoded text) -> base64 of the unit-length Float32 vector */
  vectors: Record<string, string>;
}

/** Texts encoded per worker call: small, so a query waits behind at most one batch of background encoding. */
const ENCODE_BATCH = 8;

/** Query vectors kept for reuse (a shared conversation searches one question twice). */
/** The text the encoder sees for a query: the question as asked when the caller gave it. */
function semanticText(semanticQuery: string | undefined, query: string): string {
  const text = typeof semanticQuery === 'string' ? semanticQuery.trim().slice(0, 2000) : '';
  return text || query;
}

/** One text to encode: a chunk (its encodedText) or an answer unit of it, under its cache key. */
interface ToEncode {
  key: string;
  text: string;
}

/** What the dense leg sees of a chunk: its title and headings give short chunks their topic. */
function encodedText(c: KnowledgeChunk): string {
  return [c.title, c.headingPath.join(' / '), c.content].filter(Boolean).join('\n');
}

function embedderAsEncoder(e: Embedder): Encoder {
  return { name: `embedder:${e.dimensions}`, dimensions: e.dimensions, encode: (t) => e.embed(t) };
}

function toHit(c: KnowledgeChunk, score: number): KnowledgeHit {
  return {
    id: c.id,
    content: c.content,
    title: c.title,
    headingPath: c.headingPath,
    source: c.source,
    ...(c.url ? { url: c.url } : {}),
    ...(c.page !== undefined ? { page: c.page } : {}),
    groups: c.groups,
    language: c.language ?? 'en',
    score,
  };
}

/** Whether the index file at `path` exists and was written by this version (no rebuild needed). */
export async function indexFileIsCurrent(path: string): Promise<boolean> {
  try {
    const head = (await readFile(path, 'utf8')).slice(0, 64);
    return new RegExp(`^\\{\\s*"version"\\s*:\\s*${FILE_VERSION}\\b`).test(head);
  } catch {
    return false;
  }
}

/** In-process search over MiniSearch (BM25, Lucene-like analyzer), persisted to one JSON file. */
export class EmbeddedKnowledgeSearch implements KnowledgeSearch {
  private chunks = new Map<string, KnowledgeChunk>();
  /** Words of the indexed text, for reading misspelt query words; rebuilt after any change. */
  private words: WordVocabulary | undefined;
  /** Corrections already computed against `words` (cleared with it). */
  private readonly corrections = new Map<string, string>();
  private text = TextIndex.create(INDEX_OPTIONS);
  private loaded: Promise<void> | undefined;
  private loadedMtimeMs = 0;
  private dirty = false;
  private readonly path: string | null;
  private readonly encoder: Encoder | undefined;
  /** Vector cache by key (encoder + text hash): unchanged chunks are never re-encoded. */
  private vectors = new Map<string, Float32Array>();
  private readonly keyOf = new Map<string, string>();
  /** Per chunk id: its answer units' texts and vector keys (the re-ranker's sentence vectors). */
  private readonly unitKeysOf = new Map<string, ToEncode[]>();
  private vectorsDirty = false;
  private syncing: Promise<void> | undefined;
  /** The last queries' vectors (insertion order = age). */

  constructor(private readonly opts: EmbeddedSearchOptions = {}) {
    this.path = opts.indexPath === null ? null : resolve(opts.indexPath ?? DEFAULT_INDEX_PATH);
    this.encoder = opts.encoder ?? (opts.embedder ? embedderAsEncoder(opts.embedder) : undefined);
  }

  private get vectorPath(): string | null {
    return this.path ? `${this.path}.vectors.json` : null;
  }

  private vectorKey(c: KnowledgeChunk): string {
    const cached = this.keyOf.get(c.id);
    if (cached) return cached;
    const key = createHash('sha256')
      .update(this.encoder!.name)
      .update('\0')
      .update(encodedText(c))
      .digest('base64url');
    this.keyOf.set(c.id, key);
    return key;
  }

  /** The chunk's answer units with their vector keys: sha256(encoder name, "unit", unit text). */
  private unitKeys(c: KnowledgeChunk): ToEncode[] {
    const cached = this.unitKeysOf.get(c.id);
    if (cached) return cached;
    const seen = new Set<string>();
    const units = unitsOf(c.content)
      .map((u) => u.text)
      .filter((text) => !seen.has(text) && seen.add(text))
      .map((text) => ({
        text,
        key: createHash('sha256')
          .update(this.encoder!.name)
          .update('\0unit\0')
          .update(text)
          .digest('base64url'),
      }));
    this.unitKeysOf.set(c.id, units);
    return units;
  }

  /** Texts without a cached vector: chunks first (the dense leg), then their units (the re-ranker). */
  private missingTexts(): ToEncode[] {
    const out = new Map<string, ToEncode>();
    const chunks = [...this.chunks.values()];
    for (const c of chunks) {
      const key = this.vectorKey(c);
      if (!this.vectors.has(key)) out.set(key, { key, text: encodedText(c) });
    }
    for (const c of chunks) for (const u of this.unitKeys(c)) if (!this.vectors.has(u.key)) out.set(u.key, u);
    return [...out.values()];
  }

  private hasSentenceVectors(id: string): boolean {
    return this.unitKeys(this.chunks.get(id)!).every((u) => this.vectors.has(u.key));
  }

  /** The re-ranker's vectors of a hit: only when every unit of the chunk is encoded. */
  private sentenceVectorsOf(c: KnowledgeChunk, query: Float32Array): SentenceVectors | undefined {
    const units = new Map<string, Float32Array>();
    for (const u of this.unitKeys(c)) {
      const v = this.vectors.get(u.key);
      if (!v) return undefined;
      units.set(u.text, v);
    }
    return { query, units };
  }

  /**
   * What the sentence re-ranker compares a query with: the chunk's vector (title + headings + text,
   * the chunk's topic) and each answer unit's; those not encoded yet are left out.
   */
  private rerankVectorsOf(c: KnowledgeChunk): Float32Array[] | undefined {
    const out: Float32Array[] = [];
    const whole = this.vectors.get(this.vectorKey(c));
    if (whole) out.push(whole);
    for (const u of this.unitKeys(c)) {
      const v = this.vectors.get(u.key);
      if (v) out.push(v);
    }
    return out.length ? out : undefined;
  }

  private async loadVectors(): Promise<void> {
    if (!this.encoder || !this.vectorPath) return;
    let file: VectorFile;
    try {
      file = JSON.parse(await readFile(this.vectorPath, 'utf8')) as VectorFile;
    } catch {
      return; // missing or unreadable: vectors are recomputed
    }
    if (file.version !== VECTOR_FILE_VERSION || file.encoder !== this.encoder.name) return;
    for (const [key, b64] of Object.entries(file.vectors ?? {})) {
      const buf = Buffer.from(b64, 'base64');
      const v = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
      if (v.length === this.encoder.dimensions) this.vectors.set(key, v);
    }
  }

  private syncInBackground(): void {
    this.ensureVectors().catch((err: unknown) =>
      logger.warn({ err: (err as Error).message }, 'encoding knowledge chunks failed'),
    );
  }

  /** Encodes every chunk that has no cached vector (one at a time; concurrent callers share it). */
  private ensureVectors(): Promise<void> {
    if (!this.encoder) return Promise.resolve();
    if (this.syncing) return this.syncing;
    const run = async () => {
      for (;;) {
        const batch = this.missingTexts().slice(0, ENCODE_BATCH);
        if (!batch.length) return;
        const out = await this.encoder!.encode(batch.map((t) => t.text));
        batch.forEach((t, i) => this.vectors.set(t.key, unitVector(out[i]!)));
        this.vectorsDirty = true;
      }
    };
    const p = run().finally(() => {
      if (this.syncing === p) this.syncing = undefined;
    });
    this.syncing = p;
    return this.syncing;
  }

  private async load(): Promise<void> {
    if (!this.path) return;
    let raw: string;
    try {
      const s = await stat(this.path);
      raw = await readFile(this.path, 'utf8');
      this.loadedMtimeMs = s.mtimeMs;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new KnowledgeUnavailableError('embedded', `cannot read ${this.path}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    try {
      const file = JSON.parse(raw) as IndexFile;
      if (typeof file.version === 'number' && file.version < FILE_VERSION) {
        logger.warn(
          { indexPath: this.path, version: file.version },
          'knowledge index written by an older analyzer: starting empty; re-ingest to fill it',
        );
        return;
      }
      if (file.version !== FILE_VERSION || !Array.isArray(file.chunks))
        throw new Error(`unsupported index file version ${file.version}`);
      this.text = TextIndex.fromJSON(JSON.stringify(file.index), INDEX_OPTIONS);
      this.chunks = new Map(file.chunks.map((c) => [c.id, c]));
      this.words = undefined;
      this.corrections.clear();
      this.keyOf.clear();
      this.unitKeysOf.clear();
    } catch (err) {
      throw new KnowledgeUnavailableError(
        'embedded',
        `index file ${this.path} is corrupt: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }

  private lastFileCheck = 0;

  private async ready(): Promise<void> {
    this.loaded ??= Promise.all([this.load(), this.loadVectors()]).then(() => undefined);
    try {
      await this.loaded;
    } catch (err) {
      this.loaded = undefined; // retry on the next call
      throw err;
    }
    // Pick up a re-ingest done by another process (`npm run ingest` while the bot runs); checking
    // the file at most once a second keeps a stat call off every query.
    if (
      this.path &&
      !this.dirty &&
      Date.now() - this.lastFileCheck >= (this.opts.fileCheckIntervalMs ?? 1000)
    ) {
      this.lastFileCheck = Date.now();
      const s = await stat(this.path).catch(() => undefined);
      if (s && s.mtimeMs !== this.loadedMtimeMs) {
        this.loaded = this.load();
        await this.loaded;
      }
    }
  }

  async search(query: string, opts: SearchOptions): Promise<KnowledgeHit[]> {
    return preferLanguage(await this.ranked(query, opts), opts.language);
  }

  private async ranked(query: string, opts: SearchOptions): Promise<KnowledgeHit[]> {
    const q = validateQuery(query, opts);
    await this.ready();
    const groups = userGroups(opts.groups);
    const visible = (stored: Record<string, unknown>) => isVisibleTo(stored.groups as string[], groups);
    const sentences = this.opts.hybrid === 'sentences' && this.opts.denseRetrieval !== false;
    const bm25 = this.text.search(
      this.correctSpelling(q.query),
      !this.encoder ? q.top : Math.max(sentences ? DENSE_RERANK.candidates : 50, q.top),
      visible,
    );
    if (!this.encoder) {
      return bm25.map((r) => toHit(this.chunks.get(r.id)!, r.score));
    }
    // Hybrid: the same group filter on both legs, fused by reciprocal rank. Chunks not encoded yet
    // (an index written without an encoder) are encoded in the background, never on a query's time;
    // until then, and whenever the encoder fails, the query is answered by BM25 alone.
    this.syncInBackground();
    const top = bm25.slice(0, q.top);
    // Re-ranking only: until the hits' sentences are encoded the answer is lexical, so the query
    // is not encoded either (a first turn never waits for the model to load).
    if (this.opts.denseRetrieval === false && !top.some((r) => this.hasSentenceVectors(r.id)))
      return top.map((r) => toHit(this.chunks.get(r.id)!, r.score));
    const qv = await this.queryVector(semanticText(opts.semanticQuery, q.query));
    if (!qv) return top.map((r) => toHit(this.chunks.get(r.id)!, r.score));
    const withVectors = (id: string, score: number): KnowledgeHit => {
      const c = this.chunks.get(id)!;
      const sentenceVectors = this.sentenceVectorsOf(c, qv);
      return { ...toHit(c, score), ...(sentenceVectors ? { sentenceVectors } : {}) };
    };
    if (this.opts.denseRetrieval === false) return top.map((r) => withVectors(r.id, r.score));
    if (sentences)
      return denseRerank(bm25, qv, (id) => this.rerankVectorsOf(this.chunks.get(id)!), DENSE_RERANK)
        .slice(0, q.top)
        .map((r) => withVectors(r.id, r.score));
    const min = this.opts.minSimilarity ?? 0;
    const vectorRanked: { id: string; score: number }[] = [];
    for (const c of this.chunks.values()) {
      if (!isVisibleTo(c.groups, groups)) continue;
      const v = this.vectors.get(this.vectorKey(c));
      if (!v) continue;
      const score = dot(qv, v);
      if (score >= min) vectorRanked.push({ id: c.id, score });
    }
    vectorRanked.sort((a, b) => b.score - a.score);
    vectorRanked.length = Math.min(vectorRanked.length, Math.max(50, q.top));
    const fused = new Map<string, number>();
    for (const list of [bm25, vectorRanked]) {
      list.forEach((r, rank) => fused.set(r.id, (fused.get(r.id) ?? 0) + 1 / (RRF_K + rank + 1)));
    }
    return [...fused.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, q.top)
      .map(([id, score]) => withVectors(id, score));
  }

  /**
   * The query's unit vector (the encoder caches repeats: CachingEncoder, see factory.ts); undefined when the encoder fails or is slower than
   * `queryEncodeTimeoutMs` (model still loading, CPU starved): the query is then answered lexically.
   */
  private async queryVector(text: string): Promise<Float32Array | undefined> {
    try {
      let timer: NodeJS.Timeout | undefined;
      const timeoutMs = this.opts.queryEncodeTimeoutMs ?? 1500;
      const [raw] = await Promise.race([
        this.encoder!.encode([text]),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`query encoding took over ${timeoutMs} ms`)), timeoutMs);
        }),
      ]).finally(() => clearTimeout(timer));
      return unitVector(raw!);
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'query encoding failed; BM25 only');
      return undefined;
    }
  }

  /**
   * "retrun a jaket" → "return a jacket": a word whose analysed term the index does not have is
   * replaced by the closest word of the indexed text (spelling.ts), when there is one close enough.
   */
  private correctSpelling(query: string): string {
    if (!this.words) {
      this.words = new WordVocabulary();
      for (const c of this.chunks.values())
        this.words.add(`${c.title} ${c.headingPath.join(' ')} ${c.content}`);
      this.words.add(SYNONYM_VOCABULARY);
    }
    const words = this.words;
    return query.replace(/[A-Za-z]+/g, (word) => {
      const term = analyzeTerm(word);
      if (!term || word.length < MIN_CORRECTED_LENGTH || this.text.documentFrequency(term) > 0) return word;
      const key = word.toLowerCase();
      let fixed = this.corrections.get(key);
      if (fixed === undefined) {
        fixed = words.correct(word) ?? word;
        if (this.corrections.size >= 5000) this.corrections.clear();
        this.corrections.set(key, fixed);
      }
      return fixed;
    });
  }

  async upsert(input: KnowledgeChunk[]): Promise<void> {
    const chunks = validateChunks(input);
    await this.ready();
    for (const input of chunks) {
      // Vectors live in the vector cache, not in the index file.
      const { vector, ...c } = input;
      this.keyOf.delete(c.id);
      this.unitKeysOf.delete(c.id);
      if (this.encoder && vector?.length === this.encoder.dimensions && !this.vectors.has(this.vectorKey(c)))
        this.vectors.set(this.vectorKey(c), unitVector(vector));
      this.chunks.set(c.id, c);
      this.words = undefined;
      this.corrections.clear();
      this.text.put({
        id: c.id,
        title: c.title,
        headings: c.headingPath.join(' / '),
        content: c.content,
        groups: c.groups,
      });
    }
    this.dirty = true;
    await this.ensureVectors();
  }

  async deleteBySource(source: string): Promise<number> {
    if (typeof source !== 'string' || !source)
      throw new KnowledgeInputError('source must be a non-empty string');
    await this.ready();
    let n = 0;
    for (const c of [...this.chunks.values()]) {
      if (c.source !== source) continue;
      this.chunks.delete(c.id);
      this.words = undefined;
      this.corrections.clear();
      this.keyOf.delete(c.id);
      this.unitKeysOf.delete(c.id);
      this.text.remove(c.id);
      n++;
    }
    if (n) this.dirty = true;
    return n;
  }

  async listSources(): Promise<IndexedSource[]> {
    await this.ready();
    const bySource = new Map<string, IndexedSource>();
    for (const c of this.chunks.values()) {
      const s = bySource.get(c.source) ?? { source: c.source, contentHash: c.contentHash, chunks: 0 };
      s.chunks++;
      bySource.set(c.source, s);
    }
    return [...bySource.values()].sort((a, b) => a.source.localeCompare(b.source));
  }

  async health(): Promise<KnowledgeHealth> {
    try {
      await this.ready();
      return { ok: true, backend: 'embedded', chunks: this.chunks.size, detail: this.path ?? 'in memory' };
    } catch (err) {
      return { ok: false, backend: 'embedded', detail: (err as Error).message };
    }
  }

  /** Writes the index file (atomically: temp file + rename) if anything changed. */
  async flush(): Promise<void> {
    await this.flushVectors();
    if (!this.path || !this.dirty) return;
    const file: IndexFile = {
      version: FILE_VERSION,
      chunks: [...this.chunks.values()],
      index: this.text.toJSON(),
    };
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(file));
    await rename(tmp, this.path);
    this.loadedMtimeMs = (await stat(this.path)).mtimeMs;
    this.dirty = false;
  }

  /** Writes the vectors of the chunks now indexed (stale ones are dropped) if any was computed. */
  private async flushVectors(): Promise<void> {
    const path = this.vectorPath;
    if (!this.encoder || !path || !(this.vectorsDirty || this.dirty)) return;
    if (this.syncing) await this.syncing.catch(() => undefined);
    const vectors: Record<string, string> = {};
    const keep = (key: string) => {
      const v = this.vectors.get(key);
      if (v) vectors[key] = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
    };
    for (const c of this.chunks.values()) {
      keep(this.vectorKey(c));
      for (const u of this.unitKeys(c)) keep(u.key);
    }
    const file: VectorFile = {
      version: VECTOR_FILE_VERSION,
      encoder: this.encoder.name,
      dimensions: this.encoder.dimensions,
      vectors,
    };
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(file));
    await rename(tmp, path);
    this.vectorsDirty = false;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.encoder?.close?.();
  }
}
