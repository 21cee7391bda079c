import { readFileSync } from 'node:fs';
import type { LabelledExample } from './intents';

/**
 * Parses a CLINC150-format file: a JSON array of [utterance, intent] pairs
 * (train.json, val.json, oos_train.json, ... from the oos-eval repository).
 */
export function parseClincPairs(json: string, source = 'input'): LabelledExample[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new Error(`${source}: not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(data)) throw new Error(`${source}: expected a JSON array of [text, intent] pairs`);
  return data.map((pair, i) => {
    if (
      !Array.isArray(pair) ||
      pair.length !== 2 ||
      typeof pair[0] !== 'string' ||
      typeof pair[1] !== 'string'
    ) {
      throw new Error(`${source}: item ${i} is not a [text, intent] pair of strings`);
    }
    return { text: pair[0], intent: pair[1] };
  });
}

export function loadClincFile(path: string): LabelledExample[] {
  let json: string;
  try {
    json = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
  return parseClincPairs(json, path);
}
