import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KnowledgeInputError, type KnowledgeChunk, type KnowledgeSearch } from '../../src/knowledge';

/**
 * The one contract every KnowledgeSearch backend must pass (embedded MiniSearch, Azure AI Search).
 * `factory` returns a fresh, empty backend.
 */
export function knowledgeSearchConformance(name: string, factory: () => Promise<KnowledgeSearch>): void {
  const chunk = (
    id: string,
    source: string,
    content: string,
    groups: string[],
    extra: Partial<KnowledgeChunk> = {},
  ): KnowledgeChunk => ({
    id,
    content,
    title: extra.title ?? `Title of ${source}`,
    headingPath: extra.headingPath ?? ['Section'],
    source,
    groups,
    contentHash: extra.contentHash ?? `hash-${source}`,
    ordinal: extra.ordinal ?? 0,
    ...extra,
  });

  const corpus = (): KnowledgeChunk[] => [
    chunk(
      'ret-0',
      'kb/returns.md',
      'Unused items can be returned within 30 days of delivery for a full refund.',
      ['everyone'],
      { headingPath: ['Returns', 'Return window'] },
    ),
    chunk(
      'ret-1',
      'kb/returns.md',
      'Card refunds appear on your statement within 5 to 10 business days.',
      ['everyone'],
      { ordinal: 1 },
    ),
    chunk(
      'ship-0',
      'kb/shipping.md',
      'Standard shipping takes 3 to 5 business days and is free on orders over 75 USD.',
      ['everyone'],
    ),
    chunk(
      'hb-2',
      'kb/handbook.pdf',
      'Full-time employees receive 25 days of paid annual leave per calendar year.',
      ['hr'],
      { page: 2 },
    ),
    chunk('ct-0', 'kb/contracts.docx', 'Supplier liability is capped at two times the annual fees.', [
      'legal',
    ]),
    chunk('q-0', 'kb/quoted.md', "Zanzibar escalation rota for O'Brien's team.", ["o'brien's team"]),
  ];

  describe(`KnowledgeSearch conformance: ${name}`, () => {
    let search: KnowledgeSearch;
    beforeEach(async () => {
      search = await factory();
      await search.upsert(corpus());
    });
    afterEach(async () => {
      await search.close();
    });

    it('finds a relevant chunk and returns its citation fields', async () => {
      const hits = await search.search('when do card refunds appear on my statement', { groups: [] });
      expect(hits[0]).toMatchObject({
        id: 'ret-1',
        source: 'kb/returns.md',
        title: 'Title of kb/returns.md',
        groups: ['everyone'],
      });
      expect(hits[0]!.score).toBeGreaterThan(0);
      const paged = await search.search('annual leave days', { groups: ['hr'] });
      expect(paged[0]).toMatchObject({ id: 'hb-2', page: 2, source: 'kb/handbook.pdf' });
      const withPath = await search.search('returned within 30 days', { groups: [] });
      expect(withPath[0]!.headingPath).toEqual(['Returns', 'Return window']);
    });

    it('hides restricted chunks from users outside their groups', async () => {
      const plain = await search.search('annual leave days employees', { groups: ['support'] });
      expect(plain.map((h) => h.id)).not.toContain('hb-2');
      const hr = await search.search('annual leave days employees', { groups: ['HR'] });
      expect(hr.map((h) => h.id)).toContain('hb-2');
      const legal = await search.search('annual leave days employees', { groups: ['legal'] });
      expect(legal.map((h) => h.id)).not.toContain('hb-2');
      expect((await search.search('supplier liability capped', { groups: ['legal'] }))[0]!.id).toBe('ct-0');
      expect(
        (await search.search('supplier liability capped', { groups: ['hr'] })).map((h) => h.id),
      ).not.toContain('ct-0');
    });

    it('matches group names containing quotes exactly', async () => {
      const member = await search.search('zanzibar escalation rota', { groups: ["O'Brien's team"] });
      expect(member.map((h) => h.id)).toContain('q-0');
      for (const groups of [["o'brien"], ["o'brien's team' or 1 eq 1"], ["') or true or ('"]]) {
        const outsider = await search.search('zanzibar escalation rota', { groups });
        expect(outsider.map((h) => h.id)).not.toContain('q-0');
      }
    });

    it('limits results to top', async () => {
      const hits = await search.search('days', { groups: ['hr'], top: 2 });
      expect(hits).toHaveLength(2);
    });

    it('replaces a chunk with the same id', async () => {
      await search.upsert([
        chunk(
          'ship-0',
          'kb/shipping.md',
          'Express shipping costs 14.95 USD and takes 1 to 2 business days.',
          ['everyone'],
        ),
      ]);
      const hits = await search.search('express shipping cost', { groups: [] });
      expect(hits[0]).toMatchObject({ id: 'ship-0' });
      expect(hits[0]!.content).toContain('14.95');
      expect(
        (await search.search('free on orders over 75', { groups: [] })).map((h) => h.content).join(' '),
      ).not.toContain('75 USD');
    });

    it('deletes every chunk of one source and lists sources with hashes', async () => {
      expect(await search.listSources()).toEqual(
        expect.arrayContaining([{ source: 'kb/returns.md', contentHash: 'hash-kb/returns.md', chunks: 2 }]),
      );
      expect(await search.deleteBySource('kb/returns.md')).toBe(2);
      expect(
        (await search.search('refund statement business days', { groups: [] })).map((h) => h.source),
      ).not.toContain('kb/returns.md');
      const sources = (await search.listSources()).map((s) => s.source);
      expect(sources).not.toContain('kb/returns.md');
      expect(sources).toContain('kb/shipping.md');
      expect(await search.deleteBySource('kb/none.md')).toBe(0);
    });

    it('rejects bad input with a clear error', async () => {
      await expect(search.search('   ', { groups: [] })).rejects.toBeInstanceOf(KnowledgeInputError);
      await expect(search.search('refund', { groups: [], top: 0 })).rejects.toBeInstanceOf(
        KnowledgeInputError,
      );
      await expect(search.search('refund', {} as never)).rejects.toBeInstanceOf(KnowledgeInputError);
      await expect(search.upsert([{ id: 'bad id!' } as never])).rejects.toBeInstanceOf(KnowledgeInputError);
    });

    it('reports health with the chunk count', async () => {
      const h = await search.health();
      expect(h.ok).toBe(true);
      expect(h.chunks).toBe(6);
    });
  });
}
