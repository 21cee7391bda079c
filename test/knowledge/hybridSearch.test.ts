import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedSentenceEncoder, type Encoder } from '../../src/encoder';
import {
  EmbeddedKnowledgeSearch,
  ingestFolder,
  SAMPLE_KNOWLEDGE_DIR,
  type KnowledgeChunk,
} from '../../src/knowledge';
import { EMBEDDED_MIN_SIMILARITY } from '../../src/knowledge/factory';
import { SAMPLE_GROUPS } from '../helpers/sampleGroups';

describe('hybrid search with the embedded sentence encoder (sample knowledge base)', () => {
  let search: EmbeddedKnowledgeSearch;
  let bm25: EmbeddedKnowledgeSearch;
  beforeAll(async () => {
    search = new EmbeddedKnowledgeSearch({
      indexPath: null,
      encoder: new EmbeddedSentenceEncoder(),
      minSimilarity: EMBEDDED_MIN_SIMILARITY,
      // These tests are about the dense leg: never fall back to BM25 on a busy machine.
      queryEncodeTimeoutMs: 30_000,
    });
    bm25 = new EmbeddedKnowledgeSearch({ indexPath: null });
    const sourceRoot = path.resolve(SAMPLE_KNOWLEDGE_DIR, '..', '..');
    await ingestFolder(SAMPLE_KNOWLEDGE_DIR, search, { sourceRoot });
    await ingestFolder(SAMPLE_KNOWLEDGE_DIR, bm25, { sourceRoot });
  }, 60_000);
  afterAll(async () => {
    await search?.close();
    await bm25?.close();
  });

  it('finds the HR handbook for "How many vacation days do I get?" for an hr user', async () => {
    const hits = await search.search('How many vacation days do I get?', {
      groups: [SAMPLE_GROUPS.hr],
      top: 3,
    });
    expect(hits[0]?.source).toMatch(/employee-handbook/);
  });

  it('never shows the handbook to a user outside hr, on either leg', async () => {
    const hits = await search.search('How many vacation days do I get?', { groups: [], top: 10 });
    expect(hits.map((h) => h.source).join(' ')).not.toMatch(/employee-handbook|legal\//);
  });

  it('finds returns or warranty for "can I get my money back if the thing I bought is broken?"', async () => {
    const q = 'can I get my money back if the thing I bought is broken?';
    const hits = await search.search(q, { groups: [], top: 3 });
    expect(hits[0]?.source).toMatch(/returns-and-refunds|warranty/);
  });
});

/** A deterministic bag-of-letters encoder that counts what it is asked to encode. */
function countingEncoder(name = 'counting@1'): Encoder & { texts: string[] } {
  const texts: string[] = [];
  return {
    name,
    dimensions: 26,
    texts,
    encode: async (input) => {
      texts.push(...input);
      return input.map((t) => {
        const v = new Array<number>(26).fill(0);
        for (const ch of t.toLowerCase()) {
          const i = ch.charCodeAt(0) - 97;
          if (i >= 0 && i < 26) v[i]!++;
        }
        return v;
      });
    },
  };
}

function chunk(id: string, content: string, groups = ['everyone']): KnowledgeChunk {
  return {
    id,
    content,
    title: 'Doc',
    headingPath: [],
    source: `docs/${id}.md`,
    groups,
    contentHash: id,
    ordinal: 0,
  };
}

describe('vector cache beside the index file', () => {
  it('reuses vectors after a restart and encodes only changed chunks', async () => {
    const indexPath = path.join(mkdtempSync(path.join(tmpdir(), 'vec-')), 'index.json');
    const first = countingEncoder();
    const a = new EmbeddedKnowledgeSearch({ indexPath, encoder: first });
    await a.upsert([chunk('a', 'alpha apples'), chunk('b', 'bravo bananas'), chunk('c', 'charlie cherries')]);
    await a.close();
    // Each chunk and its one sentence (the answer step's re-ranker).
    expect(first.texts).toHaveLength(6);

    const second = countingEncoder();
    const b = new EmbeddedKnowledgeSearch({ indexPath, encoder: second });
    const hits = await b.search('bananas', { groups: [] });
    expect(hits[0]?.id).toBe('b');
    expect(second.texts).toEqual(['bananas']); // the query only
    await b.upsert([chunk('c', 'charlie cherries, now ripe')]);
    expect(second.texts).toHaveLength(3);
    expect(second.texts.slice(1)).toEqual([
      expect.stringContaining('now ripe'),
      'charlie cherries, now ripe',
    ]);
    await b.close();

    // Another encoder name: nothing cached applies, every chunk is encoded again.
    const third = countingEncoder('counting@2');
    const c = new EmbeddedKnowledgeSearch({ indexPath, encoder: third });
    await c.search('apples', { groups: [] }); // starts re-encoding in the background
    await c.close(); // waits for it
    expect(third.texts).toHaveLength(7);
  });

  it('applies the group filter to the dense leg', async () => {
    const encoder = countingEncoder();
    const s = new EmbeddedKnowledgeSearch({ indexPath: null, encoder });
    await s.upsert([chunk('secret', 'zzz qqq xxx', ['legal']), chunk('open', 'something else entirely')]);
    // Only the dense leg can match this query (no shared terms); the legal chunk is its best match.
    const outsider = await s.search('qqqzzzxxx', { groups: [] });
    expect(outsider.map((h) => h.id)).not.toContain('secret');
    const lawyer = await s.search('qqqzzzxxx', { groups: ['legal'] });
    expect(lawyer[0]?.id).toBe('secret');
  });
});

describe("hybrid 'sentences': BM25's candidates re-ranked by their best sentence", () => {
  it('lifts the chunk with a sentence close to the query and never adds a chunk BM25 missed', async () => {
    const encoder = countingEncoder();
    const s = new EmbeddedKnowledgeSearch({ indexPath: null, encoder, hybrid: 'sentences' });
    const lexical = new EmbeddedKnowledgeSearch({ indexPath: null });
    const chunks = [
      chunk('many', 'Refund terms vary by region and product line.'),
      // One sentence with exactly the query's letters (what the bag-of-letters encoder matches).
      chunk('one', 'Refund terms: smret dnufer. Shipping takes two days from the warehouse to you.'),
      chunk('desk', 'Our refund desk is open on weekdays from nine to five.'),
      chunk('form', 'Fill in the refund form online and keep the receipt with the box.'),
      // The query's letters but none of its words: the dense leg alone would rank it first.
      chunk('none', 'smret dnufer'),
    ];
    await s.upsert(chunks);
    await lexical.upsert(chunks);
    const query = 'refund terms';
    expect((await lexical.search(query, { groups: [] })).map((h) => h.id).slice(0, 2)).toEqual([
      'many',
      'one',
    ]);
    const hits = await s.search(query, { groups: [] });
    expect(hits.map((h) => h.id).slice(0, 2)).toEqual(['one', 'many']);
    expect(hits.map((h) => h.id)).not.toContain('none');
    await s.close();
    await lexical.close();
  });
});
