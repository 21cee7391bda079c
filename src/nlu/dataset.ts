import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { projectRoot } from '../projectRoot';
import { join, resolve } from 'node:path';
import { isIntentId, type LabelledExample } from './intents';

export interface NluDataset {
  version: string;
  examples: LabelledExample[];
}

/** The project's NLU dataset, resolved from the repository root (works from src/ and dist/src/). */
export const DEFAULT_NLU_DATASET_DIR = resolve(projectRoot(), 'data', 'nlu');

function defaultDir(): string {
  return DEFAULT_NLU_DATASET_DIR;
}

/**
 * Loads `<dir>/VERSION` and `<dir>/utterances/<intent>.txt` (one utterance per line; blank lines and
 * lines starting with "#" are ignored). File order is kept: the held-out split depends on it.
 */
export function loadNluDataset(dir: string = defaultDir()): NluDataset {
  const versionFile = join(dir, 'VERSION');
  const utteranceDir = join(dir, 'utterances');
  if (!existsSync(versionFile)) throw new Error(`NLU dataset: ${versionFile} is missing`);
  if (!existsSync(utteranceDir)) throw new Error(`NLU dataset: ${utteranceDir} is missing`);
  const version = readFileSync(versionFile, 'utf8').trim();
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`NLU dataset: VERSION "${version}" is not x.y.z`);
  const examples: LabelledExample[] = [];
  for (const file of readdirSync(utteranceDir)
    .filter((f) => f.endsWith('.txt'))
    .sort()) {
    const intent = file.slice(0, -'.txt'.length);
    if (!isIntentId(intent)) throw new Error(`NLU dataset: ${file} does not name a known intent`);
    const lines = readFileSync(join(utteranceDir, file), 'utf8').split(/\r?\n/);
    for (const line of lines) {
      const text = line.trim();
      if (text && !text.startsWith('#')) examples.push({ text, intent });
    }
  }
  if (examples.length === 0) throw new Error(`NLU dataset: no utterances under ${utteranceDir}`);
  return { version, examples };
}

/**
 * The fixed held-out split used by evaluation: within each intent, in file order, every 5th utterance
 * (positions 5, 10, 15, ...) goes to test and the rest to train. Deterministic and stable under
 * appending new utterances at the end of a file.
 */
export function splitDataset(examples: LabelledExample[]): {
  train: LabelledExample[];
  test: LabelledExample[];
} {
  const seen = new Map<string, number>();
  const train: LabelledExample[] = [];
  const test: LabelledExample[] = [];
  for (const example of examples) {
    const position = (seen.get(example.intent) ?? 0) + 1;
    seen.set(example.intent, position);
    (position % 5 === 0 ? test : train).push(example);
  }
  return { train, test };
}
