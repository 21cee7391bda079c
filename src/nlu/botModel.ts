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
