/**
 * Retrieval benchmark of the embedded engine on a BEIR-format corpus:
 *   npm run bench:retrieval -- --corpus corpus.jsonl --queries queries.jsonl --qrels qrels.tsv --out result.json
 *     [--split heldout|tune|all] [--k1 0.9] [--b 0.4] [--common-term-cutoff 0.2] [--scale 5000,50000]
 *     [--latency-queries 300] [--hybrid --vectors cache.json --dense-weight 1]
 *     [--hybrid [--dense sentences|document] --vectors cache --dense-weight w --rerank-k k --fusion convex|rrf --mean-weight m]
 * --hybrid also runs BM25 + the embedded sentence encoder (USE-lite on its worker thread). Query
 * latency includes the encoder.
 *   --dense sentences (default): each abstract's title and sentences are encoded separately (cached
 *   as JSON lines in --vectors, default `<out dir>/scifact-sentence-vectors.jsonl`, appended as it
 *   goes) and BM25's top --rerank-k (default 100) are re-ranked by their best sentence's cosine
 *   (+ --mean-weight × the mean cosine), fused with BM25 by --fusion convex (default:
 *   (1 − w)·minmax(bm25) + w·minmax(dense), src/knowledge/denseRerank.ts, what the bot does) or rrf
 *   (reciprocal ranks, dense weighted by w). --dense-weight, --rerank-k, --mean-weight and --fusion
 *   take comma lists: every combination is scored on the split (`sweep` in the JSON) and the best
 *   one's latency is measured. Choose on --split tune; run heldout once, with single values.
 *   --dense document: the earlier scheme, one vector per abstract (title + first 1000 chars, cached
 *   in --vectors as JSON) and a full cosine scan fused by reciprocal rank with --dense-weight.
 * --scale 0 skips the scaling runs.
 * Writes nDCG@10 and Recall@100 on the chosen query split, index time, query latency percentiles,
 * and latency at larger corpus sizes (the corpus replicated) to show growth.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EmbeddedSentenceEncoder } from '../src/encoder';
import { DENSE_RERANK } from '../src/knowledge/denseRerank';
import { DEFAULT_COMMON_TERM_CUTOFF } from '../src/knowledge/textIndex';
import {
  buildIndex,
  evaluate,
  ndcgAt,
  recallAt,
  loadCorpus,
  loadQrels,
  loadQueries,
  parseArgs,
  percentile,
  replicate,
  splitOf,
  type BeirDoc,
  type BeirQuery,
  type Qrels,
} from './retrievalLib';
import {
  encodeMissing,
  loadSentenceVectors,
  rerankedIds,
  unitVector,
  type PreparedQuery,
  type RerankConfig,
} from './sentenceVectors';

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

function timeQueries(index: ReturnType<typeof buildIndex>, queries: readonly BeirQuery[]): number[] {
  for (const q of queries.slice(0, 50)) index.search(q.text, 100); // JIT warm-up, not measured
  return queries.map((q) => {
    const t0 = performance.now();
    index.search(q.text, 100);
    return performance.now() - t0;
  });
}

const RRF_K = 60;

/** What the encoder sees of a document: its title and the start of its abstract. */
const docText = (d: BeirDoc) => `${d.title}\n${d.text}`.slice(0, 1000);

async function hybrid(
  docs: readonly BeirDoc[],
  queries: readonly BeirQuery[],
  qrels: Qrels,
  index: ReturnType<typeof buildIndex>,
  vectorsPath: string,
  denseWeight: number,
) {
  const encoder = new EmbeddedSentenceEncoder();
  try {
    const cache: Record<string, number[]> = existsSync(vectorsPath)
      ? (
          JSON.parse(readFileSync(vectorsPath, 'utf8')) as {
            encoder: string;
            vectors: Record<string, number[]>;
          }
        ).vectors
      : {};
    const missing = docs.filter((d) => !cache[d.id]);
    const saveCache = () => {
      mkdirSync(dirname(vectorsPath), { recursive: true });
      writeFileSync(vectorsPath, JSON.stringify({ encoder: encoder.name, vectors: cache }));
    };
    const t0 = performance.now();
    for (let i = 0; i < missing.length; i += 256) {
      const batch = missing.slice(i, i + 256);
      const out = await encoder.encode(batch.map(docText));
      batch.forEach(
        (d, j) => (cache[d.id] = Array.from(unitVector(out[j]!), (x) => Math.round(x * 1e5) / 1e5)),
      );
      process.stderr.write(`encoded ${Math.min(i + 256, missing.length)}/${missing.length}\r`);
      // Saved as it goes: a run stopped half way (a slow, shared machine) keeps what it encoded.
      if ((i / 256) % 4 === 3) saveCache();
    }
    const encodeSeconds = (performance.now() - t0) / 1000;
    if (missing.length) saveCache();
    const ids = docs.map((d) => d.id);
    const matrix = ids.map((id) => Float32Array.from(cache[id]!));

    const search = async (text: string): Promise<string[]> => {
      const bm25 = index.search(text, 100).map((r) => r.id);
      const qv = unitVector((await encoder.encode([text]))[0]!);
      const scored = matrix.map((v, i) => {
        let d = 0;
        for (let j = 0; j < v.length; j++) d += v[j]! * qv[j]!;
        return { id: ids[i]!, d };
      });
      scored.sort((a, b) => b.d - a.d);
      const dense = scored.slice(0, 100).map((x) => x.id);
      const fused = new Map<string, number>();
      for (const [list, weight] of [
        [bm25, 1],
        [dense, denseWeight],
      ] as const)
        list.forEach((id, rank) => fused.set(id, (fused.get(id) ?? 0) + weight / (RRF_K + rank + 1)));
      return [...fused.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 100)
        .map(([id]) => id);
    };

    for (const q of queries.slice(0, 20)) await search(q.text); // warm-up, not measured
    let ndcg = 0;
    let recall = 0;
    const latencies: number[] = [];
    for (const q of queries) {
      const t = performance.now();
      const ranked = await search(q.text);
      latencies.push(performance.now() - t);
      ndcg += ndcgAt(10, ranked, qrels.get(q.id)!);
      recall += recallAt(100, ranked, qrels.get(q.id)!);
    }
    return {
      encoder: encoder.name,
      fusion: `reciprocal rank fusion (k=${RRF_K}) of BM25 top 100 and cosine top 100 (dense weight ${denseWeight})`,
      docsEncoded: missing.length,
      encodeSeconds: round(encodeSeconds, 1),
      ndcgAt10: round(ndcg / queries.length),
      recallAt100: round(recall / queries.length),
      queryP50Ms: round(percentile(latencies, 50), 2),
      queryP95Ms: round(percentile(latencies, 95), 2),
    };
  } finally {
    await encoder.close();
  }
}

const numbers = (v: string | undefined, fallback: string) => (v ?? fallback).split(',').map(Number);

/** Every combination of the comma lists given for the sentence re-ranker. */
function rerankGrid(args: Record<string, string>): RerankConfig[] {
  const grid: RerankConfig[] = [];
  for (const fusion of (args.fusion ?? 'convex').split(',')) {
    if (fusion !== 'convex' && fusion !== 'rrf') throw new Error('--fusion must be convex or rrf');
    for (const k of numbers(args['rerank-k'], '100'))
      for (const denseWeight of numbers(args['dense-weight'], String(DENSE_RERANK.denseWeight)))
        for (const meanWeight of numbers(args['mean-weight'], String(DENSE_RERANK.meanWeight))) {
          if (!(k >= 1 && k <= 100)) throw new Error('--rerank-k must be in 1..100');
          if (!(denseWeight >= 0) || !(meanWeight >= 0)) throw new Error('weights must be >= 0');
          grid.push({ fusion, k, denseWeight, meanWeight });
        }
  }
  return grid;
}

/**
 * BM25 top k re-ranked by sentence max-sim (bench/sentenceVectors.ts): every config of `grid` is
 * scored on `queries`; the best one (by nDCG@10) is timed end to end, query encoding included.
 */
async function sentenceHybrid(
  docs: readonly BeirDoc[],
  queries: readonly BeirQuery[],
  qrels: Qrels,
  index: ReturnType<typeof buildIndex>,
  vectorsPath: string,
  grid: readonly RerankConfig[],
) {
  const encoder = new EmbeddedSentenceEncoder();
  try {
    const cache = loadSentenceVectors(vectorsPath, encoder.name);
    const encoded = await encodeMissing(docs, cache, encoder, vectorsPath);
    const sentencesOf = (id: string) => cache.get(id);
    const queryVectors = await encoder.encode(queries.map((q) => q.text));
    const prepared: PreparedQuery[] = queries.map((q, i) => ({
      id: q.id,
      bm25: index.search(q.text, 100).map((r) => ({ id: r.id, score: r.score })),
      vector: unitVector(queryVectors[i]!),
    }));
    const sweep = grid.map((cfg) => {
      let ndcg = 0;
      let recall = 0;
      for (const p of prepared) {
        const ranked = rerankedIds(p, cfg, sentencesOf);
        ndcg += ndcgAt(10, ranked, qrels.get(p.id)!);
        recall += recallAt(100, ranked, qrels.get(p.id)!);
      }
      return {
        ...cfg,
        ndcgAt10: round(ndcg / prepared.length),
        recallAt100: round(recall / prepared.length),
      };
    });
    const best = sweep.reduce((a, b) => (b.ndcgAt10 > a.ndcgAt10 ? b : a));

    // End to end, one query at a time: BM25, the query's encoding on the worker, the re-ranking.
    const search = async (text: string): Promise<string[]> => {
      const bm25 = index.search(text, 100).map((r) => ({ id: r.id, score: r.score }));
      const vector = unitVector((await encoder.encode([text]))[0]!);
      return rerankedIds({ id: '', bm25, vector }, best, sentencesOf);
    };
    for (const q of queries.slice(0, 20)) await search(q.text); // warm-up, not measured
    const latencies: number[] = [];
    const encodeLatencies: number[] = [];
    const loadBefore = loadavg()[0]!;
    for (const q of queries) {
      const t = performance.now();
      await search(q.text);
      latencies.push(performance.now() - t);
    }
    for (const q of queries.slice(0, 100)) {
      const t = performance.now();
      await encoder.encode([q.text]);
      encodeLatencies.push(performance.now() - t);
    }
    const units = [...cache.values()].reduce((n, v) => n + v.length, 0);
    return {
      encoder: encoder.name,
      dense: 'title and each sentence (answerUnits.unitsOf) of an abstract encoded separately',
      fusion:
        best.fusion === 'convex'
          ? `BM25 top ${best.k} re-ranked by (1 - ${best.denseWeight}) minmax(BM25) + ${best.denseWeight} minmax(max-sim${best.meanWeight ? ` + ${best.meanWeight} mean-sim` : ''})`
          : `BM25 top ${best.k} re-ranked by 1/(61 + BM25 rank) + ${best.denseWeight}/(61 + max-sim rank)`,
      best,
      sweep: sweep.length > 1 ? sweep : undefined,
      units,
      docsEncoded: encoded.docsEncoded,
      unitsEncoded: encoded.unitsEncoded,
      encodeSeconds: round(encoded.seconds, 1),
      ndcgAt10: best.ndcgAt10,
      recallAt100: best.recallAt100,
      queryP50Ms: round(percentile(latencies, 50), 2),
      queryP95Ms: round(percentile(latencies, 95), 2),
      queryEncodeP50Ms: round(percentile(encodeLatencies, 50), 2),
      queryEncodeP95Ms: round(percentile(encodeLatencies, 95), 2),
      loadAverage1mBeforeTiming: round(loadBefore, 2),
      loadAverage1mAfterTiming: round(loadavg()[0]!, 2),
    };
  } finally {
    await encoder.close();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  for (const required of ['corpus', 'queries', 'qrels', 'out']) {
    if (!args[required])
      throw new Error(
        `missing --${required}\nusage: npm run bench:retrieval -- --corpus C --queries Q --qrels R --out OUT.json [--split heldout|tune|all]`,
      );
  }
  const split = args.split ?? 'heldout';
  if (!['heldout', 'tune', 'all'].includes(split)) throw new Error(`--split must be heldout, tune or all`);
  const bm25 = { k1: Number(args.k1 ?? 0.9), b: Number(args.b ?? 0.4) };
  if (!(bm25.k1 > 0) || !(bm25.b >= 0 && bm25.b <= 1)) throw new Error('--k1 must be > 0 and --b in [0, 1]');
  const maxDocFraction = Number(args['common-term-cutoff'] ?? DEFAULT_COMMON_TERM_CUTOFF.maxDocFraction);
  if (!(maxDocFraction > 0 && maxDocFraction <= 1)) throw new Error('--common-term-cutoff must be in (0, 1]');
  const commonTermCutoff = { ...DEFAULT_COMMON_TERM_CUTOFF, maxDocFraction };
  const scales = (args.scale ?? '5000,50000')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const latencyQueries = Number(args['latency-queries'] ?? 300);

  const docs = loadCorpus(args.corpus!);
  const qrels = loadQrels(args.qrels!);
  const queries = loadQueries(args.queries!).filter(
    (q) => qrels.has(q.id) && (split === 'all' || splitOf(q.id) === split),
  );
  if (!queries.length) throw new Error('no judged queries in the chosen split');

  const t0 = performance.now();
  const index = buildIndex(docs, { bm25, commonTermCutoff });
  const indexSeconds = (performance.now() - t0) / 1000;
  const quality = evaluate(index, queries, qrels);
  const latencies = timeQueries(index, queries);

  const scaling = scales.map((size) => {
    const t = performance.now();
    const big = buildIndex(replicate(docs, size), { bm25, commonTermCutoff });
    const seconds = (performance.now() - t) / 1000;
    const lat = timeQueries(big, queries.slice(0, latencyQueries));
    return {
      chunks: big.size,
      indexSeconds: round(seconds, 2),
      queryP50Ms: round(percentile(lat, 50), 2),
      queryP95Ms: round(percentile(lat, 95), 2),
    };
  });

  const dense = args.dense ?? 'sentences';
  if (!['sentences', 'document'].includes(dense)) throw new Error('--dense must be sentences or document');
  const hybridResult = !args.hybrid
    ? undefined
    : dense === 'document'
      ? await hybrid(
          docs,
          queries,
          qrels,
          index,
          args.vectors ?? `${dirname(args.out!)}/scifact-vectors.json`,
          Number(args['dense-weight'] ?? 1),
        )
      : await sentenceHybrid(
          docs,
          queries,
          qrels,
          index,
          args.vectors ?? `${dirname(args.out!)}/scifact-sentence-vectors.jsonl`,
          rerankGrid(args),
        );

  const result = {
    engine:
      'MiniSearch 7 + Lucene-style English analyzer (Porter2 stemmer, Lucene stop set), plain BM25, flat title+text field, common-term cutoff',
    bm25,
    commonTermCutoff,
    split,
    queries: quality.queries,
    documents: docs.length,
    ndcgAt10: round(quality.ndcgAt10),
    recallAt100: round(quality.recallAt100),
    indexSeconds: round(indexSeconds, 2),
    queryP50Ms: round(percentile(latencies, 50), 2),
    queryP95Ms: round(percentile(latencies, 95), 2),
    scaling,
    ...(hybridResult ? { hybrid: hybridResult } : {}),
    reference: {
      anseriniBm25FlatNdcgAt10: 0.6789,
      anseriniBm25MultifieldNdcgAt10: 0.6647,
      note: 'Anserini numbers are on the BEIR test split',
    },
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      node: process.version,
      loadAverage1m: round(loadavg()[0]!, 2),
      sharedCpu: true,
    },
    measuredAt: new Date().toISOString(),
  };
  mkdirSync(dirname(args.out!), { recursive: true });
  writeFileSync(args.out!, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exitCode = 1;
});
