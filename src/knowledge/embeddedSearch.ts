import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isVisibleTo, userGroups } from './groups';
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
} from './types';
import { validateChunks, validateQuery } from './validation';

export const DEFAULT_INDEX_PATH = '.data/knowledge-index.json';
const FILE_VERSION = 1;
/** Reciprocal-rank-fusion constant (the value Azure AI Search uses for hybrid queries). */
const RRF_K = 60;

export interface EmbeddedSearchOptions {
  /** Index file shared by `npm run ingest` and the bot; null keeps the index in memory only. */
  indexPath?: string | null;
  /** When given, chunks are embedded on upsert and queries are hybrid (BM25 + cosine, fused by RRF). */
  embedder?: Embedder;
  /** How often a query may check the index file for a re-ingest by another process (default 1000 ms). */
  fileCheckIntervalMs?: number;
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

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length && i < b.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
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
    score,
  };
}

/** In-process search over MiniSearch (BM25, Lucene-like analyzer), persisted to one JSON file. */
export class EmbeddedKnowledgeSearch implements KnowledgeSearch {
  private chunks = new Map<string, KnowledgeChunk>();
  private text = TextIndex.create(INDEX_OPTIONS);
  private loaded: Promise<void> | undefined;
  private loadedMtimeMs = 0;
  private dirty = false;
  private readonly path: string | null;

  constructor(private readonly opts: EmbeddedSearchOptions = {}) {
    this.path = opts.indexPath === null ? null : resolve(opts.indexPath ?? DEFAULT_INDEX_PATH);
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
      if (file.version !== FILE_VERSION || !Array.isArray(file.chunks))
        throw new Error(`unsupported index file version ${file.version}`);
      this.text = TextIndex.fromJSON(JSON.stringify(file.index), INDEX_OPTIONS);
      this.chunks = new Map(file.chunks.map((c) => [c.id, c]));
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
    this.loaded ??= this.load();
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
    const q = validateQuery(query, opts);
    await this.ready();
    const groups = userGroups(opts.groups);
    const visible = (stored: Record<string, unknown>) => isVisibleTo(stored.groups as string[], groups);
    const bm25 = this.text.search(q.query, this.opts.embedder ? Math.max(50, q.top) : q.top, visible);
    if (!this.opts.embedder) {
      return bm25.map((r) => toHit(this.chunks.get(r.id)!, r.score));
    }
    // Hybrid: fuse BM25 and vector rankings by reciprocal rank.
    const [qv] = await this.opts.embedder.embed([q.query]);
    const vectorRanked = [...this.chunks.values()]
      .filter((c) => c.vector && isVisibleTo(c.groups, groups))
      .map((c) => ({ id: c.id, score: cosine(qv!, c.vector!) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, Math.max(50, q.top));
    const fused = new Map<string, number>();
    for (const list of [bm25, vectorRanked]) {
      list.forEach((r, rank) => fused.set(r.id, (fused.get(r.id) ?? 0) + 1 / (RRF_K + rank + 1)));
    }
    return [...fused.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, q.top)
      .map(([id, score]) => toHit(this.chunks.get(id)!, score));
  }

  async upsert(input: KnowledgeChunk[]): Promise<void> {
    const chunks = validateChunks(input);
    await this.ready();
    if (this.opts.embedder) {
      const missing = chunks.filter((c) => !c.vector);
      const vectors = missing.length ? await this.opts.embedder.embed(missing.map((c) => c.content)) : [];
      missing.forEach((c, i) => (c.vector = vectors[i]));
    }
    for (const c of chunks) {
      this.chunks.set(c.id, c);
      this.text.put({
        id: c.id,
        title: c.title,
        headings: c.headingPath.join(' / '),
        content: c.content,
        groups: c.groups,
      });
    }
    this.dirty = true;
  }

  async deleteBySource(source: string): Promise<number> {
    if (typeof source !== 'string' || !source)
      throw new KnowledgeInputError('source must be a non-empty string');
    await this.ready();
    let n = 0;
    for (const c of [...this.chunks.values()]) {
      if (c.source !== source) continue;
      this.chunks.delete(c.id);
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

  async close(): Promise<void> {
    await this.flush();
  }
}
