import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import type { KnowledgeHit } from '../../src/knowledge';
import { knowledgeReturnsPolicy } from '../../src/returns/returnsPolicy';

const hit = (over: Partial<KnowledgeHit>): KnowledgeHit =>
  ({
    id: 'c1',
    content: 'text',
    title: 'Shipping',
    headingPath: [],
    source: 'customer-service/shipping.md',
    groups: ['everyone'],
    score: 1,
    ...over,
  }) as KnowledgeHit;

describe('returns policy', () => {
  it('the sample policy states the same window as the RETURN_WINDOW_DAYS default', () => {
    const policy = readFileSync(
      resolve(__dirname, '../../data/knowledge/customer-service/returns-and-refunds.md'),
      'utf8',
    );
    const days = Number(/within (\d+) days of delivery/.exec(policy)?.[1]);
    expect(days).toBe(loadConfig({}).returns.windowDays);
    expect(days).toBe(30);
  });

  it('cites the returns document found in documents for everyone, and searches once', async () => {
    const queries: { groups: string[] }[] = [];
    const source = knowledgeReturnsPolicy({
      search: async (_q, opts) => {
        queries.push(opts);
        return [
          hit({}),
          hit({
            id: 'r2',
            title: 'Returns and refunds policy',
            source: 'customer-service/returns-and-refunds.md',
            url: 'https://support.example/returns',
            content: 'You can return an unused item within 30 days of delivery for a full refund.',
          }),
        ];
      },
    });
    const citation = await source.citation();
    expect(citation).toMatchObject({
      index: 1,
      title: 'Returns and refunds policy',
      url: 'https://support.example/returns',
      chunkId: 'r2',
    });
    expect(await source.citation()).toEqual(citation);
    expect(queries).toEqual([{ groups: ['everyone'], top: 5 }]);
  });

  it('answers without a citation when the search fails or finds no returns document', async () => {
    const failing = knowledgeReturnsPolicy({
      search: async () => {
        throw new Error('search down');
      },
    });
    expect(await failing.citation()).toBeUndefined();
    expect(await knowledgeReturnsPolicy({ search: async () => [hit({})] }).citation()).toBeUndefined();
  });
});
