import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Encoder } from '../../src/encoder';
import type { SentenceVectors } from '../../src/nlu/features';

/** On disk: `<path>` holds {encoder, dimensions, texts}; `<path>.f32` the vectors, row by row. */
interface CacheIndex {
  encoder: string;
  dimensions: number;
  texts: string[];
}

function readCache(path: string, encoder: Encoder): Map<string, Float32Array> {
  const vectors = new Map<string, Float32Array>();
  if (!existsSync(path) || !existsSync(`${path}.f32`)) return vectors;
  const index = JSON.parse(readFileSync(path, 'utf8')) as CacheIndex;
  if (index.encoder !== encoder.name || index.dimensions !== encoder.dimensions) return vectors;
  const raw = readFileSync(`${path}.f32`);
  const all = new Float32Array(raw.buffer, raw.byteOffset, Math.floor(raw.byteLength / 4));
  index.texts.forEach((text, i) => {
    const row = all.subarray(i * index.dimensions, (i + 1) * index.dimensions);
    if (row.length === index.dimensions) vectors.set(text, Float32Array.from(row));
  });
  return vectors;
}

function writeCache(path: string, encoder: Encoder, vectors: Map<string, Float32Array>): void {
  mkdirSync(dirname(path), { recursive: true });
  const texts = [...vectors.keys()];
  const all = new Float32Array(texts.length * encoder.dimensions);
  texts.forEach((text, i) => all.set(vectors.get(text)!, i * encoder.dimensions));
  writeFileSync(`${path}.f32`, Buffer.from(all.buffer));
  writeFileSync(path, JSON.stringify({ encoder: encoder.name, dimensions: encoder.dimensions, texts }));
}

/**
 * Sentence vectors of `texts` from `encoder`, cached in `path` (+ `.f32`) so a rerun encodes only
 * texts it has not seen. Saved every few batches: a run stopped half way keeps what it encoded.
 */
export async function sentenceVectorsFor(
  texts: readonly string[],
  encoder: Encoder,
  path: string,
  log: (message: string) => void = () => undefined,
): Promise<SentenceVectors & { size: number }> {
  const vectors = readCache(path, encoder);
  const missing = [...new Set(texts)].filter((t) => !vectors.has(t));
  log(`sentence vectors: ${vectors.size} cached, ${missing.length} to encode with ${encoder.name}`);
  const batch = 256;
  for (let i = 0; i < missing.length; i += batch) {
    const slice = missing.slice(i, i + batch);
    const out = await encoder.encode(slice);
    slice.forEach((text, j) => vectors.set(text, Float32Array.from(out[j]!)));
    if ((i / batch) % 8 === 7 || i + batch >= missing.length) {
      writeCache(path, encoder, vectors);
      log(`encoded ${Math.min(i + batch, missing.length)}/${missing.length}`);
    }
  }
  return { dimensions: encoder.dimensions, size: vectors.size, get: (text) => vectors.get(text) };
}
