import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { KnowledgeSearch } from './types';

/**
 * Storage and keys for cached knowledge answers (the wrapper that uses them is
 * src/planner/cachedKnowledgeAnswerer.ts). Redis when `REDIS_URL` is set (shared by every
 * instance), an LRU in memory otherwise.
 *
 * The key is a SHA-256 over the normalised question, the audience, the asker's sorted groups and
 * the index version: two people with different groups never share an entry, and a re-ingest
 * (new version) makes every old entry unreachable (left to expire by TTL). Neither the question
 * nor a group id is readable in Redis.
 */
export interface AnswerCacheStore {
  readonly backend: 'memory' | 'redis';
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  close(): Promise<void>;
}

export class MemoryAnswerStore implements AnswerCacheStore {
  readonly backend = 'memory' as const;
  private readonly entries: LRUCache<string, string>;

  constructor(maxEntries: number) {
    this.entries = new LRUCache({ max: maxEntries });
  }
  async get(key: string): Promise<string | undefined> {
    return this.entries.get(key);
  }
  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.entries.set(key, value, { ttl: ttlSeconds * 1000 });
  }
  async close(): Promise<void> {
    this.entries.clear();
  }
}

export class RedisAnswerStore implements AnswerCacheStore {
  readonly backend = 'redis' as const;

  /** `owned`: this store disconnects the client on close. */
  constructor(
    private readonly client: Redis,
    private readonly owned = true,
  ) {}
  async get(key: string): Promise<string | undefined> {
    return (await this.client.get(key)) ?? undefined;
  }
  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.client.set(key, value, 'EX', ttlSeconds);
  }
  async close(): Promise<void> {
    if (this.owned) this.client.disconnect();
  }
}

/** Case, width, whitespace and trailing punctuation do not make a different question. */
export function normaliseQuestion(question: string): string {
  return question
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s?!.。？！]+$/u, '');
}

export function answerCacheKey(parts: {
  question: string;
  audience: string;
  groups: readonly string[];
  indexVersion: string;
  /** The question a follow-up leans on (its answer depends on it); absent keys are as before. */
  previousQuestion?: string;
}): string {
  const material = JSON.stringify([
    normaliseQuestion(parts.question),
    parts.audience,
    [...new Set(parts.groups)].sort(),
    parts.indexVersion,
    ...(parts.previousQuestion ? [normaliseQuestion(parts.previousQuestion)] : []),
  ]);
  return `answer:v1:${createHash('sha256').update(material).digest('hex')}`;
}

/**
 * The index version: a hash of every indexed source with its content hash and chunk count, so
 * any ingest that adds, changes or removes a document changes it (also one done by another
 * process: the embedded index reloads its file, Azure AI Search is queried). Recomputed at most
 * every `checkIntervalMs` (0: on every call), since listing sources of a large Azure index is
 * paged; a re-ingest reaches the cache within that interval.
 */
export class IndexVersion {
  private cached?: { version: string; at: number };
  private pending?: Promise<string>;

  constructor(
    private readonly search: Pick<KnowledgeSearch, 'listSources'>,
    private readonly checkIntervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async current(): Promise<string> {
    if (this.cached && this.now() - this.cached.at < this.checkIntervalMs) return this.cached.version;
    this.pending ??= this.compute().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async compute(): Promise<string> {
    const sources = await this.search.listSources();
    const hash = createHash('sha256');
    for (const s of [...sources].sort((a, b) => a.source.localeCompare(b.source)))
      hash.update(`${s.source}\u0000${s.contentHash}\u0000${s.chunks}\n`);
    const version = hash.digest('hex').slice(0, 16);
    this.cached = { version, at: this.now() };
    return version;
  }
}
