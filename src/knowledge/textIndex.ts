import MiniSearch, { type Options as MiniSearchOptions } from 'minisearch';
import { tokenizeWords } from '../text/words';
import { analyzeTerm } from './textAnalysis';

/**
 * The embedded full-text engine: MiniSearch with a Lucene-like English analyzer and plain BM25
 * (MiniSearch's BM25+ `d` set to 0). Shared by the embedded backend and bench/retrieval.ts so the
 * benchmark measures exactly what the bot runs.
 */

export interface Bm25Params {
  /** Term-frequency saturation (Lucene default 1.2; Anserini's tuned BEIR value 0.9). */
  k1: number;
  /** Length normalization (Lucene default 0.75; Anserini's tuned BEIR value 0.4). */
  b: number;
}

export const DEFAULT_BM25: Bm25Params = { k1: 0.9, b: 0.4 };

export interface TextIndexOptions<F extends string> {
  /** Indexed text fields. */
  fields: readonly F[];
  /** Fields returned with each result. */
  storeFields?: readonly string[];
  /** Per-field score boosts (default 1). */
  boost?: Partial<Record<F, number>>;
  bm25?: Bm25Params;
  /**
   * MiniSearch multiplies a document's score by how many distinct query terms it matched (a
   * coordination factor Lucene does not have). Off by default to score like Lucene BM25.
   */
  coordination?: boolean;
  /**
   * Common-term cutoff (the idea behind Lucene's CommonTermsQuery / Elasticsearch's
   * `cutoff_frequency`): once the index holds at least `minDocuments` documents, query terms found
   * in more than `maxDocFraction` of them are skipped. Such terms have a near-zero IDF, so they
   * barely move the ranking, but their posting lists are the longest to walk. Small indexes (the
   * bot's own knowledge base) never prune: there a frequent word can still be the one that matters.
   * Set `maxDocFraction` to 1 to switch it off.
   */
  commonTermCutoff?: { maxDocFraction: number; minDocuments: number };
}

/** Chosen on the SciFact tune split (same nDCG@10, about half the p95 query time). */
export const DEFAULT_COMMON_TERM_CUTOFF = { maxDocFraction: 0.2, minDocuments: 1000 };

interface TextResult {
  id: string;
  score: number;
  stored: Record<string, unknown>;
}

type TextDoc = { id: string } & Record<string, unknown>;

function miniSearchOptions<F extends string>(opts: TextIndexOptions<F>): MiniSearchOptions<TextDoc> {
  const bm25 = opts.bm25 ?? DEFAULT_BM25;
  return {
    idField: 'id',
    fields: [...opts.fields],
    storeFields: [...(opts.storeFields ?? [])],
    tokenize: (text) => tokenizeWords(text),
    processTerm: (term) => analyzeTerm(term) ?? null,
    searchOptions: {
      combineWith: 'OR',
      prefix: false,
      fuzzy: false,
      ...(opts.boost ? { boost: opts.boost as Record<string, number> } : {}),
      bm25: { k: bm25.k1, b: bm25.b, d: 0 },
    },
  };
}

export class TextIndex<F extends string = string> {
  private ms: MiniSearch<TextDoc>;

  private constructor(
    private readonly opts: TextIndexOptions<F>,
    ms?: MiniSearch<TextDoc>,
  ) {
    this.ms = ms ?? new MiniSearch<TextDoc>(miniSearchOptions(opts));
  }

  static create<F extends string>(opts: TextIndexOptions<F>): TextIndex<F> {
    return new TextIndex(opts);
  }

  /** Restores an index saved with toJSON() (same options required). */
  static fromJSON<F extends string>(json: string, opts: TextIndexOptions<F>): TextIndex<F> {
    return new TextIndex(opts, MiniSearch.loadJSON<TextDoc>(json, miniSearchOptions(opts)));
  }

  get size(): number {
    return this.ms.documentCount;
  }

  has(id: string): boolean {
    return this.ms.has(id);
  }

  addAll(docs: readonly TextDoc[]): void {
    this.ms.addAll(docs);
  }

  /** Replaces a document if present, otherwise adds it. */
  put(doc: TextDoc): void {
    if (this.ms.has(doc.id)) this.ms.discard(doc.id);
    this.ms.add(doc);
  }

  remove(id: string): void {
    if (this.ms.has(id)) this.ms.discard(id);
  }

  /** BM25 search; `filter` sees stored fields and runs before the cut to `top`. */
  search(query: string, top: number, filter?: (stored: Record<string, unknown>) => boolean): TextResult[] {
    // Analyze once and look each distinct term up once, weighted by its count in the query (as
    // Anserini's bag-of-words query does); saves posting-list walks on long queries.
    const counts = new Map<string, number>();
    for (const token of tokenizeWords(query)) {
      const term = analyzeTerm(token);
      if (term) counts.set(term, (counts.get(term) ?? 0) + 1);
    }
    const terms = this.withoutCommonTerms([...counts.keys()]);
    if (!terms.length) return [];
    const results = this.ms.search(terms.join(' '), {
      tokenize: (text) => text.split(' '),
      processTerm: (term) => term,
      boostTerm: (term) => counts.get(term) ?? 1,
      ...(filter ? { filter: (r) => filter(r as unknown as Record<string, unknown>) } : {}),
    });
    // Score every match but build result objects only for the `top` best (long queries match
    // thousands of documents; allocating and sorting all of them dominated query time).
    const adjusted = new Float64Array(results.length);
    for (let i = 0; i < results.length; i++) {
      const r = results[i]!;
      adjusted[i] = this.opts.coordination ? r.score : r.score / Math.max(1, r.queryTerms.length);
    }
    const best = topIndices(adjusted, top);
    return best.map((i) => {
      const { id, score: _s, terms: _t, queryTerms: _q, match: _m, ...stored } = results[i]!;
      return { id: String(id), score: adjusted[i]!, stored };
    });
  }

  toJSON(): unknown {
    return this.ms.toJSON();
  }

  /** In how many documents `term` (already analyzed) occurs, over all fields. */
  documentFrequency(term: string): number {
    // MiniSearch has no public document-frequency API; its term index maps term → field id →
    // (doc id → tf). A unit test pins this shape, and if it ever goes missing we return 0, which
    // only switches the common-term cutoff off.
    const fields = (
      this.ms as unknown as { _index?: { get(t: string): Map<number, Map<number, number>> | undefined } }
    )._index?.get(term);
    if (!fields) return 0;
    if (fields.size === 1) return fields.values().next().value!.size;
    const docs = new Set<number>();
    for (const postings of fields.values()) for (const id of postings.keys()) docs.add(id);
    return docs.size;
  }

  private withoutCommonTerms(terms: string[]): string[] {
    const cutoff = this.opts.commonTermCutoff ?? DEFAULT_COMMON_TERM_CUTOFF;
    const n = this.ms.documentCount;
    if (n < cutoff.minDocuments || cutoff.maxDocFraction >= 1) return terms;
    const kept = terms.filter((t) => this.documentFrequency(t) <= cutoff.maxDocFraction * n);
    // A query made only of common terms still deserves an answer: keep them all then.
    return kept.length ? kept : terms;
  }
}

/** Indices of the `k` largest values, best first (a bounded insertion list: k is small). */
function topIndices(values: Float64Array, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (best.length === k && v <= values[best[k - 1]!]!) continue;
    let pos = best.length < k ? best.length : k - 1;
    while (pos > 0 && values[best[pos - 1]!]! < v) pos--;
    best.splice(pos, 0, i);
    if (best.length > k) best.pop();
  }
  return best;
}
