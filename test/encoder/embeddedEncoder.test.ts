import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedSentenceEncoder } from '../../src/encoder';

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

describe('EmbeddedSentenceEncoder (real USE-lite weights, on a worker thread)', () => {
  const encoder = new EmbeddedSentenceEncoder();
  afterAll(() => encoder.close());

  it('places "vacation days" closer to "annual leave" than to "printer toner"', async () => {
    const [vacation, leave, toner] = await encoder.encode(['vacation days', 'annual leave', 'printer toner']);
    expect(vacation).toHaveLength(encoder.dimensions);
    expect(encoder.dimensions).toBe(512);
    expect(cosine(vacation!, leave!)).toBeGreaterThan(cosine(vacation!, toner!) + 0.1);
  });

  it('keeps the event loop free while it encodes a large batch', async () => {
    await encoder.encode(['warm up']);
    const texts = Array.from(
      { length: 128 },
      (_, i) => `Chunk ${i} of a long handbook about returns and leave.`,
    );
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const vectors = await encoder.encode(texts);
    clearInterval(timer);
    expect(vectors).toHaveLength(texts.length);
    // Had the model run on this thread, no timer callback could run until the batch was done.
    expect(ticks).toBeGreaterThan(3);
  });

  it('returns nothing for no texts and refuses after close', async () => {
    const e = new EmbeddedSentenceEncoder();
    expect(await e.encode([])).toEqual([]);
    await e.close();
    await expect(e.encode(['x'])).rejects.toThrow(/unavailable/);
  });
});
