import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOT_MODEL_OPTIONS } from './botModel';
import { chineseTerms } from './chineseText';
import { IntentClassifier, type IntentClassifierOptions } from './classifier';
import { DEFAULT_NLU_DATASET_DIR, type NluDataset } from './dataset';
import { isIntentId, type LabelledExample } from './intents';

/**
 * The Chinese intent model's settings: the English model's training and calibration, with Chinese
 * term extraction (ICU word segments 1-2, character n-grams 1-3). It is a separate model with its
 * own vocabulary, so Chinese data cannot move English predictions.
 */
export const CHINESE_MODEL_OPTIONS: Partial<IntentClassifierOptions> = {
  ...BOT_MODEL_OPTIONS,
  features: { wordNgrams: [1, 2], charNgrams: [1, 3], minDfWord: 1, minDfChar: 1, analyzer: chineseTerms },
};

/**
 * Loads `<dir>/utterances/zh-CN/VERSION` (the Chinese data's own version; `<dir>/VERSION` stays the
 * English data's) and `<dir>/utterances/zh-CN/<intent>.txt` (the same format as the English files;
 * the English loader reads only the top-level files, so it never sees these).
 */
export function loadChineseNluDataset(dir: string = DEFAULT_NLU_DATASET_DIR): NluDataset {
  const utteranceDir = join(dir, 'utterances', 'zh-CN');
  const versionFile = join(utteranceDir, 'VERSION');
  if (!existsSync(versionFile)) throw new Error(`NLU dataset: ${versionFile} is missing`);
  if (!existsSync(utteranceDir)) throw new Error(`NLU dataset: ${utteranceDir} is missing`);
  const version = readFileSync(versionFile, 'utf8').trim();
  if (!/^\d+\.\d+\.\d+$/.test(version))
    throw new Error(`NLU dataset: zh-CN VERSION "${version}" is not x.y.z`);
  const examples: LabelledExample[] = [];
  for (const file of readdirSync(utteranceDir)
    .filter((f) => f.endsWith('.txt'))
    .sort()) {
    const intent = file.slice(0, -'.txt'.length);
    if (!isIntentId(intent)) throw new Error(`NLU dataset: zh-CN/${file} does not name a known intent`);
    for (const line of readFileSync(join(utteranceDir, file), 'utf8').split(/\r?\n/)) {
      const text = line.trim();
      if (text && !text.startsWith('#')) examples.push({ text, intent });
    }
  }
  if (examples.length === 0) throw new Error(`NLU dataset: no utterances under ${utteranceDir}`);
  return { version, examples };
}

/** FNV-1a 32-bit hash of a string (UTF-16 code units): stable across runs and platforms. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * The Chinese held-out split: an utterance is test data when the hash of its text is 0 modulo 5
 * (about a fifth), whatever its position in the file, so editing or reordering other lines never
 * moves it between train and test.
 */
export function splitChineseDataset(examples: LabelledExample[]): {
  train: LabelledExample[];
  test: LabelledExample[];
} {
  const train: LabelledExample[] = [];
  const test: LabelledExample[] = [];
  for (const example of examples) (fnv1a(example.text) % 5 === 0 ? test : train).push(example);
  return { train, test };
}

/** Trains the production Chinese model on all of data/nlu/utterances/zh-CN. */
export async function createChineseIntentModel(datasetDir?: string): Promise<IntentClassifier> {
  return IntentClassifier.train(loadChineseNluDataset(datasetDir).examples, CHINESE_MODEL_OPTIONS);
}
