/**
 * Retrieval benchmark of the embedded engine on a BEIR-format corpus:
 *   npm run bench:retrieval -- --corpus corpus.jsonl --queries queries.jsonl --qrels qrels.tsv --out result.json
 *     [--split heldout|tune|all] [--k1 0.9] [--b 0.4] [--common-term-cutoff 0.2] [--scale 5000,50000]
 *     [--latency-queries 300]
 * Writes nDCG@10 and Recall@100 on the chosen query split, index time, query latency percentiles,
 * and latency at larger corpus sizes (the corpus replicated) to show growth.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_COMMON_TERM_CUTOFF } from '../src/knowledge/textIndex';
import {
  buildIndex,
  evaluate,
  loadCorpus,
  loadQrels,
  loadQueries,
  parseArgs,
  percentile,
  replicate,
  splitOf,
  type BeirQuery,
} from './retrievalLib';

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

function timeQueries(index: ReturnType<typeof buildIndex>, queries: readonly BeirQuery[]): number[] {
  for (const q of queries.slice(0, 50)) index.search(q.text, 100); // JIT warm-up, not measured
  return queries.map((q) => {
    const t0 = performance.now();
    index.search(q.text, 100);
    return performance.now() - t0;
  });
}

function main(): void {
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

  const result = {
    engine:
      'MiniSearch 7 + Lucene-style English analyzer (Porter stemmer, Lucene stop set), plain BM25, flat title+text field, common-term cutoff',
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

try {
  main();
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
}
