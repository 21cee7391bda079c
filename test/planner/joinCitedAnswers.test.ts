import { describe, expect, it } from 'vitest';
import type { Citation } from '../../src/knowledge';
import { joinCitedAnswers, toClientCitations, uncitedWords } from '../../src/planner/citations';

const cite = (index: number, chunkId: string, snippet = `snippet of ${chunkId}`): Citation => ({
  index,
  title: `Title ${chunkId}`,
  source: `${chunkId}.md`,
  snippet,
  chunkId,
});

describe('joinCitedAnswers', () => {
  it('moves the second answer’s markers past the first’s and keeps every source once', () => {
    const joined = joinCitedAnswers(
      {
        text: 'Reset it at the portal. [1] Use 14 characters. [2]',
        citations: [cite(1, 'pw'), cite(2, 'rules')],
      },
      { text: 'Use the VPN client at home. [1]', citations: [cite(1, 'vpn')] },
      '\n\nAbout your other request: ',
    );
    expect(joined.text).toBe(
      'Reset it at the portal. [1] Use 14 characters. [2]\n\nAbout your other request: Use the VPN client at home. [3]',
    );
    expect(joined.citations.map((c) => [c.index, c.chunkId])).toEqual([
      [1, 'pw'],
      [2, 'rules'],
      [3, 'vpn'],
    ]);
    // The Teams citation entities agree with the text: one per marker, in order.
    expect(toClientCitations(joined.text, joined.citations).map((c) => c.position)).toEqual([1, 2, 3]);
  });

  it('a source both answers cite keeps the first answer’s number', () => {
    const joined = joinCitedAnswers(
      { text: 'Returns take 30 days. [1]', citations: [cite(1, 'returns')] },
      {
        text: 'Refunds take 5 to 10 days. [2] Returns take 30 days. [1]',
        citations: [cite(1, 'returns'), cite(2, 'refunds')],
      },
      ' ',
    );
    expect(joined.text).toBe(
      'Returns take 30 days. [1] Refunds take 5 to 10 days. [2] Returns take 30 days. [1]',
    );
    expect(joined.citations.map((c) => c.chunkId)).toEqual(['returns', 'refunds']);
  });

  it('the same chunk with another snippet is a source of its own', () => {
    const joined = joinCitedAnswers(
      { text: 'A. [1]', citations: [cite(1, 'doc', 'first sentence')] },
      { text: 'B. [1]', citations: [cite(1, 'doc', 'other sentence')] },
      ' ',
    );
    expect(joined.citations.map((c) => c.snippet)).toEqual(['first sentence', 'other sentence']);
    expect(joined.text).toBe('A. [1] B. [2]');
  });
});

describe('uncitedWords', () => {
  it('drops the markers and case so that a repeated answer is recognised', () => {
    expect(uncitedWords('Returns take  30 days. [1] Refunds [2]')).toBe('returns take 30 days. refunds');
    expect(uncitedWords('Returns take 30 days. [1] More. [2]')).toContain(
      uncitedWords('Returns take 30 days. [3]'),
    );
  });
});
