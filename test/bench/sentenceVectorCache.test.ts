import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Encoder } from '../../src/encoder';
import { sentenceVectorsFor } from '../../bench/lib/sentenceVectorCache';

/** A deterministic stand-in encoder that records what it was asked to encode. */
function countingEncoder(name = 'fake@1'): Encoder & { seen: string[] } {
  const seen: string[] = [];
  return {
    name,
    dimensions: 4,
    seen,
    encode: async (texts) => {
      seen.push(...texts);
      return texts.map((t) => [t.length, t.charCodeAt(0), 1, 0]);
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'sentence-vectors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sentence vector cache (bench)', () => {
  it('encodes each distinct text once and, on a rerun, only the new ones', async () => {
    const path = join(dir, 'cache.json');
    const first = countingEncoder();
    const a = await sentenceVectorsFor(['hello', 'world', 'hello'], first, path);
    expect(first.seen).toEqual(['hello', 'world']);
    expect(Array.from(a.get('world')!)).toEqual([5, 'w'.charCodeAt(0), 1, 0]);

    const second = countingEncoder();
    const b = await sentenceVectorsFor(['hello', 'world', 'again'], second, path);
    expect(second.seen).toEqual(['again']);
    expect(b.size).toBe(3);
    expect(Array.from(b.get('hello')!)).toEqual([5, 'h'.charCodeAt(0), 1, 0]);
    expect(b.get('never seen')).toBeUndefined();
  });

  it('ignores a cache written by another encoder', async () => {
    const path = join(dir, 'other.json');
    await sentenceVectorsFor(['hello'], countingEncoder('fake@1'), path);
    const other = countingEncoder('fake@2');
    await sentenceVectorsFor(['hello'], other, path);
    expect(other.seen).toEqual(['hello']);
  });
});
