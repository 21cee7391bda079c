import { describe, expect, it } from 'vitest';
import {
  accuracy,
  answerSentences,
  confusionMatrix,
  faithfulness,
  lcsLength,
  macroF1,
  ndcgAt,
  recallAt,
  recallCurve,
  rougeL,
  sourceMatches,
  tokenize,
} from '../../bench/eval/metrics';

describe('retrieval metrics', () => {
  const rel = new Map([
    ['d1', 1],
    ['d2', 1],
  ]);

  it('nDCG@k is 1 for an ideal ranking and uses the log2 discount otherwise', () => {
    expect(ndcgAt(10, ['d1', 'd2', 'x'], rel)).toBeCloseTo(1, 10);
    // one relevant doc at rank 2: dcg = 1/log2(3); idcg = 1 + 1/log2(3)
    const expected = 1 / Math.log2(3) / (1 + 1 / Math.log2(3));
    expect(ndcgAt(10, ['x', 'd1'], rel)).toBeCloseTo(expected, 10);
    expect(ndcgAt(1, ['x', 'd1', 'd2'], rel)).toBe(0);
  });

  it('recall@k counts relevant docs within the cut-off', () => {
    expect(recallAt(1, ['d1', 'd2'], rel)).toBe(0.5);
    expect(recallAt(2, ['d1', 'd2'], rel)).toBe(1);
    expect(recallAt(5, ['x', 'y'], rel)).toBe(0);
  });

  it('recall curve averages recall@k over queries', () => {
    const rankings = new Map([
      ['q1', ['d1', 'x', 'd2']],
      ['q2', ['y', 'e1']],
    ]);
    const qrels = new Map([
      ['q1', rel],
      ['q2', new Map([['e1', 1]])],
    ]);
    expect(recallCurve(rankings, qrels, [1, 2, 3])).toEqual([
      { k: 1, recall: 0.25 },
      { k: 2, recall: 0.75 },
      { k: 3, recall: 1 },
    ]);
  });
});

describe('ROUGE-L', () => {
  it('computes the LCS of token lists', () => {
    expect(lcsLength(['a', 'b', 'c', 'd'], ['a', 'c', 'd', 'e'])).toBe(3);
    expect(lcsLength([], ['a'])).toBe(0);
  });

  it('scores precision, recall and F1 from the LCS', () => {
    // LCS("the cat sat", "the cat sat down") = 3 → P = 1, R = 0.75, F = 6/7
    const score = rougeL('The cat sat.', 'the cat sat down');
    expect(score.precision).toBe(1);
    expect(score.recall).toBe(0.75);
    expect(score.f).toBeCloseTo(6 / 7, 10);
    expect(rougeL('nothing shared', 'at all').f).toBe(0);
    expect(rougeL('', 'x').f).toBe(0);
  });

  it('tokenizes case-insensitively on letters and digits', () => {
    expect(tokenize('Return 7.95 USD, ok?')).toEqual(['return', '7', '95', 'usd', 'ok']);
  });
});

describe('classification metrics', () => {
  const gold = ['a', 'a', 'b', 'b', 'c'];
  const pred = ['a', 'b', 'b', 'b', 'a'];

  it('accuracy and macro-F1', () => {
    expect(accuracy(gold, pred)).toBe(0.6);
    // F1(a) = 2·1/(2+1+1) = 0.5, F1(b) = 2·2/(4+1+0) = 0.8, F1(c) = 0
    expect(macroF1(gold, pred, ['a', 'b', 'c'])).toBeCloseTo((0.5 + 0.8 + 0) / 3, 10);
  });

  it('confusion matrix counts gold rows against predicted columns and appends unseen labels', () => {
    const cm = confusionMatrix(gold, [...pred.slice(0, 4), 'z'], ['a', 'b', 'c']);
    expect(cm.labels).toEqual(['a', 'b', 'c', 'z']);
    expect(cm.matrix).toEqual([
      [1, 1, 0, 0],
      [0, 2, 0, 0],
      [0, 0, 0, 1],
      [0, 0, 0, 0],
    ]);
    expect(() => confusionMatrix(['a'], [])).toThrow(/length/);
  });
});

describe('faithfulness', () => {
  const chunks = new Map([
    [1, 'You can return an unused item within 30 days of delivery for a full refund.'],
    [2, 'Standard shipping takes 3 to 5 business days.'],
  ]);

  it('splits sentences keeping citation markers attached', () => {
    expect(answerSentences('First one. [1] Second one [2]. Third!')).toEqual([
      'First one. [1]',
      'Second one [2].',
      'Third!',
    ]);
  });

  it('supports a sentence copied from the chunk it cites', () => {
    const r = faithfulness(
      'You can return an unused item within 30 days of delivery for a full refund. [1]',
      chunks,
    );
    expect(r.score).toBe(1);
    expect(r.sentences[0]!.supported).toBe(true);
  });

  it('does not support a sentence whose words are in a chunk it does not cite', () => {
    const r = faithfulness('Standard shipping takes 3 to 5 business days. [1]', chunks);
    expect(r.score).toBe(0);
    expect(faithfulness('Standard shipping takes 3 to 5 business days. [2]', chunks).score).toBe(1);
  });

  it('counts unsupported invented sentences against the answer', () => {
    const r = faithfulness(
      'Standard shipping takes 3 to 5 business days [2]. Drones deliver parcels on Mars overnight [2].',
      chunks,
    );
    expect(r.score).toBe(0.5);
    expect(r.sentences[1]!.supported).toBe(false);
  });

  it('rejects a bad threshold and scores an empty answer 0', () => {
    expect(() => faithfulness('x', chunks, 0)).toThrow(RangeError);
    expect(faithfulness('', chunks).score).toBe(0);
  });
});

describe('sourceMatches', () => {
  const expected = {
    source: 'customer-service/shipping.md',
    url: 'https://x.example/shipping',
    title: 'Shipping and delivery',
  };
  it('accepts the path (with any prefix), the URL or the title', () => {
    expect(sourceMatches('data/knowledge/customer-service/shipping.md', expected)).toBe(true);
    expect(sourceMatches('https://x.example/shipping', expected)).toBe(true);
    expect(sourceMatches('Shipping and delivery', expected)).toBe(true);
    expect(sourceMatches('data/knowledge/customer-service/warranty.pdf', expected)).toBe(false);
    expect(sourceMatches('', expected)).toBe(false);
  });
});
