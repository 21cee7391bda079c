import { describe, expect, it } from 'vitest';
import { unitVector } from '../../src/encoder/unitVector';

describe('unitVector', () => {
  it('scales to length 1 in a new array; a zero vector stays zero', () => {
    const input = [3, 4];
    const v = unitVector(input);
    expect(Array.from(v)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect(input).toEqual([3, 4]);
    expect(Array.from(unitVector(new Float32Array(3)))).toEqual([0, 0, 0]);
  });
});
