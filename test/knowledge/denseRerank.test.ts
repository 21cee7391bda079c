import { describe, expect, it } from 'vitest';
import { denseRerank, sentenceScore } from '../../src/knowledge/denseRerank';

const v = (...xs: number[]) => {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs.map((x) => x / n));
};

describe('dense re-ranking of BM25 candidates by their best sentence', () => {
  const query = v(1, 0, 0);
  // b's second sentence says what the query asks; a and c have nothing close.
  const sentences: Record<string, Float32Array[]> = {
    a: [v(0, 1, 0), v(0.2, 1, 0)],
    b: [v(0, 0, 1), v(1, 0.1, 0)],
    c: [v(0.3, 1, 0)],
  };
  const bm25 = [
    { id: 'a', score: 9 },
    { id: 'b', score: 8 },
    { id: 'c', score: 2 },
  ];

  it('scores a document by its best sentence, plus a share of the mean when asked', () => {
    expect(sentenceScore(query, sentences.b!)).toBeCloseTo(v(1, 0.1, 0)[0]!, 6);
    expect(sentenceScore(query, sentences.b!, 0.5)).toBeCloseTo(
      v(1, 0.1, 0)[0]! + 0.5 * (v(1, 0.1, 0)[0]! / 2),
      6,
    );
    expect(sentenceScore(query, [])).toBeUndefined();
  });

  it('keeps BM25 order at weight 0 and lets the best sentence lift a close second', () => {
    const of = (id: string) => sentences[id];
    expect(denseRerank(bm25, query, of, { denseWeight: 0 }).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    const fused = denseRerank(bm25, query, of, { denseWeight: 0.5 });
    expect(fused.map((r) => r.id)).toEqual(['b', 'a', 'c']);
    // (1 - w)·minmax(bm25) + w·minmax(dense): b = 0.5·6/7 + 0.5·1.
    expect(fused[0]!.score).toBeCloseTo(0.5 * (6 / 7) + 0.5, 6);
    // Re-ranking never brings in anything BM25 did not find.
    expect(fused.map((r) => r.id).sort()).toEqual(['a', 'b', 'c']);
  });

  it('a candidate without vectors keeps its BM25 score in place of the dense one', () => {
    const fused = denseRerank(bm25, query, (id) => (id === 'a' ? undefined : sentences[id]), {
      denseWeight: 0.5,
    });
    expect(fused.find((r) => r.id === 'a')!.score).toBeCloseTo(1, 6);
    expect(fused.map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });
});
