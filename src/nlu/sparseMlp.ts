import type { SparseVector } from './features';
import { seededRandom } from './random';
import { lossAndGradient, runSgd, softmaxInPlace, type SgdOptions } from './sgd';

/** Defaults: 5 epochs (more overfit CLINC's 100 utterances per intent), learning rate 0.3. */
export interface MlpTrainingOptions extends SgdOptions {
  /** ReLU units in the single hidden layer. Default 256. */
  hidden: number;
  /** Standard deviation of the initial input weights. Default 0.1. */
  initScale: number;
}

export const DEFAULT_MLP_OPTIONS: MlpTrainingOptions = {
  hidden: 256,
  epochs: 5,
  learningRate: 0.3,
  initScale: 0.1,
  seed: 42,
};

/** A standard normal draw (Box-Muller) from a seeded uniform source. */
function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * A one-hidden-layer perceptron (ReLU, softmax output) over sparse features, trained by plain SGD.
 * The input weights are feature-major (row f holds feature f's weights into every hidden unit), so a
 * sparse input reads and updates only its own rows: a step costs O(nonzeros × hidden + hidden × classes).
 */
export class SparseMlp {
  private constructor(
    readonly numFeatures: number,
    readonly numClasses: number,
    private readonly hidden: number,
    private readonly inputWeights: Float32Array,
    private readonly hiddenBiases: Float32Array,
    private readonly outputWeights: Float32Array,
    private readonly outputBiases: Float32Array,
  ) {}

  static train(
    inputs: SparseVector[],
    labels: Int32Array,
    numFeatures: number,
    numClasses: number,
    options: MlpTrainingOptions = DEFAULT_MLP_OPTIONS,
  ): SparseMlp {
    if (inputs.length !== labels.length) throw new Error('inputs and labels differ in length');
    if (inputs.length === 0) throw new Error('cannot train on an empty set');
    const H = options.hidden;
    const C = numClasses;
    const random = seededRandom(options.seed);
    const W1 = new Float32Array(numFeatures * H);
    for (let i = 0; i < W1.length; i++) W1[i] = gaussian(random) * options.initScale;
    const b1 = new Float32Array(H);
    const W2 = new Float32Array(H * C); // hidden-major: row j holds unit j's weights into every class
    const outScale = Math.sqrt(2 / (H + C)); // Glorot
    for (let i = 0; i < W2.length; i++) W2[i] = gaussian(random) * outScale;
    const b2 = new Float32Array(C);
    const model = new SparseMlp(numFeatures, C, H, W1, b1, W2, b2);

    const h = new Float64Array(H);
    const active = new Int32Array(H); // indices of the units the ReLU let through: only they get gradients
    const dh = new Float64Array(H);
    const probs = new Float64Array(C);
    runSgd(
      inputs.length,
      options,
      (n, lr) => {
        const input = inputs[n];
        model.forward(input, h, probs);
        const loss = lossAndGradient(probs, labels[n]);
        let numActive = 0;
        for (let j = 0; j < H; j++) {
          const hj = h[j];
          if (hj === 0) continue;
          active[numActive++] = j;
          const row = j * C;
          let g = 0;
          for (let c = 0; c < C; c++) {
            g += probs[c] * W2[row + c];
            W2[row + c] -= lr * hj * probs[c];
          }
          dh[j] = g;
        }
        for (let c = 0; c < C; c++) b2[c] -= lr * probs[c];
        const { indices, values } = input;
        for (let k = 0; k < indices.length; k++) {
          const row = indices[k] * H;
          const a = lr * values[k];
          for (let i = 0; i < numActive; i++) W1[row + active[i]] -= a * dh[active[i]];
        }
        for (let i = 0; i < numActive; i++) b1[active[i]] -= lr * dh[active[i]];
        return loss;
      },
      random,
    );
    return model;
  }

  /** Class probabilities for one input. */
  predict(input: SparseVector): Float64Array {
    const probs = new Float64Array(this.numClasses);
    this.forward(input, new Float64Array(this.hidden), probs);
    return probs;
  }

  /** Fills `h` with the hidden activations and `probs` with the softmax output. */
  private forward(input: SparseVector, h: Float64Array, probs: Float64Array): void {
    const H = this.hidden;
    const C = this.numClasses;
    const W1 = this.inputWeights;
    const W2 = this.outputWeights;
    for (let j = 0; j < H; j++) h[j] = this.hiddenBiases[j];
    for (let k = 0; k < input.indices.length; k++) {
      const row = input.indices[k] * H;
      const x = input.values[k];
      for (let j = 0; j < H; j++) h[j] += x * W1[row + j];
    }
    for (let c = 0; c < C; c++) probs[c] = this.outputBiases[c];
    for (let j = 0; j < H; j++) {
      if (h[j] <= 0) {
        h[j] = 0;
        continue;
      }
      const hj = h[j];
      const row = j * C;
      for (let c = 0; c < C; c++) probs[c] += hj * W2[row + c];
    }
    softmaxInPlace(probs);
  }
}
