import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildIndex,
  evaluate,
  loadCorpus,
  loadQrels,
  loadQueries,
  ndcgAt,
  percentile,
  recallAt,
  replicate,
  splitOf,
} from '../../bench/retrievalLib';

describe('retrieval benchmark code path on a tiny BEIR fixture', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beir-'));
    const docs = [
      {
        _id: 'd1',
        title: 'Vitamin D and bone density',
        text: 'Vitamin D supplementation increases bone mineral density in older adults.',
      },
      { _id: 'd2', title: 'Aspirin and stroke', text: 'Daily aspirin reduces the risk of ischemic stroke.' },
      { _id: 'd3', title: 'Bone fractures', text: 'Fractures are common in older adults with osteoporosis.' },
      { _id: 'd4', title: 'Sleep', text: 'Sleep deprivation impairs memory consolidation.' },
    ];
    await writeFile(
      join(dir, 'corpus.jsonl'),
      docs.map((d) => JSON.stringify({ ...d, metadata: {} })).join('\n'),
    );
    await writeFile(
      join(dir, 'queries.jsonl'),
      [
        JSON.stringify({ _id: 'q1', text: 'Vitamin D supplements improve bone density.' }),
        JSON.stringify({ _id: 'q2', text: "Aspirin's effect on strokes" }),
      ].join('\n'),
    );
    await writeFile(join(dir, 'qrels.tsv'), 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads BEIR files, ranks with the embedded engine and scores nDCG/recall', () => {
    const docs = loadCorpus(join(dir, 'corpus.jsonl'));
    const queries = loadQueries(join(dir, 'queries.jsonl'));
    const qrels = loadQrels(join(dir, 'qrels.tsv'));
    expect(docs).toHaveLength(4);
    expect(qrels.get('q1')).toEqual(new Map([['d1', 1]]));
    const index = buildIndex(docs);
    expect(index.search("Aspirin's effect on strokes", 3)[0]!.id).toBe('d2'); // possessive + plural stemmed
    const result = evaluate(index, queries, qrels);
    expect(result.queries).toBe(2);
    expect(result.ndcgAt10).toBe(1);
    expect(result.recallAt100).toBe(1);
    expect(result.latenciesMs).toHaveLength(2);
  });

  it('computes metrics like trec_eval', () => {
    const rel = new Map([
      ['a', 1],
      ['b', 1],
    ]);
    // a at rank 2, b absent: DCG = 1/log2(3); IDCG = 1 + 1/log2(3)
    expect(ndcgAt(10, ['x', 'a', 'y'], rel)).toBeCloseTo(1 / Math.log2(3) / (1 + 1 / Math.log2(3)), 10);
    expect(recallAt(100, ['x', 'a'], rel)).toBe(0.5);
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
  });

  it('replicates a corpus with unique ids and splits queries deterministically', () => {
    const big = replicate(loadCorpus(join(dir, 'corpus.jsonl')), 10);
    expect(big).toHaveLength(10);
    expect(new Set(big.map((d) => d.id)).size).toBe(10);
    const splits = Array.from({ length: 200 }, (_, i) => splitOf(String(i)));
    expect(splits.filter((s) => s === 'tune').length).toBeGreaterThan(50);
    expect(splits.filter((s) => s === 'tune').length).toBeLessThan(110);
    expect(splitOf('42')).toBe(splitOf('42'));
  });
});
