import { describe, expect, it } from 'vitest';
import type { Citation } from '../../src/knowledge';
import { streamingText } from '../../src/teams/streamRenderer';

const source = (index: number): Citation => ({
  index,
  title: `Doc ${index}`,
  source: `kb/doc${index}.md`,
  snippet: `snippet ${index}`,
  chunkId: `c${index}`,
});
const offered = [source(1), source(2), source(3)];

/** Every prefix of `full`, as a model might deliver it chunk by chunk, rendered as a stream update. */
function updates(full: string): string[] {
  return Array.from({ length: full.length }, (_, i) => streamingText(full.slice(0, i + 1), offered));
}

describe('streamingText (intermediate stream updates)', () => {
  it('renumbers markers by first use, as the final message does', () => {
    expect(streamingText('Refunds take 5 days [3]. Credit is instant [1].', offered)).toBe(
      'Refunds take 5 days [1]. Credit is instant [2].',
    );
  });

  it('holds back an unfinished marker until it is complete', () => {
    expect(streamingText('Refunds take 5 days [', offered)).toBe('Refunds take 5 days');
    expect(streamingText('Refunds take 5 days [1,', offered)).toBe('Refunds take 5 days');
    expect(streamingText('Refunds take 5 days [1, 3]', offered)).toBe('Refunds take 5 days [1][2]');
  });

  it('never takes back text it showed: each update extends the one before (Teams rejects anything else)', () => {
    for (const full of [
      'Refunds take 5 days [3]. Credit is instant [1][3].',
      'Ask HR [7]. Or the portal [2].', // [7] was never offered: it disappears
      'Groups: [a] and [b] are not markers [1]',
    ]) {
      const shown = updates(full);
      shown.forEach(
        (text, i) => i > 0 && expect(text.startsWith(shown[i - 1]), `${shown[i - 1]} → ${text}`).toBe(true),
      );
    }
  });
});
