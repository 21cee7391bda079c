import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DEFAULT_BM25, TextIndex, type Bm25Params } from '../src/knowledge/textIndex';

/** BEIR-format loading, IR metrics and latency measurement for bench/retrieval.ts. */

export interface BeirDoc {
  id: string;
  title: string;
  text: string;
}
export interface BeirQuery {
  id: string;
  text: string;
}
/** query id → (doc id → relevance grade) */
export type Qrels = Map<string, Map<string, number>>;

function readJsonl(path: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      try {
        out.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        throw new Error(`${path}:${i + 1}: not valid JSON`);
      }
    });
  return out;
}

export function loadCorpus(path: string): BeirDoc[] {
  return readJsonl(path).map((r) => ({
    id: String(r._id),
    title: String(r.title ?? ''),
    text: String(r.text ?? ''),
  }));
}

export function loadQueries(path: string): BeirQuery[] {
  return readJsonl(path).map((r) => ({ id: String(r._id), text: String(r.text ?? '') }));
}

export function loadQrels(path: string): Qrels {
  const qrels: Qrels = new Map();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [q, d, s] = line.trim().split('\t');
    if (!q || !d || s === undefined || q === 'query-id') continue;
    const grade = Number(s);
    if (!Number.isFinite(grade)) throw new Error(`${path}: bad score in line "${line}"`);
    if (!qrels.has(q)) qrels.set(q, new Map());
    qrels.get(q)!.set(d, grade);
  }
  return qrels;
}

/**
 * Deterministic split of query ids so tuning never sees the reported queries:
 * 'tune' ≈ 40 % of the ids (by sha1 bucket), 'heldout' the other 60 %.
 */
export function splitOf(queryId: string): 'tune' | 'heldout' {
  const bucket = createHash('sha1').update(queryId).digest()[0]! % 10;
  return bucket < 4 ? 'tune' : 'heldout';
}

/** nDCG@k with trec_eval's gain (grade) and log2 discount. */
export function ndcgAt(k: number, ranked: readonly string[], rel: ReadonlyMap<string, number>): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    dcg += (rel.get(id) ?? 0) / Math.log2(i + 2);
  });
  const ideal = [...rel.values()].filter((g) => g > 0).sort((a, b) => b - a);
  let idcg = 0;
  ideal.slice(0, k).forEach((g, i) => {
    idcg += g / Math.log2(i + 2);
  });
  return idcg === 0 ? 0 : dcg / idcg;
}

export function recallAt(k: number, ranked: readonly string[], rel: ReadonlyMap<string, number>): number {
  const relevant = [...rel.entries()].filter(([, g]) => g > 0).map(([id]) => id);
  if (!relevant.length) return 0;
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((id) => top.has(id)).length / relevant.length;
}

export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export interface BenchIndexOptions {
  bm25?: Bm25Params;
  coordination?: boolean;
  commonTermCutoff?: { maxDocFraction: number; minDocuments: number };
}

/** Builds the embedded engine over BEIR docs, flat (title + text in one field, like Anserini's flat index). */
export function buildIndex(docs: readonly BeirDoc[], opts: BenchIndexOptions = {}): TextIndex<'contents'> {
  const index = TextIndex.create({
    fields: ['contents'],
    bm25: opts.bm25 ?? DEFAULT_BM25,
    coordination: opts.coordination,
    commonTermCutoff: opts.commonTermCutoff,
  });
  index.addAll(docs.map((d) => ({ id: d.id, contents: `${d.title} ${d.text}` })));
  return index;
}

export interface EvalResult {
  queries: number;
  ndcgAt10: number;
  recallAt100: number;
  latenciesMs: number[];
}

export function evaluate(
  index: TextIndex<'contents'>,
  queries: readonly BeirQuery[],
  qrels: Qrels,
): EvalResult {
  let ndcg = 0;
  let recall = 0;
  let n = 0;
  const latenciesMs: number[] = [];
  for (const q of queries) {
    const rel = qrels.get(q.id);
    if (!rel) continue;
    const t0 = performance.now();
    const ranked = index.search(q.text, 100).map((r) => r.id);
    latenciesMs.push(performance.now() - t0);
    ndcg += ndcgAt(10, ranked, rel);
    recall += recallAt(100, ranked, rel);
    n++;
  }
  return { queries: n, ndcgAt10: n ? ndcg / n : 0, recallAt100: n ? recall / n : 0, latenciesMs };
}

/** Copies the corpus with new ids until it has `size` docs (to measure latency growth). */
export function replicate(docs: readonly BeirDoc[], size: number): BeirDoc[] {
  const out: BeirDoc[] = [];
  for (let i = 0; out.length < size && docs.length; i++) {
    const d = docs[i % docs.length]!;
    out.push({ ...d, id: i < docs.length ? d.id : `${d.id}#${Math.floor(i / docs.length)}` });
  }
  return out;
}

/** Minimal `--name value` parser. */
export function parseArgs(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) out[a.slice(2)] = 'true';
    else {
      out[a.slice(2)] = next;
      i++;
    }
  }
  return out;
}
