import { join } from 'node:path';
import { BOT_MODEL_OPTIONS, INTENTS, IntentClassifier, loadNluDataset, splitDataset } from '../../src/nlu';
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
