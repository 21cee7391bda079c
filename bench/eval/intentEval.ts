import { join } from 'node:path';
import {
  BOT_MODEL_OPTIONS,
  CHINESE_MODEL_OPTIONS,
  INTENTS,
  IntentClassifier,
  OUT_OF_SCOPE,
  loadChineseNluDataset,
  loadNluDataset,
  splitChineseDataset,
  splitDataset,
  type LabelledExample,
} from '../../src/nlu';
import { runIntentBenchmark, type IntentBenchmarkResult } from '../lib/intentBenchmark';
import { accuracy, confusionMatrix, macroF1, type ConfusionMatrix } from './metrics';

export interface BotIntentResult {
  datasetVersion: string;
  train: number;
  test: number;
  accuracy: number;
  macroF1: number;
  confusion: ConfusionMatrix;
  /** Held-out utterances the model got wrong (for the report). */
  errors: { text: string; gold: string; predicted: string; confidence: number }[];
}

/** Trains the bot's intent model (production settings) on the train part of data/nlu and scores the held-out part. */
export function evaluateBotIntents(datasetDir?: string): BotIntentResult {
  const dataset = loadNluDataset(datasetDir);
  const { train, test } = splitDataset(dataset.examples);
  const model = IntentClassifier.train(train, BOT_MODEL_OPTIONS);
  const predictions = test.map((e) => model.classify(e.text));
  const gold = test.map((e) => e.intent);
  const predicted = predictions.map((p) => p.intent);
  return {
    datasetVersion: dataset.version,
    train: train.length,
    test: test.length,
    accuracy: accuracy(gold, predicted),
    macroF1: macroF1(gold, predicted, [...INTENTS]),
    confusion: confusionMatrix(gold, predicted, [...INTENTS]),
    errors: test
      .map((e, i) => ({
        text: e.text,
        gold: e.intent,
        predicted: predicted[i]!,
        confidence: Math.round(predictions[i]!.confidence * 1000) / 1000,
      }))
      .filter((e) => e.gold !== e.predicted),
  };
}

export interface ChineseIntentResult extends BotIntentResult {
  /** Held-out out_of_scope utterances answered out_of_scope (OOS recall), and how many there were. */
  oosRecall: number;
  oosTest: number;
}

function score(
  version: string,
  train: LabelledExample[],
  test: LabelledExample[],
  model: IntentClassifier,
): BotIntentResult {
  const predictions = test.map((e) => model.classify(e.text));
  const gold = test.map((e) => e.intent);
  const predicted = predictions.map((p) => p.intent);
  return {
    datasetVersion: version,
    train: train.length,
    test: test.length,
    accuracy: accuracy(gold, predicted),
    macroF1: macroF1(gold, predicted, [...INTENTS]),
    confusion: confusionMatrix(gold, predicted, [...INTENTS]),
    errors: test
      .map((e, i) => ({
        text: e.text,
        gold: e.intent,
        predicted: predicted[i]!,
        confidence: Math.round(predictions[i]!.confidence * 1000) / 1000,
      }))
      .filter((e) => e.gold !== e.predicted),
  };
}

/**
 * The Chinese model (its own data, features and threshold) trained on the train part of
 * data/nlu/utterances/zh-CN and scored on the held-out part (by hash of the text, see splitChineseDataset).
 */
export function evaluateChineseIntents(datasetDir?: string): ChineseIntentResult {
  const dataset = loadChineseNluDataset(datasetDir);
  const { train, test } = splitChineseDataset(dataset.examples);
  const model = IntentClassifier.train(train, CHINESE_MODEL_OPTIONS);
  const result = score(dataset.version, train, test, model);
  const oos = test.filter((e) => e.intent === OUT_OF_SCOPE);
  const oosHits = oos.filter((e) => model.classify(e.text).intent === OUT_OF_SCOPE).length;
  return { ...result, oosRecall: oos.length ? oosHits / oos.length : NaN, oosTest: oos.length };
}

/** OOS recall of the English model on its held-out split (the same measure as the Chinese one). */
export function englishOosRecall(datasetDir?: string): { oosRecall: number; oosTest: number } {
  const { train, test } = splitDataset(loadNluDataset(datasetDir).examples);
  const model = IntentClassifier.train(train, BOT_MODEL_OPTIONS);
  const oos = test.filter((e) => e.intent === OUT_OF_SCOPE);
  const hits = oos.filter((e) => model.classify(e.text).intent === OUT_OF_SCOPE).length;
  return { oosRecall: hits / oos.length, oosTest: oos.length };
}

export const CLINC_DIR = '/work/shared/data/clinc150';

/** CLINC150 "full" val split through the shared intent benchmark (about 60 s to train and calibrate on 2 cores). */
export function evaluateClinc(
  dir = CLINC_DIR,
  log: (m: string) => void = () => undefined,
): IntentBenchmarkResult {
  return runIntentBenchmark(
    {
      train: join(dir, 'train.json'),
      test: join(dir, 'val.json'),
      oosTrain: join(dir, 'oos_train.json'),
      oosTest: join(dir, 'oos_val.json'),
    },
    {},
    log,
  );
}
