import type { Encoder } from './types';

export interface CachingEncoderOptions {
  /** Texts kept (least recently used goes first). Default 500. */
  maxEntries?: number;
  /** Calls with more texts than this (bulk: indexing, training) bypass the cache. Default 4. */
  maxTextsPerCachedCall?: number;
}

/**
 * One encoder shared by the intent model and the knowledge search, with a small LRU cache keyed by
 * the text: a turn's message is encoded once although the intent model and the knowledge query
 * (and a shared chat's second search) all ask for it. Concurrent requests for the same text share
 * one encoding. Bulk calls (many texts) go straight to the inner encoder and are not cached, so
 * indexing cannot evict the messages of turns in flight. Name and dimensions are the inner
 * encoder's: vectors stored by the index stay valid.
 */
export class CachingEncoder implements Encoder {
  readonly name: string;
  readonly dimensions: number;
  private readonly cache = new Map<string, Promise<number[]>>();
  private readonly maxEntries: number;
  private readonly maxTexts: number;
  /** Inner encodings made for cached calls (one per distinct text not in the cache). */
  misses = 0;
  hits = 0;

  constructor(
    readonly inner: Encoder,
    options: CachingEncoderOptions = {},
  ) {
    this.name = inner.name;
    this.dimensions = inner.dimensions;
    this.maxEntries = Math.max(1, options.maxEntries ?? 500);
    this.maxTexts = options.maxTextsPerCachedCall ?? 4;
  }

  encode(texts: string[]): Promise<number[][]> {
    if (texts.length > this.maxTexts) return this.inner.encode(texts);
    return Promise.all(texts.map((text) => this.one(text)));
  }

  private one(text: string): Promise<number[]> {
    const cached = this.cache.get(text);
    if (cached) {
      this.hits++;
      // Most recently used last.
      this.cache.delete(text);
      this.cache.set(text, cached);
      return cached;
    }
    this.misses++;
    const encoded = this.inner.encode([text]).then(([vector]) => {
      if (!vector) throw new Error('the encoder returned no vector');
      return vector;
    });
    // A failure is not remembered: the next turn asks the encoder again.
    encoded.catch(() => {
      if (this.cache.get(text) === encoded) this.cache.delete(text);
    });
    this.cache.set(text, encoded);
    while (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    return encoded;
  }

  async close(): Promise<void> {
    this.cache.clear();
    await this.inner.close?.();
  }
}
