import { describe, expect, it } from 'vitest';
import { AveragedEnsemble } from '../../src/nlu/ensemble';
import type { SparseVector } from '../../src/nlu/features';
import { SoftmaxRegression } from '../../src/nlu/softmaxRegression';
import { DEFAULT_MLP_OPTIONS, SparseMlp } from '../../src/nlu/sparseMlp';

const vector = (entries: [number, number][]): SparseVector => ({
  indices: Int32Array.from(entries, ([i]) => i),
  values: Float32Array.from(entries, ([, v]) => v),
});

// XOR over two sparse features (feature 2 is a constant "bias" feature): class 1 when exactly one of
// features 0 and 1 is present. No linear model separates it; one hidden layer does.
const xorInputs = [
  vector([[2, 1]]),
  vector([
    [0, 1],
    [2, 1],
  ]),
  vector([
    [1, 1],
    [2, 1],
  ]),
  vector([
    [0, 1],
    [1, 1],
    [2, 1],
  ]),
];
const xorLabels = Int32Array.from([0, 1, 1, 0]);
const repeated = Array.from({ length: 50 }, () => xorInputs).flat();
const repeatedLabels = Int32Array.from(Array.from({ length: 50 }, () => [...xorLabels]).flat());
const options = { ...DEFAULT_MLP_OPTIONS, hidden: 16, epochs: 40, learningRate: 0.2, initScale: 0.5 };

function argmax(probs: Float64Array): number {
  let top = 0;
  for (let c = 1; c < probs.length; c++) if (probs[c] > probs[top]) top = c;
  return top;
}

describe('SparseMlp', () => {
  it('learns XOR, which softmax regression cannot', () => {
    const mlp = SparseMlp.train(repeated, repeatedLabels, 3, 2, options);
    expect(xorInputs.map((x) => argmax(mlp.predict(x)))).toEqual([...xorLabels]);
    const linear = SoftmaxRegression.train(repeated, repeatedLabels, 3, 2, {
      epochs: 40,
      learningRate: 0.2,
      l2: 0,
      seed: 1,
    });
    expect(xorInputs.map((x) => argmax(linear.predict(x)))).not.toEqual([...xorLabels]);
  });

  it('outputs probabilities and is deterministic for a seed', () => {
    const a = SparseMlp.train(repeated, repeatedLabels, 3, 2, options);
    const b = SparseMlp.train(repeated, repeatedLabels, 3, 2, options);
    const c = SparseMlp.train(repeated, repeatedLabels, 3, 2, { ...options, seed: 7 });
    for (const x of xorInputs) {
      const probs = a.predict(x);
      expect(probs[0] + probs[1]).toBeCloseTo(1, 10);
      expect(b.predict(x)).toEqual(probs);
    }
    expect(xorInputs.some((x) => c.predict(x)[0] !== a.predict(x)[0])).toBe(true);
  });

  it('rejects mismatched or empty training data', () => {
    expect(() => SparseMlp.train(xorInputs, Int32Array.from([0]), 3, 2, options)).toThrow(/differ in length/);
    expect(() => SparseMlp.train([], new Int32Array(0), 3, 2, options)).toThrow(/empty/);
  });
});

describe('AveragedEnsemble', () => {
  it('averages its members’ probabilities', () => {
    const fixed = (p: number[]) => ({ predict: () => Float64Array.from(p) });
    const ensemble = new AveragedEnsemble([fixed([0.2, 0.8]), fixed([0.6, 0.4])]);
    const probs = ensemble.predict(vector([]));
    expect(probs[0]).toBeCloseTo(0.4);
    expect(probs[1]).toBeCloseTo(0.6);
    expect(() => new AveragedEnsemble([])).toThrow(/at least one member/);
  });
});
