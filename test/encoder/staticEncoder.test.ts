import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedSentenceEncoder } from '../../src/encoder';
import {
  StaticSentenceEncoder,
  buildTokenTable,
  commonDirection,
  loadOrBuildTokenTable,
  packageTokenizer,
  packageVocabulary,
  tokenWeights,
  type Vocabulary,
} from '../../src/encoder/staticEncoder';

// A tiny vocabulary in the package's format: 6 reserved symbols, then pieces with log-probabilities.
const RESERVED: Vocabulary = [
  ['\uFFFD', 0],
  ['<s>', 0],
  ['</s>', 0],
  ['extra_token_id_1', 0],
  ['extra_token_id_2', 0],
  ['extra_token_id_3', 0],
];
const TINY: Vocabulary = [
  ...RESERVED,
  ['\u2581book', -6], // 6
  ['\u2581a', -3], // 7
  ['\u2581flight', -7], // 8
  ['s', -3.5], // 9
  // Single characters (as the real vocabulary has them), so every text can be segmented; their low
  // log-probability makes the tokenizer prefer the whole pieces above.
  ...[...'\u2581abfghiklot'].map((c): [string, number] => [c, -20]),
];
// 3-d vectors, one row per token id (single characters: zero).
const TINY_TABLE = Float32Array.from([
  ...Array.from({ length: 6 * 3 }, () => 0),
  ...[1, 0, 0],
  ...[0, 1, 0],
  ...[0, 0, 1],
  ...[1, 1, 0],
  ...Array.from({ length: 11 * 3 }, () => 0),
]);

function normalised(v: number[]): number[] {
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return v.map((x) => x / n);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('StaticSentenceEncoder: tokenisation and pooling', () => {
  it('tokenises with the package sentencepiece tokenizer', () => {
    const encoder = new StaticSentenceEncoder({ vocabulary: TINY, table: TINY_TABLE, dimensions: 3 });
    expect(encoder.tokenize('book a flight')).toEqual([6, 7, 8]);
    expect(encoder.tokenize('book flights')).toEqual([6, 8, 9]);
    // The real vocabulary: "the" is the single piece "▁the" (id 9), as the model itself sees it.
    const real = packageVocabulary();
    expect(packageTokenizer(real).encode('the')).toEqual([9]);
    expect(real[9]![0]).toBe('\u2581the');
  });

  it('is the L2-normalised mean of the token vectors (uniform weighting)', async () => {
    const encoder = new StaticSentenceEncoder({ vocabulary: TINY, table: TINY_TABLE, dimensions: 3 });
    const [v] = await encoder.encode(['book flights']);
    // rows 6, 8, 9: (1,0,0) + (0,0,1) + (1,1,0) = (2,1,1)
    expect(maxAbsDiff(v!, normalised([2, 1, 1]))).toBeLessThan(1e-6);
    expect(Array.from(encoder.encodeOne(''))).toEqual([0, 0, 0]);
  });

  it('weights tokens by smooth inverse frequency a / (a + p)', () => {
    const a = 0.01;
    const encoder = new StaticSentenceEncoder({
      vocabulary: TINY,
      table: TINY_TABLE,
      dimensions: 3,
      weighting: { kind: 'sif', a },
    });
    const w = (logProb: number) => a / (a + Math.exp(logProb));
    const expected = normalised([w(-6), w(-3), w(-7)]); // book, a, flight: one axis each
    expect(maxAbsDiff(encoder.encodeOne('book a flight'), expected)).toBeLessThan(1e-6);
    // The frequent "a" weighs less than the rare "flight".
    const weights = tokenWeights(TINY, { kind: 'sif', a });
    expect(weights[7]!).toBeLessThan(weights[8]!);
    expect(encoder.name).toContain('sif-0.01');
  });

  it('projects out the unigram-expected common direction when asked', () => {
    const weights = tokenWeights(TINY, { kind: 'uniform' });
    const common = commonDirection(TINY, TINY_TABLE, weights, 3);
    // Σ p(t)·v(t): book e^-6 (1,0,0), a e^-3 (0,1,0), flight e^-7 (0,0,1), s e^-3.5 (1,1,0).
    const p = (lp: number) => Math.exp(lp);
    const expected = normalised([p(-6) + p(-3.5), p(-3) + p(-3.5), p(-7)]);
    expect(maxAbsDiff(common, expected)).toBeLessThan(1e-6);
    const encoder = new StaticSentenceEncoder({
      vocabulary: TINY,
      table: TINY_TABLE,
      dimensions: 3,
      removeCommonDirection: true,
    });
    const v = encoder.encodeOne('book flights');
    const dot = v.reduce((s, x, j) => s + x * common[j]!, 0);
    expect(Math.abs(dot)).toBeLessThan(1e-6);
    expect(Math.hypot(...v)).toBeCloseTo(1, 6);
    expect(encoder.name).toContain('common-removed');
  });

  it('rejects a table of the wrong size', () => {
    expect(
      () => new StaticSentenceEncoder({ vocabulary: TINY, table: new Float32Array(5), dimensions: 3 }),
    ).toThrow(/token table/);
  });
});

describe('StaticSentenceEncoder: token table from the real USE-lite model', () => {
  const real = new EmbeddedSentenceEncoder();
  const dir = mkdtempSync(join(tmpdir(), 'static-encoder-'));
  afterAll(async () => {
    await real.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const vocabulary = packageVocabulary();
  const subset = vocabulary.slice(0, 40);

  it('builds the same table twice, and one row is the model run on that token alone', async () => {
    const ids = subset.map((_, id) => id);
    const first = await buildTokenTable(real, ids, 512, 16);
    const second = await buildTokenTable(real, ids, 512, 16);
    expect(first).toHaveLength(40 * 512);
    expect(maxAbsDiff(first, second)).toBe(0);
    const [alone] = await real.encodeTokenIds([[9]]);
    expect(maxAbsDiff(first.subarray(9 * 512, 10 * 512), alone!)).toBeLessThan(1e-5);
  });

  it('caches the table and rebuilds it deterministically when missing or stale', async () => {
    const path = join(dir, 'tokens.f32');
    const built = await loadOrBuildTokenTable(path, subset);
    const bytes = readFileSync(path);
    expect(bytes.byteLength).toBe(40 * 512 * 4);
    const cached = await loadOrBuildTokenTable(path, subset);
    expect(maxAbsDiff(cached, built)).toBe(0);
    // A header from another encoder version is not trusted: the table is rebuilt, to the same bytes.
    writeFileSync(`${path}.json`, JSON.stringify({ encoder: 'other', vocabularySize: 40, dimensions: 512 }));
    writeFileSync(path, Buffer.alloc(bytes.byteLength));
    const rebuilt = await loadOrBuildTokenTable(path, subset);
    expect(maxAbsDiff(rebuilt, built)).toBe(0);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('equals the real encoder (normalised) for a one-token sentence', async () => {
    const table = new Float32Array(vocabulary.length * 512);
    const ids = [9, 28]; // "▁the", "▁with"
    const rows = await buildTokenTable(real, ids);
    ids.forEach((id, i) => table.set(rows.subarray(i * 512, (i + 1) * 512), id * 512));
    const encoder = new StaticSentenceEncoder({ vocabulary, table });
    for (const text of ['the', vocabulary[28]![0].replace('\u2581', '')]) {
      expect(encoder.tokenize(text)).toHaveLength(1);
      const [expected] = await real.encode([text]);
      expect(maxAbsDiff(encoder.encodeOne(text), normalised(expected!))).toBeLessThan(1e-5);
    }
  });
});
