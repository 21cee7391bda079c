import { describe, expect, it } from 'vitest';
import { CachingEncoder, type Encoder } from '../../src/encoder';

/** An encoder that records every call; vectors are [length of the text, call number]. */
function recordingEncoder(fail = new Set<string>()): Encoder & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    name: 'fake@1',
    dimensions: 2,
    calls,
    async encode(texts) {
      calls.push(texts);
      if (texts.some((t) => fail.has(t))) throw new Error('encoder down');
      return texts.map((t) => [t.length, calls.length]);
    },
  };
}

describe('CachingEncoder', () => {
  it('encodes a text once for every caller, even concurrent ones', async () => {
    const inner = recordingEncoder();
    const encoder = new CachingEncoder(inner);
    const [a, b] = await Promise.all([
      encoder.encode(['where is my order']),
      encoder.encode(['where is my order']),
    ]);
    const [c] = await encoder.encode(['where is my order']);
    expect(a).toEqual(b);
    expect(c).toEqual(a[0]);
    expect(inner.calls).toEqual([['where is my order']]);
    expect(encoder.name).toBe('fake@1');
    expect(encoder.dimensions).toBe(2);
  });

  it('passes bulk calls through uncached and evicts the least recently used text', async () => {
    const inner = recordingEncoder();
    const encoder = new CachingEncoder(inner, { maxEntries: 2, maxTextsPerCachedCall: 2 });
    await encoder.encode(['a', 'b', 'c']);
    await encoder.encode(['a']);
    expect(inner.calls).toEqual([['a', 'b', 'c'], ['a']]);
    await encoder.encode(['b']);
    await encoder.encode(['a']); // a is now the most recent
    await encoder.encode(['c']); // evicts b
    await encoder.encode(['a']);
    await encoder.encode(['b']);
    expect(inner.calls.slice(2)).toEqual([['b'], ['c'], ['b']]);
  });

  it('does not remember a failure', async () => {
    const fail = new Set(['hello']);
    const inner = recordingEncoder(fail);
    const encoder = new CachingEncoder(inner);
    await expect(encoder.encode(['hello'])).rejects.toThrow('encoder down');
    fail.clear();
    await expect(encoder.encode(['hello'])).resolves.toEqual([[5, 2]]);
  });
});
