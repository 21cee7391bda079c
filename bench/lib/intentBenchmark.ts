import { cpus } from 'node:os';
import {
  IntentClassifier,
  loadClincFile,
  type IntentClassifierOptions,
  type LabelledExample,
} from '../../src/nlu';
import { elapsedMs, percentile } from './stats';

/** CLINC150's out-of-scope label. */
export const CLINC_OOS = 'oos';

/**
 * Settings every CLINC run starts from (the CLI and `npm run eval`), chosen on the dev split carved
 * from train (docs/nlu.md): an ensemble of 3 sparse MLPs; the threshold calibrated on one held-out
 * fold of five to reach 60% OOS recall there (margin over the 50% the issue asks for).
 */
export const CLINC_DEFAULTS = {
  model: 'mlp',
  calibration: { folds: 5, rounds: 1, oosRecallTarget: 0.6 },
} as const satisfies Partial<IntentClassifierOptions>;

export interface IntentBenchmarkFiles {
  train: string;
  /** Not read with `devSplit`. */
  test: string;
  oosTrain: string;
  /** Not read with `devSplit`. */
  oosTest: string;
}

export interface LabelledSplit {
  train: LabelledExample[];
  test: LabelledExample[];
}

/**
 * The dev split used to choose settings without touching val or test: within each intent, in file
 * order, every 5th utterance (5th, 10th, ...) is held out; of the OOS examples every 2nd (2nd, 4th, ...).
 */
export function carveDevSplit(
  train: LabelledExample[],
  oosTrain: LabelledExample[],
): {
  inScope: LabelledSplit;
  oos: LabelledSplit;
} {
  const seen = new Map<string, number>();
  const heldOut = train.map((e) => {
    const n = (seen.get(e.intent) ?? 0) + 1;
    seen.set(e.intent, n);
    return n % 5 === 0;
  });
  return {
    inScope: { train: train.filter((_, i) => !heldOut[i]), test: train.filter((_, i) => heldOut[i]) },
    oos: { train: oosTrain.filter((_, i) => i % 2 === 0), test: oosTrain.filter((_, i) => i % 2 === 1) },
  };
}

export interface IntentBenchmarkResult {
  benchmark: string;
  engine: string;
  inScopeAccuracy: number;
  oosRecall: number;
  oosPrecision: number;
  macroF1: number;
  trainSeconds: number;
  classifyP50Ms: number;
  classifyP95Ms: number;
  classifyP99Ms: number;
  threshold: IntentClassifier['info']['threshold'];
  features: number;
  labels: number;
  sizes: { train: number; test: number; oosTrain: number; oosTest: number };
  /** True when the test sets were carved from the training files (`carveDevSplit`). */
  devSplit: boolean;
  settings: Partial<IntentClassifierOptions>;
  machine: { cpus: number; node: string };
  files: IntentBenchmarkFiles;
  finishedAt: string;
}

/** Macro-averaged F1 over the given labels (a label never predicted nor present scores 0). */
export function macroF1(gold: string[], predicted: string[], labels: string[]): number {
  let sum = 0;
  for (const label of labels) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < gold.length; i++) {
      if (predicted[i] === label && gold[i] === label) tp++;
      else if (predicted[i] === label) fp++;
      else if (gold[i] === label) fn++;
    }
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return labels.length ? sum / labels.length : NaN;
}

/** The four example sets a run uses: from the files, or (devSplit) carved from the training files. */
export function loadIntentBenchmarkData(
  files: IntentBenchmarkFiles,
  devSplit = false,
): {
  train: LabelledExample[];
  oosTrain: LabelledExample[];
  test: LabelledExample[];
  oosTest: LabelledExample[];
} {
  const train = loadClincFile(files.train);
  const oosTrain = loadClincFile(files.oosTrain);
  if (devSplit) {
    const split = carveDevSplit(train, oosTrain);
    return {
      train: split.inScope.train,
      oosTrain: split.oos.train,
      test: split.inScope.test,
      oosTest: split.oos.test,
    };
  }
  return { train, oosTrain, test: loadClincFile(files.test), oosTest: loadClincFile(files.oosTest) };
}

/**
 * Trains the embedded IntentClassifier on CLINC-format train + oos-train files and evaluates it on the
 * test + oos-test files (or, with `devSplit`, on a dev split carved from the training files): in-scope
 * accuracy (an in-scope utterance predicted as oos is an error), OOS recall, training time and
 * per-utterance classify latency.
 */
export function runIntentBenchmark(
  files: IntentBenchmarkFiles,
  options: Partial<Omit<IntentClassifierOptions, 'oosLabel'>> = {},
  log: (message: string) => void = () => undefined,
  devSplit = false,
): IntentBenchmarkResult {
  const { train, oosTrain, test, oosTest } = loadIntentBenchmarkData(files, devSplit);
  log(
    `loaded train ${train.length}, test ${test.length}, oos-train ${oosTrain.length}, oos-test ${oosTest.length}` +
      (devSplit ? ' (dev split carved from the training files)' : ''),
  );
  if (oosTest.length === 0 || test.length === 0)
    throw new Error('the test and oos-test files must not be empty');

  const { sentenceVectors, ...rest } = options;
  const settings: Partial<IntentClassifierOptions> = {
    ...rest,
    model: options.model ?? CLINC_DEFAULTS.model,
    calibration: { ...CLINC_DEFAULTS.calibration, ...options.calibration },
    oosLabel: CLINC_OOS,
  };
  const trainStart = process.hrtime.bigint();
  const classifier = IntentClassifier.train([...train, ...oosTrain], {
    ...settings,
    sentenceVectors,
    onProgress: log,
  });
  const trainSeconds = elapsedMs(trainStart) / 1000;
  log(`trained in ${trainSeconds.toFixed(1)} s (${classifier.info.features} features)`);

  const evaluation: LabelledExample[] = [...test, ...oosTest];
  // Warm up the JIT so the latency percentiles describe steady-state classification.
  for (const example of evaluation.slice(0, 200)) classifier.classify(example.text);
  const latencies: number[] = [];
  const predicted: string[] = [];
  evaluation.forEach((example, i) => {
    const start = process.hrtime.bigint();
    const prediction = classifier.classify(example.text);
    latencies.push(elapsedMs(start));
    predicted.push(prediction.intent);
    if ((i + 1) % 1000 === 0) log(`classified ${i + 1}/${evaluation.length}`);
  });

  const gold = evaluation.map((e) => e.intent);
  const inScope = gold.map((_, i) => i).filter((i) => gold[i] !== CLINC_OOS);
  const oos = gold.map((_, i) => i).filter((i) => gold[i] === CLINC_OOS);
  const oosHits = oos.filter((i) => predicted[i] === CLINC_OOS).length;
  const predictedOos = predicted.filter((p) => p === CLINC_OOS).length;
  const labels = [...new Set([...gold, CLINC_OOS])];
  return {
    benchmark: 'clinc150-intent',
    engine: `tfidf word 1-2 + char 3-5 grams${sentenceVectors ? ' + sentence vectors' : ''}, ${settings.model === 'mlp' ? 'averaged sparse MLPs' : 'softmax regression'} (seeded SGD), oos class + calibrated threshold`,
    inScopeAccuracy: inScope.length
      ? inScope.filter((i) => predicted[i] === gold[i]).length / inScope.length
      : NaN,
    oosRecall: oos.length ? oosHits / oos.length : NaN,
    oosPrecision: predictedOos ? oosHits / predictedOos : 0,
    macroF1: macroF1(gold, predicted, labels),
    trainSeconds,
    classifyP50Ms: percentile(latencies, 50),
    classifyP95Ms: percentile(latencies, 95),
    classifyP99Ms: percentile(latencies, 99),
    threshold: classifier.info.threshold,
    features: classifier.info.features,
    labels: classifier.info.labels.length,
    sizes: { train: train.length, test: test.length, oosTrain: oosTrain.length, oosTest: oosTest.length },
    devSplit,
    settings,
    machine: { cpus: cpus().length, node: process.version },
    files,
    finishedAt: new Date().toISOString(),
  };
}
