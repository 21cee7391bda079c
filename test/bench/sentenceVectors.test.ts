import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Encoder } from '../../src/encoder';
import {
  docUnits,
  encodeMissing,
  loadSentenceVectors,
  rerankedIds,
  unitVector,
} from '../../bench/sentenceVectors';

/** A deterministic stand-in encoder that records what it was asked to encode. */
function countingEncoder(name = 'fake@1'): Encoder & { seen: string[] } {
  const seen: string[] = [];
  return {
    name,
    dimensions: 3,
    seen,
    encode: async (texts) => {
      seen.push(...texts);
      return texts.map((t) => [t.length, t.includes('warm') ? 10 : 0, 1]);
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'scifact-sentences-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const docs = [
  { id: 'd1', title: 'Cold storage', text: 'Samples were kept cold. Nothing else changed at all.' },
  { id: 'd2', title: 'Heat', text: 'The room was warm during the whole test. It was measured daily.' },
];

describe('sentence-level vectors of a BEIR corpus (bench/sentenceVectors.ts)', () => {
  it('encodes the title and each sentence separately', () => {
    expect(docUnits(docs[0]!)).toEqual([
      'Cold storage',
      'Samples were kept cold.',
      'Nothing else changed at all.',
    ]);
  });

  it('appends as it goes, reloads, and encodes only what is missing (a cut-off last line included)', async () => {
    const path = join(dir, 'v.jsonl');
    const first = countingEncoder();
    const cache = loadSentenceVectors(path, first.name);
    const r = await encodeMissing(docs.slice(0, 1), cache, first, path, 1);
    expect(r).toMatchObject({ docsEncoded: 1, unitsEncoded: 3 });
    appendFileSync(path, '{"id":"d2","enc'); // a run stopped mid-line
    const second = countingEncoder();
    const reloaded = loadSentenceVectors(path, second.name);
    expect([...reloaded.keys()]).toEqual(['d1']);
    expect(reloaded.get('d1')![1]).toEqual(cache.get('d1')![1]);
    await encodeMissing(docs, reloaded, second, path);
    expect(second.seen).toEqual(docUnits(docs[1]!));
    expect([...loadSentenceVectors(path, second.name).keys()]).toEqual(['d1', 'd2']);
    // Another encoder's vectors are not used.
    expect(loadSentenceVectors(path, 'other@1').size).toBe(0);
  });

  it('re-ranks only the top k and keeps the rest in BM25 order', async () => {
    const path = join(dir, 'r.jsonl');
    const enc = countingEncoder();
    const cache = loadSentenceVectors(path, enc.name);
    await encodeMissing(docs, cache, enc, path);
    const [q] = await enc.encode(['warm']);
    const prepared = {
      id: 'q',
      bm25: [
        { id: 'd1', score: 5 },
        { id: 'd2', score: 4.9 },
        { id: 'x', score: 1 },
      ],
      vector: unitVector(q!),
    };
    const of = (id: string) => cache.get(id);
    expect(rerankedIds(prepared, { k: 2, fusion: 'convex', denseWeight: 0.6, meanWeight: 0 }, of)).toEqual([
      'd2',
      'd1',
      'x',
    ]);
    expect(rerankedIds(prepared, { k: 1, fusion: 'convex', denseWeight: 0.6, meanWeight: 0 }, of)).toEqual([
      'd1',
      'd2',
      'x',
    ]);
    expect(rerankedIds(prepared, { k: 2, fusion: 'rrf', denseWeight: 2, meanWeight: 0 }, of)).toEqual([
      'd2',
      'd1',
      'x',
    ]);
  });
});
