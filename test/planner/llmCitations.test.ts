import { describe, expect, it } from 'vitest';
import type { Citation } from '../../src/knowledge';
import {
  citationTitle,
  citeSources,
  clip,
  CLIENT_CITATION_LIMITS,
  toClientCitations,
} from '../../src/planner/citations';

const offered: Citation[] = [
  {
    index: 1,
    title: 'Shipping policy',
    source: 'data/knowledge/shipping.md',
    snippet: 'Orders ship within 2 business days.',
    chunkId: 'c1',
  },
  {
    index: 2,
    title: 'Employee handbook',
    source: 'data/knowledge/hr/handbook.pdf',
    page: 2,
    snippet: 'Employees accrue 25 days of leave per year.',
    chunkId: 'c2',
  },
  {
    index: 3,
    title: 'Returns',
    source: 'data/knowledge/returns.md',
    url: 'https://contoso.example/returns',
    snippet: 'Returns are accepted within 30 days of delivery.',
    chunkId: 'c3',
  },
];

describe('citeSources', () => {
  it('keeps only cited sources and renumbers them by first use', () => {
    const { text, cited } = citeSources(
      'Leave is 25 days [2]. Returns take 30 days [3]. Again [2].',
      offered,
    );
    expect(text).toBe('Leave is 25 days [1]. Returns take 30 days [2]. Again [1].');
    expect(cited.map((c) => [c.index, c.chunkId])).toEqual([
      [1, 'c2'],
      [2, 'c3'],
    ]);
  });

  it('understands [docN], lists and spacing, and drops markers of sources never offered', () => {
    const { text, cited } = citeSources('A [doc3]. B [1, 3]. C [ 7 ]. D [docs1].', offered);
    expect(text).toBe('A [1]. B [2][1]. C. D [2].');
    expect(cited.map((c) => c.chunkId)).toEqual(['c3', 'c1']);
  });

  it('is idempotent and leaves text without markers alone', () => {
    const once = citeSources('X [3] y [1].', offered);
    const twice = citeSources(once.text, once.cited);
    expect(twice).toEqual(once);
    expect(citeSources('No sources here.', offered)).toEqual({ text: 'No sources here.', cited: [] });
  });
});

describe('toClientCitations', () => {
  it('builds Teams Claim entities for the markers used, with page keywords, URLs and icons', () => {
    const { text, cited } = citeSources('Leave [2]. Returns [3].', offered);
    expect(toClientCitations(text, cited)).toEqual([
      {
        '@type': 'Claim',
        position: 1,
        appearance: {
          '@type': 'DigitalDocument',
          name: 'Employee handbook (p. 2)',
          abstract: 'Employees accrue 25 days of leave per year.',
          image: { '@type': 'ImageObject', name: 'PDF' },
          keywords: ['page 2'],
        },
      },
      {
        '@type': 'Claim',
        position: 2,
        appearance: {
          '@type': 'DigitalDocument',
          name: 'Returns',
          abstract: 'Returns are accepted within 30 days of delivery.',
          url: 'https://contoso.example/returns',
          image: { '@type': 'ImageObject', name: 'Text' },
        },
      },
    ]);
  });

  it('respects Teams field limits and ignores unknown markers and non-http URLs', () => {
    const long: Citation = {
      index: 1,
      title: 'A very long document title that goes on and on well beyond what Teams will show in a pill',
      source: 'notes.bin',
      url: 'javascript:alert(1)',
      snippet: 'word '.repeat(100),
      chunkId: 'x',
    };
    const [c] = toClientCitations('See [1] and [9].', [long]);
    expect(c!.appearance.name.length).toBeLessThanOrEqual(CLIENT_CITATION_LIMITS.name);
    expect(c!.appearance.abstract.length).toBeLessThanOrEqual(CLIENT_CITATION_LIMITS.abstract);
    expect(c!.appearance.abstract.endsWith('…')).toBe(true);
    expect(c!.appearance.url).toBeUndefined();
    expect(c!.appearance.image).toBeUndefined();
    expect(toClientCitations('no markers', [long])).toEqual([]);
  });
});

describe('helpers', () => {
  it('titles include the page; clip cuts at a word boundary', () => {
    expect(citationTitle({ title: 'Handbook', page: 4, source: 's' })).toBe('Handbook (p. 4)');
    expect(citationTitle({ title: ' ', source: 'data/x.md' })).toBe('data/x.md');
    expect(clip('short', 10)).toBe('short');
    expect(clip('one two three four', 12)).toBe('one two…');
    expect(clip('abcdefghijklmnop', 8)).toBe('abcdefg…');
  });
});
