import { seededRandom, shuffleInPlace } from './random';

/** What both sparse classifiers' plain-SGD training takes. */
export interface SgdOptions {
  /** Passes over the training set. */
  epochs: number;
  /** Initial learning rate, decayed linearly to 10% of it over the run. */
  learningRate: number;
  seed: number;
  /** Called after each epoch (progress reporting for long runs). */
  onEpoch?: (epoch: number, meanLoss: number) => void;
}

/**
 * The SGD loop both classifiers share: `epochs` passes over the examples in a seeded shuffled order,
 * the learning rate decayed linearly to 10 %; `step` trains on example `n` and returns its loss.
 * `random` is the seeded source (the caller may have drawn initial weights from it first).
 */
export function runSgd(
  count: number,
  options: SgdOptions,
  step: (n: number, lr: number) => number,
  random: () => number = seededRandom(options.seed),
): void {
  drain(sgdSteps(count, options, step, random));
}

/** Steps between the pauses of `sgdSteps` (a few milliseconds of work on the bot's small model). */
const STEPS_PER_PAUSE = 64;

/**
 * `runSgd` as a generator that pauses every few dozen steps, so that a caller can train without
 * holding the event loop (`IntentClassifier.trainInBackground`). Same order, same result.
 */
export function* sgdSteps(
  count: number,
  options: SgdOptions,
  step: (n: number, lr: number) => number,
  random: () => number = seededRandom(options.seed),
): Generator<void, void> {
  const order = Int32Array.from({ length: count }, (_, i) => i);
  const totalSteps = options.epochs * count;
  let done = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, random);
    let lossSum = 0;
    for (const n of order) {
      const lr = options.learningRate * (1 - (0.9 * done) / totalSteps);
      done++;
      lossSum += step(n, lr);
      if (done % STEPS_PER_PAUSE === 0) yield;
    }
    options.onEpoch?.(epoch + 1, lossSum / count);
  }
}

/** Runs a pausing computation to its end in one go and returns its result. */
export function drain<T>(steps: Generator<void, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Cross-entropy of the true class, then `probs` turned into the gradient w.r.t. the scores. */
export function lossAndGradient(probs: Float64Array, y: number): number {
  const loss = -Math.log(Math.max(probs[y], 1e-12));
  probs[y] -= 1;
  return loss;
}

/** Scores → probabilities, in place (max-shifted for stability). */
export function softmaxInPlace(scores: Float64Array): void {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    scores[c] = Math.exp(scores[c] - max);
    sum += scores[c];
  }
  for (let c = 0; c < scores.length; c++) scores[c] /= sum;
}
