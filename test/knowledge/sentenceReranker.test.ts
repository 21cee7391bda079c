import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Encoder } from '../../src/encoder';
import {
  answerExtractively,
  EmbeddedKnowledgeSearch,
  type KnowledgeChunk,
  type KnowledgeHit,
} from '../../src/knowledge';
import { namesIn, rerankedRelevance } from '../../src/knowledge/answers';

/** Unit vector along axis `i` of a 4-d space, optionally tilted towards axis `j`. */
function axis(i: number, j?: number, tilt = 0): Float32Array {
  const v = new Float32Array(4);
  v[i] = 1;
  if (j !== undefined) v[j] = tilt;
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

function hit(content: string, vectors?: Record<string, Float32Array>, query?: Float32Array): KnowledgeHit {
  return {
    id: 'c1',
    content,
    title: 'Returns and refunds',
    headingPath: [],
    source: 'docs/returns.md',
    groups: ['everyone'],
    score: 1,
    ...(vectors && query ? { sentenceVectors: { query, units: new Map(Object.entries(vectors)) } } : {}),
  };
}

const SETTINGS = { semanticWeight: 0, minRelevance: 0.75, rescueSimilarity: 0.6 };

describe('rerankedRelevance (the sentence re-ranker)', () => {
  it('leaves the lexical score alone without sentence vectors', () => {
    const lexical = { relevance: 0.5, qualifies: true };
    expect(rerankedRelevance(lexical, undefined, SETTINGS)).toEqual(lexical);
  });

  it('refuses a lexical match that is not close in meaning (relevance + cosine below the threshold)', () => {
    expect(rerankedRelevance({ relevance: 0.45, qualifies: true }, 0.2, SETTINGS).qualifies).toBe(false);
    expect(rerankedRelevance({ relevance: 0.45, qualifies: true }, 0.4, SETTINGS).qualifies).toBe(true);
  });

  it('lets a paraphrase qualify by meaning when it shares too few words', () => {
    expect(rerankedRelevance({ relevance: 0.3, qualifies: false }, 0.55, SETTINGS).qualifies).toBe(false);
    expect(rerankedRelevance({ relevance: 0.3, qualifies: false }, 0.65, SETTINGS).qualifies).toBe(true);
  });

  it('adds the weighted cosine to the relevance used for ranking', () => {
    const r = rerankedRelevance({ relevance: 0.5, qualifies: true }, 0.8, {
      ...SETTINGS,
      semanticWeight: 0.25,
    });
    expect(r.relevance).toBeCloseTo(0.7);
  });
});

describe('answerExtractively with sentence vectors', () => {
  const content =
    'Card refunds appear on your statement within 5 to 10 business days. PayPal refunds usually arrive within 24 hours.';
  const card = 'Card refunds appear on your statement within 5 to 10 business days.';
  const paypal = 'PayPal refunds usually arrive within 24 hours.';

  it('drops a sentence that shares the words but not the meaning for the one close in meaning', () => {
    // Lower case: a capitalised "PayPal" is a name, and only a sentence saying it answers (namesIn).
    const question = 'refund from paypal on my account when?';
    const lexical = answerExtractively(question, [hit(content)]);
    expect('notFound' in lexical ? '' : lexical.text).toContain('Card refunds');
    const answer = answerExtractively(
      question,
      [hit(content, { [card]: axis(1), [paypal]: axis(0, 1, 0.3) }, axis(0))],
      SETTINGS,
    );
    expect('notFound' in answer ? '' : answer.text).toBe(`${paypal} [1]`);
  });

  it('refuses when the sentence that shares the words is far from the question in meaning', () => {
    const question = 'How long do card refunds take?';
    const lexical = answerExtractively(question, [hit(content)]);
    expect('notFound' in lexical ? '' : lexical.text).toContain('Card refunds');
    const far = answerExtractively(
      question,
      [hit(content, { [card]: axis(1), [paypal]: axis(2) }, axis(0))],
      {
        ...SETTINGS,
        minRelevance: 1.5,
      },
    );
    expect(far).toEqual({ notFound: true });
    const near = answerExtractively(
      question,
      [hit(content, { [card]: axis(0), [paypal]: axis(2) }, axis(0))],
      SETTINGS,
    );
    expect('notFound' in near ? '' : near.text).toContain('Card refunds');
  });

  it('is lexical when a candidate sentence has no vector (encoding not finished)', () => {
    const question = 'refund from PayPal on my account when?';
    const partial = answerExtractively(question, [hit(content, { [paypal]: axis(0) }, axis(0))], SETTINGS);
    expect(partial).toEqual(answerExtractively(question, [hit(content)]));
  });

  it('refuses a question naming something no retrieved document mentions', () => {
    const stores = hit(
      'Our stores are open Monday to Saturday from 10 am to 9 pm. You can return items at any store.',
    );
    expect(answerExtractively('is there a store in Berlin?', [stores])).toEqual({
      notFound: true,
      unknownName: 'Berlin',
    });
    const open = answerExtractively('are the stores open on Saturday?', [stores]);
    expect('notFound' in open ? '' : open.text).toContain('Monday to Saturday');
  });

  it('reads a lower-case place or brand after a preposition as a name, but not "in early December"', () => {
    expect(namesIn('is there a store in berlin')).toEqual(['berlin']);
    expect(namesIn('can I pay with klarna?')).toEqual(['klarna']);
    expect(namesIn('Can I pay with PayPal?')).toEqual(['paypal']);
    expect(namesIn('I bought it in early December, is it too late in January?')).toEqual([]);
    expect(namesIn('do you ship to Germany?')).toEqual([]);
    const stores = hit('Our stores are open Monday to Saturday. You can return items at any store.');
    expect(answerExtractively('is there a store in berlin', [stores])).toEqual({
      notFound: true,
      unknownName: 'berlin',
    });
  });

  it('answers a question with a name only from a sentence that says the name and more of the question', () => {
    const payments = [
      hit('Import duties are included in the price, so there is nothing to pay on delivery.'),
      hit('Refunds go to the original payment method. PayPal refunds usually arrive within 24 hours.'),
    ];
    // The duties sentence does not say PayPal; the PayPal sentence says nothing else the question asks.
    expect(answerExtractively('can I pay with PayPal?', payments)).toEqual({ notFound: true });
    const refund = answerExtractively('when do PayPal refunds arrive?', payments);
    expect('notFound' in refund ? '' : refund.text).toContain(
      'PayPal refunds usually arrive within 24 hours',
    );
  });
});

/** A deterministic bag-of-letters encoder that counts what it is asked to encode. */
function countingEncoder(): Encoder & { texts: string[] } {
  const texts: string[] = [];
  return {
    name: 'counting@1',
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

function chunk(id: string, content: string): KnowledgeChunk {
  return {
    id,
    content,
    title: 'Doc',
    headingPath: [],
    source: `docs/${id}.md`,
    groups: ['everyone'],
    contentHash: id,
    ordinal: 0,
  };
}

describe('sentence vectors of the embedded index (re-ranking only, BM25 ranking kept)', () => {
  it('encodes each sentence at ingest, persists it by content hash, and hands it to the answer step', async () => {
    const indexPath = path.join(mkdtempSync(path.join(tmpdir(), 'rerank-')), 'index.json');
    const first = countingEncoder();
    const a = new EmbeddedKnowledgeSearch({ indexPath, encoder: first, denseRetrieval: false });
    await a.upsert([
      chunk('a', 'Apples ripen in autumn. Pears ripen later.'),
      chunk('b', 'Bananas grow in the tropics.'),
    ]);
    expect(first.texts).toEqual(
      expect.arrayContaining([
        'Apples ripen in autumn.',
        'Pears ripen later.',
        'Bananas grow in the tropics.',
      ]),
    );
    const hits = await a.search('when do pears ripen', { groups: [] });
    expect(hits[0]?.id).toBe('a');
    expect([...hits[0]!.sentenceVectors!.units.keys()]).toEqual([
      'Apples ripen in autumn.',
      'Pears ripen later.',
    ]);
    await a.close();

    const second = countingEncoder();
    const b = new EmbeddedKnowledgeSearch({ indexPath, encoder: second, denseRetrieval: false });
    await b.search('bananas', { groups: [] });
    expect(second.texts).toEqual(['bananas']); // the query once; every sentence came from the file
    await b.upsert([chunk('b', 'Bananas grow in the tropics. Mangoes too.')]);
    expect(second.texts.slice(1)).toEqual(
      expect.arrayContaining(['Doc\nBananas grow in the tropics. Mangoes too.', 'Mangoes too.']),
    );
    expect(second.texts).not.toContain('Apples ripen in autumn.');
    await b.close();
  });

  it('answers lexically, without waiting for the encoder, until the sentences are encoded', async () => {
    const indexPath = path.join(mkdtempSync(path.join(tmpdir(), 'rerank-')), 'index.json');
    const plain = new EmbeddedKnowledgeSearch({ indexPath });
    await plain.upsert([chunk('a', 'Apples ripen in autumn.')]);
    await plain.close();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const inner = countingEncoder();
    const slow: Encoder = { ...inner, encode: async (t) => (await gate, inner.encode(t)) };
    const s = new EmbeddedKnowledgeSearch({ indexPath, encoder: slow, denseRetrieval: false });
    const hits = await s.search('apples', { groups: [] }); // returns although the encoder is held
    expect(hits[0]?.id).toBe('a');
    expect(hits[0]?.sentenceVectors).toBeUndefined();
    release();
    await s.close(); // waits for the background encoding
  });
});
