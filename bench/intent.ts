/**
 * CLINC150 intent benchmark: trains the embedded IntentClassifier on CLINC-format files and writes
 * in-scope accuracy, OOS recall, training time and classify latency as JSON. Progress goes to stderr.
 *
 *   npm run bench:intent -- --train train.json --test val.json --oos-train oos_train.json \
 *     --oos-test oos_val.json --out report/intent.json
 *
 * With `--dev-split yes` the test sets are carved from the training files instead (see
 * carveDevSplit): that is where settings are chosen, never on val or test.
 *
 * `--encoder use-lite` adds the embedded sentence encoder's vectors as a dense feature block
 * (weight `--sentence-weight`); vectors are cached in `--vectors` (default
 * .data/bench/clinc-use-lite.json), and classify latency is reported with the encoder's own
 * one-sentence latency added (p95 of each, summed: an upper bound).
 *
 * `--encoder use-lite-static` uses the static (distilled) version of the same model instead
 * (src/encoder/staticEncoder.ts): a weighted mean of per-token USE-lite vectors (`--static-weighting
 * uniform | sif`, `--sif-a`, `--remove-common yes`), token table cached in `--token-table` (built from the installed package
 * when missing); its one-sentence latency is added the same way.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { EMBEDDED_ENCODER_NAME, EmbeddedSentenceEncoder, type Encoder } from '../src/encoder';
import {
  StaticSentenceEncoder,
  loadOrBuildTokenTable,
  packageVocabulary,
  type TokenWeighting,
} from '../src/encoder/staticEncoder';
import type { SentenceVectors } from '../src/nlu/features';
import { BenchUsageError, parseBenchArgs } from './lib/args';
import { CLINC_DEFAULTS, loadIntentBenchmarkData, runIntentBenchmark } from './lib/intentBenchmark';
import { sentenceVectorsFor } from './lib/sentenceVectorCache';
import { percentile } from './lib/stats';

function log(message: string): void {
  process.stderr.write(`[bench:intent] ${message}\n`);
}

function optionalNumber(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new BenchUsageError(`--${name} must be a number, got "${value}"`);
  return n;
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** One-sentence encoder latency (the bot encodes one message per turn), after a warm-up. */
async function encoderLatency(encoder: Encoder, texts: string[]): Promise<{ p50: number; p95: number }> {
  for (const t of texts.slice(0, 20)) await encoder.encode([t]);
  const ms: number[] = [];
  for (const t of texts) {
    const start = performance.now();
    await encoder.encode([t]);
    ms.push(performance.now() - start);
  }
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

async function main(): Promise<void> {
  const args = parseBenchArgs(
    process.argv.slice(2),
    {
      train: { description: 'in-scope training pairs (CLINC format)', required: true },
      test: { description: 'in-scope evaluation pairs (required unless --dev-split)' },
      'oos-train': { description: 'out-of-scope training pairs (label "oos")', required: true },
      'oos-test': { description: 'out-of-scope evaluation pairs (required unless --dev-split)' },
      out: { description: 'where to write the JSON result', required: true },
      'dev-split': {
        description: 'yes: evaluate on a dev split carved from --train/--oos-train (for tuning)',
        default: 'no',
      },
      model: { description: 'softmax | mlp', default: CLINC_DEFAULTS.model },
      members: { description: 'MLPs in the averaged ensemble (model mlp)' },
      hidden: { description: 'hidden units per MLP (model mlp)' },
      epochs: { description: 'SGD epochs (engine default when omitted)' },
      'learning-rate': { description: 'initial SGD learning rate' },
      l2: { description: 'L2 penalty (model softmax)' },
      'char-weight': { description: 'weight of the character n-gram block' },
      'calibration-folds': {
        description: 'stratified folds for threshold calibration',
        default: String(CLINC_DEFAULTS.calibration.folds),
      },
      'calibration-rounds': {
        description: 'how many folds are held out and predicted',
        default: String(CLINC_DEFAULTS.calibration.rounds),
      },
      'oos-recall-target': {
        description: 'OOS recall the threshold must reach on the calibration points; "none": balanced rule',
        default: String(CLINC_DEFAULTS.calibration.oosRecallTarget),
      },
      'max-in-scope-loss': { description: 'in-scope accuracy the threshold may cost (calibration points)' },
      threshold: { description: 'fixed OOS threshold instead of a calibrated one' },
      seed: { description: 'training seed' },
      encoder: {
        description: 'none | use-lite | use-lite-static: add sentence-encoder features',
        default: 'none',
      },
      'static-weighting': { description: 'uniform | sif (with --encoder use-lite-static)', default: 'sif' },
      'sif-a': { description: 'SIF smoothing a (with --static-weighting sif)', default: '0.003' },
      'remove-common': {
        description: 'yes: project out the common direction (with --encoder use-lite-static)',
        default: 'no',
      },
      'token-table': {
        description: 'static token table cache (with --encoder use-lite-static)',
        default: '.data/static/use-lite-tokens.f32',
      },
      'sentence-weight': { description: 'weight of the sentence-vector block (with --encoder)' },
      vectors: { description: 'sentence-vector cache file', default: '.data/bench/clinc-use-lite.json' },
    },
    'usage: tsx bench/intent.ts --train <file> --test <file> --oos-train <file> --oos-test <file> --out <file>',
  );
  const devSplit = args['dev-split'] === 'yes';
  if (!devSplit && (args.test === undefined || args['oos-test'] === undefined))
    throw new BenchUsageError('missing --test or --oos-test (required unless --dev-split yes)');
  if (args.model !== 'softmax' && args.model !== 'mlp')
    throw new BenchUsageError(`--model must be softmax or mlp, got "${args.model}"`);
  const charWeight = optionalNumber(args['char-weight'], 'char-weight');
  const sentenceWeight = optionalNumber(args['sentence-weight'], 'sentence-weight');
  if (!['none', 'use-lite', 'use-lite-static'].includes(args.encoder))
    throw new BenchUsageError(`--encoder must be none, use-lite or use-lite-static, got "${args.encoder}"`);
  if (args['static-weighting'] !== 'uniform' && args['static-weighting'] !== 'sif')
    throw new BenchUsageError(`--static-weighting must be uniform or sif, got "${args['static-weighting']}"`);
  const files = {
    train: args.train,
    test: args.test ?? '',
    oosTrain: args['oos-train'],
    oosTest: args['oos-test'] ?? '',
  };
  let sentenceVectors: SentenceVectors | undefined;
  let encoderMs: { p50: number; p95: number } | undefined;
  let encoderName = EMBEDDED_ENCODER_NAME;
  if (args.encoder === 'use-lite-static') {
    const data = loadIntentBenchmarkData(files, devSplit);
    const vocabulary = packageVocabulary();
    const table = await loadOrBuildTokenTable(args['token-table'], vocabulary, log);
    const weighting: TokenWeighting =
      args['static-weighting'] === 'sif'
        ? { kind: 'sif', a: optionalNumber(args['sif-a'], 'sif-a')! }
        : { kind: 'uniform' };
    const encoder = new StaticSentenceEncoder({
      vocabulary,
      table,
      weighting,
      removeCommonDirection: args['remove-common'] === 'yes',
    });
    encoderName = encoder.name;
    const vectors = new Map<string, Float32Array>();
    for (const e of [...data.train, ...data.oosTrain, ...data.test, ...data.oosTest])
      if (!vectors.has(e.text)) vectors.set(e.text, encoder.encodeOne(e.text));
    sentenceVectors = { dimensions: encoder.dimensions, get: (text) => vectors.get(text) };
    encoderMs = await encoderLatency(
      encoder,
      [...data.test, ...data.oosTest].slice(0, 300).map((e) => e.text),
    );
    log(
      `static encoder one sentence: p50 ${encoderMs.p50.toFixed(4)} ms, p95 ${encoderMs.p95.toFixed(4)} ms`,
    );
  }
  if (args.encoder === 'use-lite') {
    const data = loadIntentBenchmarkData(files, devSplit);
    const texts = [...data.train, ...data.oosTrain, ...data.test, ...data.oosTest].map((e) => e.text);
    const encoder = new EmbeddedSentenceEncoder();
    try {
      sentenceVectors = await sentenceVectorsFor(texts, encoder, args.vectors, log);
      encoderMs = await encoderLatency(
        encoder,
        [...data.test, ...data.oosTest].slice(0, 300).map((e) => e.text),
      );
      log(`encoder one sentence: p50 ${encoderMs.p50.toFixed(2)} ms, p95 ${encoderMs.p95.toFixed(2)} ms`);
    } finally {
      await encoder.close();
    }
  }
  const shared = defined({
    epochs: optionalNumber(args.epochs, 'epochs'),
    learningRate: optionalNumber(args['learning-rate'], 'learning-rate'),
    seed: optionalNumber(args.seed, 'seed'),
  });
  const benchmark = runIntentBenchmark(
    files,
    {
      sentenceVectors,
      model: args.model,
      training: { ...shared, ...defined({ l2: optionalNumber(args.l2, 'l2') }) },
      mlp: {
        ...shared,
        ...defined({
          members: optionalNumber(args.members, 'members'),
          hidden: optionalNumber(args.hidden, 'hidden'),
        }),
      },
      calibration: {
        ...defined({
          folds: optionalNumber(args['calibration-folds'], 'calibration-folds'),
          rounds: optionalNumber(args['calibration-rounds'], 'calibration-rounds'),
          fixedThreshold: optionalNumber(args.threshold, 'threshold'),
          maxInScopeLoss: optionalNumber(args['max-in-scope-loss'], 'max-in-scope-loss'),
        }),
        // "none" must override the default target with an explicit undefined (the balanced rule).
        oosRecallTarget:
          args['oos-recall-target'] === 'none'
            ? undefined
            : optionalNumber(args['oos-recall-target'], 'oos-recall-target'),
      },
      features: defined({ charWeight, sentenceWeight }),
    },
    log,
    devSplit,
  );
  const result = encoderMs
    ? {
        ...benchmark,
        encoder: { name: encoderName, p50Ms: encoderMs.p50, p95Ms: encoderMs.p95 },
        classifyWithEncoderP95Ms: benchmark.classifyP95Ms + encoderMs.p95,
      }
    : benchmark;
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
  log(
    `in-scope accuracy ${(result.inScopeAccuracy * 100).toFixed(1)}%, oos recall ${(result.oosRecall * 100).toFixed(1)}%, ` +
      `train ${result.trainSeconds.toFixed(1)} s, p50 ${result.classifyP50Ms.toFixed(3)} ms, p95 ${result.classifyP95Ms.toFixed(3)} ms -> ${args.out}`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof BenchUsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`[bench:intent] failed: ${(error as Error).message}\n`);
  process.exit(1);
});
