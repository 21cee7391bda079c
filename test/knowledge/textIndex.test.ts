import { describe, expect, it } from 'vitest';
import { TextIndex } from '../../src/knowledge/textIndex';

/** 10 documents: "common" is in all of them, "shared" in 3, "rare" in 1. */
function docs() {
  return Array.from({ length: 10 }, (_, i) => ({
    id: `d${i}`,
    title: i < 3 ? 'shared topic' : 'other',
    text: `common words ${i === 7 ? 'rare' : ''} number ${i}`,
  }));
}

describe('TextIndex document frequency and common-term cutoff', () => {
  it('counts each document once per term across fields, and forgets removed documents', () => {
    const index = TextIndex.create({ fields: ['title', 'text'] as const });
    index.addAll([...docs(), { id: 'x', title: 'rare', text: 'rare rare' }]);
    expect(index.documentFrequency('common')).toBe(10);
    expect(index.documentFrequency('share')).toBe(3); // stemmed, as the analyzer stores it
    expect(index.documentFrequency('rare')).toBe(2); // d7 and x (x has it in both fields)
    expect(index.documentFrequency('absent')).toBe(0);
    index.remove('x');
    index.put({ id: 'd7', title: 'other', text: 'changed' });
    expect(index.search('rare', 5)).toEqual([]);
  });

  it('skips terms above the document fraction once the index is large enough', () => {
    const pruning = TextIndex.create({
      fields: ['title', 'text'] as const,
      commonTermCutoff: { maxDocFraction: 0.5, minDocuments: 5 },
    });
    pruning.addAll(docs());
    // "common" (10/10 docs) is dropped, so only the "rare" document matches.
    expect(pruning.search('common rare', 10).map((r) => r.id)).toEqual(['d7']);
    // A query made only of common terms keeps them rather than returning nothing.
    expect(pruning.search('common', 20)).toHaveLength(10);
  });

  it('never prunes a small index or when switched off', () => {
    for (const cutoff of [
      { maxDocFraction: 0.5, minDocuments: 11 },
      { maxDocFraction: 1, minDocuments: 0 },
    ]) {
      const index = TextIndex.create({ fields: ['title', 'text'] as const, commonTermCutoff: cutoff });
      index.addAll(docs());
      const ids = index.search('common rare', 20).map((r) => r.id);
      expect(ids[0]).toBe('d7');
      expect(ids).toHaveLength(10);
    }
  });
});
