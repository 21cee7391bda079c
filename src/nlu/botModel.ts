import { IntentClassifier, type IntentClassifierOptions } from './classifier';
import { loadNluDataset } from './dataset';
import { OUT_OF_SCOPE } from './intents';

/**
 * Settings for the bot's own small dataset: every fold is held out once for threshold calibration
 * (the set is tiny, so training five extra models still takes well under a second).
 */
export const BOT_MODEL_OPTIONS: Partial<IntentClassifierOptions> = {
  oosLabel: OUT_OF_SCOPE,
  training: { epochs: 60 },
  calibration: { folds: 5 },
};

/** Trains the production intent model on the whole project dataset (train + test portions). */
export async function createBotIntentModel(datasetDir?: string): Promise<IntentClassifier> {
  const dataset = loadNluDataset(datasetDir);
  return IntentClassifier.train(dataset.examples, BOT_MODEL_OPTIONS);
}

/**
 * The English model with the embedded encoder's sentence vectors appended to the n-grams (chosen on a
 * dev split carved from train: bench/eval/botIntentEncoder.ts, docs/nlu.md).
 */
export const BOT_SENTENCE_MODEL_OPTIONS: Partial<IntentClassifierOptions> = {
  ...BOT_MODEL_OPTIONS,
  // Dev split (99 utterances): weight 2 gave 0.949 against 0.929 at 1 and 0.939 at 3; 30 epochs as
  // good as 60 at half the training time, 20 one utterance worse. Sparse alone: 0.848.
  training: { epochs: 30 },
  features: { sentenceWeight: 2 },
};
