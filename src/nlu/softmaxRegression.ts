import type { SparseVector } from './features';
import { drain, lossAndGradient, sgdSteps, softmaxInPlace, type SgdOptions } from './sgd';

/** Defaults: 20 epochs, learning rate 0.5. */
export interface SoftmaxTrainingOptions extends SgdOptions {
  /** L2 penalty on the weights (not the biases). Default 1e-5. */
  l2: number;
}

export const DEFAULT_SOFTMAX_OPTIONS: SoftmaxTrainingOptions = {
  epochs: 20,
  learningRate: 0.5,
  l2: 1e-5,
  seed: 42,
};

/**
 * Multinomial logistic regression over sparse features, trained with plain SGD.
 * Weights are stored feature-major (row f holds the scores of feature f for every class), so a sparse
 * input touches only its own rows. L2 decay uses the scaled-weights trick (W = scale * V, Bottou 2012)
 * so each step costs O(nonzeros × classes) instead of O(all weights).
 */
export class SoftmaxRegression {
  private constructor(
    readonly numFeatures: number,
    readonly numClasses: number,
    private readonly weights: Float32Array,
    private readonly biases: Float32Array,
  ) {}

  static train(
    inputs: SparseVector[],
    labels: Int32Array,
    numFeatures: number,
    numClasses: number,
    options: SoftmaxTrainingOptions = DEFAULT_SOFTMAX_OPTIONS,
  ): SoftmaxRegression {
    return drain(SoftmaxRegression.trainSteps(inputs, labels, numFeatures, numClasses, options));
  }

  /** `train` pausing every few dozen steps (see `sgdSteps`). */
  static *trainSteps(
    inputs: SparseVector[],
    labels: Int32Array,
    numFeatures: number,
    numClasses: number,
    options: SoftmaxTrainingOptions = DEFAULT_SOFTMAX_OPTIONS,
  ): Generator<void, SoftmaxRegression> {
    if (inputs.length !== labels.length) throw new Error('inputs and labels differ in length');
    if (inputs.length === 0) throw new Error('cannot train on an empty set');
    const C = numClasses;
    const V = new Float32Array(numFeatures * C);
    const b = new Float32Array(C);
    const probs = new Float64Array(C);
    let scale = 1;
    yield* sgdSteps(inputs.length, options, (n, lr) => {
      const { indices, values } = inputs[n];
      scoresInto(probs, V, b, scale, indices, values, C);
      softmaxInPlace(probs);
      const loss = lossAndGradient(probs, labels[n]);
      scale *= 1 - lr * options.l2;
      const stepOverScale = lr / scale;
      for (let k = 0; k < indices.length; k++) {
        const row = indices[k] * C;
        const g = values[k] * stepOverScale;
        for (let c = 0; c < C; c++) V[row + c] -= g * probs[c];
      }
      for (let c = 0; c < C; c++) b[c] -= lr * probs[c];
      if (scale < 1e-6) {
        for (let i = 0; i < V.length; i++) V[i] *= scale;
        scale = 1;
      }
      return loss;
    });
    if (scale !== 1) for (let i = 0; i < V.length; i++) V[i] *= scale;
    return new SoftmaxRegression(numFeatures, numClasses, V, b);
  }

  /** Class probabilities for one input. */
  predict(input: SparseVector): Float64Array {
    const out = new Float64Array(this.numClasses);
    scoresInto(out, this.weights, this.biases, 1, input.indices, input.values, this.numClasses);
    softmaxInPlace(out);
    return out;
  }
}

function scoresInto(
  out: Float64Array,
  V: Float32Array,
  b: Float32Array,
  scale: number,
  indices: Int32Array,
  values: Float32Array,
  C: number,
): void {
  out.fill(0);
  for (let k = 0; k < indices.length; k++) {
    const row = indices[k] * C;
    const x = values[k];
    for (let c = 0; c < C; c++) out[c] += x * V[row + c];
  }
  for (let c = 0; c < C; c++) out[c] = out[c] * scale + b[c];
}
