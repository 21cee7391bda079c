import { chooseThreshold, type CalibrationPoint, type ThresholdChoice } from './calibration';
import { AveragedEnsemble, type ProbabilityModel } from './ensemble';
import {
  DEFAULT_FEATURE_OPTIONS,
  TfidfVectorizer,
  type FeatureOptions,
  type SentenceVectors,
  type SparseVector,
  type WordVectors,
} from './features';
import type { IntentPrediction, LabelledExample } from './intents';
import { DEFAULT_SOFTMAX_OPTIONS, SoftmaxRegression, type SoftmaxTrainingOptions } from './softmaxRegression';
import { drain } from './sgd';
import { DEFAULT_MLP_OPTIONS, SparseMlp, type MlpTrainingOptions } from './sparseMlp';

export interface CalibrationOptions {
  /** Stratified folds the training set is cut into for out-of-fold predictions. Default 5. */
  folds: number;
  /** How many of those folds are actually held out and predicted (1..folds). Default: all. */
  rounds?: number;
  /** A fixed threshold instead of a calibrated one (0 disables the threshold). */
  fixedThreshold?: number;
  /** In-scope accuracy (fraction) the threshold may cost on the calibration points. Default 0.02. */
  maxInScopeLoss?: number;
  /**
   * OOS recall (fraction) the threshold should reach on the calibration points, at the least in-scope
   * cost. Unset: the "balanced" rule (maximise in-scope accuracy + OOS recall). See `chooseThreshold`.
   */
  oosRecallTarget?: number;
}

/** The classifier over the features: softmax regression (default) or an ensemble of sparse MLPs. */
type ModelKind = 'softmax' | 'mlp';

interface MlpEnsembleOptions extends MlpTrainingOptions {
  /** Independently seeded MLPs (seed, seed + 1, ...) whose probabilities are averaged. Default 3. */
  members: number;
}

const DEFAULT_MLP_ENSEMBLE_OPTIONS: MlpEnsembleOptions = { ...DEFAULT_MLP_OPTIONS, members: 3 };

export interface IntentClassifierOptions {
  /** Label of the out-of-scope class, in the examples and in predictions. Default 'out_of_scope'. */
  oosLabel: string;
  features: Partial<FeatureOptions>;
  /** Default 'softmax'. */
  model: ModelKind;
  /** Settings of the softmax model. */
  training: Partial<SoftmaxTrainingOptions>;
  /** Settings of the MLP ensemble (model 'mlp'). */
  mlp: Partial<MlpEnsembleOptions>;
  calibration: Partial<CalibrationOptions>;
  /** Pretrained word vectors whose per-utterance average is added as a dense feature block. */
  wordVectors?: WordVectors;
  /** Sentence vectors of every utterance trained on or classified (a dense block after the n-grams). */
  sentenceVectors?: SentenceVectors;
  /** Progress messages for long runs (the benchmark prints them on stderr). */
  onProgress?: (message: string) => void;
}

export interface IntentClassifierInfo {
  labels: string[];
  features: number;
  trainingExamples: number;
  threshold: ThresholdChoice;
}

interface TrainedParts {
  vectorizer: TfidfVectorizer;
  model: ProbabilityModel;
  labels: string[];
  usesSentenceVectors: boolean;
}

/** What `fitParts` trains: the model kind with its complete settings. */
type ModelSpec =
  { kind: 'softmax'; options: SoftmaxTrainingOptions } | { kind: 'mlp'; options: MlpEnsembleOptions };

/** Pauses every few dozen SGD steps of a softmax model, between the members of an MLP ensemble. */
function* trainModel(
  inputs: SparseVector[],
  y: Int32Array,
  numFeatures: number,
  numClasses: number,
  spec: ModelSpec,
  onEpoch: (what: string, epoch: number, loss: number) => void,
): Generator<void, ProbabilityModel> {
  if (spec.kind === 'softmax') {
    return yield* SoftmaxRegression.trainSteps(inputs, y, numFeatures, numClasses, {
      ...spec.options,
      onEpoch: (epoch, loss) => onEpoch('', epoch, loss),
    });
  }
  const members: ProbabilityModel[] = [];
  for (let m = 0; m < Math.max(1, Math.floor(spec.options.members)); m++) {
    members.push(
      SparseMlp.train(inputs, y, numFeatures, numClasses, {
        ...spec.options,
        seed: spec.options.seed + m,
        onEpoch: (epoch, loss) => onEpoch(`mlp ${m + 1}/${spec.options.members} `, epoch, loss),
      }),
    );
    yield;
  }
  return members.length === 1 ? members[0] : new AveragedEnsemble(members);
}

function validateExamples(examples: LabelledExample[]): void {
  if (!Array.isArray(examples) || examples.length === 0)
    throw new Error('IntentClassifier.train: no examples');
  examples.forEach((example, i) => {
    if (
      !example ||
      typeof example.text !== 'string' ||
      typeof example.intent !== 'string' ||
      !example.intent
    ) {
      throw new Error(`IntentClassifier.train: example ${i} needs a string "text" and a non-empty "intent"`);
    }
  });
  if (new Set(examples.map((e) => e.intent)).size < 2) {
    throw new Error('IntentClassifier.train: needs at least two distinct intents');
  }
}

function* fitParts(
  examples: LabelledExample[],
  features: FeatureOptions,
  spec: ModelSpec,
  onEpoch: (what: string, epoch: number, loss: number) => void,
  vectors: DenseInputs = {},
): Generator<void, TrainedParts> {
  const labels = [...new Set(examples.map((e) => e.intent))].sort();
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  const vectorizer = TfidfVectorizer.fit(
    examples.map((e) => e.text),
    features,
    vectors.wordVectors,
    vectors.sentenceVectors,
  );
  const inputs = examples.map((e) => vectorizer.transform(e.text));
  const y = Int32Array.from(examples, (e) => labelIndex.get(e.intent) ?? 0);
  yield;
  const model = yield* trainModel(inputs, y, vectorizer.size, labels.length, spec, onEpoch);
  return { vectorizer, model, labels, usesSentenceVectors: vectors.sentenceVectors !== undefined };
}

/** Pretrained vectors that add dense blocks to the n-gram features. */
type DenseInputs = Pick<IntentClassifierOptions, 'wordVectors' | 'sentenceVectors'>;

/** Stratified fold of each example: its position among the examples of the same intent, modulo folds. */
function stratifiedFolds(examples: LabelledExample[], folds: number): number[] {
  const seen = new Map<string, number>();
  return examples.map((e) => {
    const n = seen.get(e.intent) ?? 0;
    seen.set(e.intent, n + 1);
    return n % folds;
  });
}

/**
 * The embedded intent model: TF-IDF word (1-2) and character (3-5) n-grams, a seeded SGD-trained
 * classifier over them (multinomial logistic regression, or an averaged ensemble of one-hidden-layer
 * MLPs), and an out-of-scope decision made of two parts: the OOS class
 * itself (when the examples contain it) and a confidence threshold calibrated on out-of-fold
 * predictions from the training examples only.
 */
export class IntentClassifier {
  private constructor(
    private readonly parts: TrainedParts,
    private readonly oosLabel: string,
    readonly info: IntentClassifierInfo,
  ) {}

  static train(
    examples: LabelledExample[],
    options: Partial<IntentClassifierOptions> = {},
  ): IntentClassifier {
    return drain(IntentClassifier.trainSteps(examples, options));
  }

  /**
   * `train` without holding the event loop for more than a few milliseconds at a time: it pauses
   * (setImmediate) whenever `sliceMs` of work have passed, so turns keep being served while a model
   * trains in the background (the bot's sentence-vector model at start-up). Same result as `train`.
   */
  static async trainInBackground(
    examples: LabelledExample[],
    options: Partial<IntentClassifierOptions> = {},
    sliceMs = 5,
  ): Promise<IntentClassifier> {
    const steps = IntentClassifier.trainSteps(examples, options);
    let sliceStart = performance.now();
    for (;;) {
      const next = steps.next();
      if (next.done) return next.value;
      if (performance.now() - sliceStart >= sliceMs) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
  }

  private static *trainSteps(
    examples: LabelledExample[],
    options: Partial<IntentClassifierOptions>,
  ): Generator<void, IntentClassifier> {
    validateExamples(examples);
    const oosLabel = options.oosLabel ?? 'out_of_scope';
    const features = { ...DEFAULT_FEATURE_OPTIONS, ...options.features };
    const spec: ModelSpec =
      options.model === 'mlp'
        ? { kind: 'mlp', options: { ...DEFAULT_MLP_ENSEMBLE_OPTIONS, ...options.mlp } }
        : { kind: 'softmax', options: { ...DEFAULT_SOFTMAX_OPTIONS, ...options.training } };
    const calibration: CalibrationOptions = { folds: 5, ...options.calibration };
    const progress = options.onProgress ?? (() => undefined);

    let threshold: ThresholdChoice;
    if (calibration.fixedThreshold !== undefined) {
      threshold = { threshold: calibration.fixedThreshold, inScopeAccuracy: NaN, oosRecall: NaN, points: 0 };
    } else {
      threshold = yield* IntentClassifier.calibrate(
        examples,
        oosLabel,
        features,
        spec,
        calibration,
        progress,
        options,
      );
    }
    progress(`training final model on ${examples.length} examples`);
    const parts = yield* fitParts(
      examples,
      features,
      spec,
      (what, epoch, loss) =>
        progress(`final model ${what}epoch ${epoch}/${spec.options.epochs} loss ${loss.toFixed(4)}`),
      options,
    );
    return new IntentClassifier(parts, oosLabel, {
      labels: parts.labels,
      features: parts.vectorizer.size,
      trainingExamples: examples.length,
      threshold,
    });
  }

  private static *calibrate(
    examples: LabelledExample[],
    oosLabel: string,
    features: FeatureOptions,
    spec: ModelSpec,
    calibration: CalibrationOptions,
    progress: (message: string) => void,
    vectors: DenseInputs,
  ): Generator<void, ThresholdChoice> {
    const folds = Math.max(2, Math.floor(calibration.folds));
    const rounds = Math.min(folds, Math.max(1, Math.floor(calibration.rounds ?? folds)));
    const foldOf = stratifiedFolds(examples, folds);
    const points: CalibrationPoint[] = [];
    for (let round = 0; round < rounds; round++) {
      const fit = examples.filter((_, i) => foldOf[i] !== round);
      const held = examples.filter((_, i) => foldOf[i] === round);
      if (held.length === 0 || new Set(fit.map((e) => e.intent)).size < 2) continue;
      progress(`calibration round ${round + 1}/${rounds}: fit ${fit.length}, held out ${held.length}`);
      const parts = yield* fitParts(
        fit,
        features,
        spec,
        (what, epoch, loss) =>
          progress(`calibration ${what}epoch ${epoch}/${spec.options.epochs} loss ${loss.toFixed(4)}`),
        vectors,
      );
      for (const example of held) {
        const probs = parts.model.predict(parts.vectorizer.transform(example.text));
        let top = 0;
        for (let c = 1; c < probs.length; c++) if (probs[c] > probs[top]) top = c;
        points.push({
          isOutOfScope: example.intent === oosLabel,
          topIsCorrect: parts.labels[top] === example.intent,
          confidence: probs[top],
        });
        yield;
      }
    }
    const choice = chooseThreshold(points, calibration.maxInScopeLoss, calibration.oosRecallTarget);
    progress(
      `threshold ${choice.threshold.toFixed(3)} (calibration in-scope acc ${choice.inScopeAccuracy.toFixed(3)}, oos recall ${choice.oosRecall.toFixed(3)})`,
    );
    return choice;
  }

  get threshold(): number {
    return this.info.threshold.threshold;
  }

  /** Whether the model was trained with a sentence-vector block (then `classify` wants the message's vector). */
  get usesSentenceVectors(): boolean {
    return this.parts.usesSentenceVectors;
  }

  /**
   * `sentenceVector`: the message's vector from the encoder the model was trained with (models trained
   * with `sentenceVectors` only; without it the dense block is empty and the n-grams decide alone).
   */
  classify(text: string, sentenceVector?: ArrayLike<number>): IntentPrediction {
    const input = typeof text === 'string' ? text : '';
    const probs = this.parts.model.predict(this.parts.vectorizer.transform(input, sentenceVector));
    const order = [...probs.keys()].sort((a, b) => probs[b] - probs[a]);
    const ranking = order.slice(0, 3).map((c) => ({ intent: this.parts.labels[c], score: probs[c] }));
    const best = ranking[0];
    if (input.trim() === '' || best.score < this.threshold) {
      // Confidence of an out-of-scope answer is how far the best in-scope guess falls short of certainty.
      const confidence = best.intent === this.oosLabel ? best.score : 1 - best.score;
      return { intent: this.oosLabel, confidence, ranking };
    }
    return { intent: best.intent, confidence: best.score, ranking };
  }
}
