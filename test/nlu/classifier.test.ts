import { describe, expect, it } from 'vitest';
import {
  BOT_MODEL_OPTIONS,
  createBotIntentModel,
  INTENTS,
  IntentClassifier,
  loadNluDataset,
  splitDataset,
} from '../../src/nlu';

const dataset = loadNluDataset();
const { train, test } = splitDataset(dataset.examples);
const heldOutModel = IntentClassifier.train(train, BOT_MODEL_OPTIONS);

function accuracy(model: IntentClassifier, examples: { text: string; intent: string }[]): number {
  return examples.filter((e) => model.classify(e.text).intent === e.intent).length / examples.length;
}

describe('IntentClassifier on the bot dataset', () => {
  it('reaches the accuracy floor on the held-out split', () => {
    expect(accuracy(heldOutModel, test)).toBeGreaterThanOrEqual(0.85);
  });

  it('maps held-out and fresh out-of-scope utterances to out_of_scope', () => {
    // Deliberately unlike anything in data/nlu (topics the dataset does not mention).
    const fresh = [
      'what is the tallest mountain in africa',
      'how do I fix a leaky faucet',
      'who directed inception',
      'what is the time difference between new york and sydney',
      'teach me to play chess',
      'how many ounces are in a pound',
      'where do penguins live',
      'give me a workout plan for beginners',
      'what rhymes with orange',
      'how do airplanes stay in the air',
    ];
    const examples = [
      ...test.filter((e) => e.intent === 'out_of_scope'),
      ...fresh.map((text) => ({ text, intent: 'out_of_scope' })),
    ];
    // Measured 0.77 (20 of 26) with dataset 1.1.0 and 0.72 (21 of 29) with 1.2.0, which added
    // policy questions that mention orders and parcels to knowledge_question. Both intents lead
    // to a knowledge-base answer in the bot, so the trade is deliberate. 1.4.0 (start_return) measured
    // 0.69 (20 of 29): "what is the tallest mountain in africa" now scores knowledge_question at
    // 0.49, just over the threshold (it also leads to the knowledge base's "couldn't find that").
    // The floor keeps slack of one.
    expect(accuracy(heldOutModel, examples)).toBeGreaterThanOrEqual(0.65);
    expect(heldOutModel.classify('').intent).toBe('out_of_scope');
    expect(heldOutModel.classify('   ').intent).toBe('out_of_scope');
  });

  it('answers with a known intent, a confidence and the top 3 ranking, best first', () => {
    const prediction = heldOutModel.classify('where is my order ORD-10421?');
    expect(prediction.intent).toBe('order_status');
    expect(prediction.confidence).toBeGreaterThan(0.5);
    expect(prediction.ranking).toHaveLength(3);
    expect(prediction.ranking[0]).toEqual({ intent: 'order_status', score: prediction.confidence });
    expect(prediction.ranking[0].score).toBeGreaterThanOrEqual(prediction.ranking[1].score);
    expect(prediction.ranking[1].score).toBeGreaterThanOrEqual(prediction.ranking[2].score);
    for (const { intent } of prediction.ranking) expect(INTENTS).toContain(intent);
  });

  it('is deterministic: training twice gives the same predictions', () => {
    const again = IntentClassifier.train(train, BOT_MODEL_OPTIONS);
    expect(again.threshold).toBe(heldOutModel.threshold);
    for (const { text } of test) expect(again.classify(text)).toEqual(heldOutModel.classify(text));
  });

  it('a different seed changes the weights (the seed is really used)', () => {
    const other = IntentClassifier.train(train, { ...BOT_MODEL_OPTIONS, training: { epochs: 60, seed: 7 } });
    const differs = test.some(
      (e) => other.classify(e.text).confidence !== heldOutModel.classify(e.text).confidence,
    );
    expect(differs).toBe(true);
  });

  it('rejects unusable training data with a clear error', () => {
    expect(() => IntentClassifier.train([])).toThrow(/no examples/);
    expect(() => IntentClassifier.train([{ text: 'hi', intent: 'greeting' }])).toThrow(
      /two distinct intents/,
    );
    expect(() => IntentClassifier.train([{ text: 1 as unknown as string, intent: 'x' }])).toThrow(
      /example 0/,
    );
  });

  it('also trains the MLP ensemble (model "mlp"): accurate, deterministic, with a target-recall threshold', () => {
    const options = {
      ...BOT_MODEL_OPTIONS,
      model: 'mlp' as const,
      mlp: { members: 2 },
      calibration: { folds: 5, oosRecallTarget: 0.6 },
    };
    const mlp = IntentClassifier.train(train, options);
    // Measured 0.875 with the default 3 members; softmax regression stays the bot's model (as accurate, faster).
    expect(accuracy(mlp, test)).toBeGreaterThanOrEqual(0.8);
    expect(mlp.info.threshold.oosRecall).toBeGreaterThanOrEqual(0.6);
    const again = IntentClassifier.train(train, options);
    for (const { text } of test.slice(0, 20)) expect(again.classify(text)).toEqual(mlp.classify(text));
  }, 120_000); // trains an MLP ensemble: CPU-bound, slow when the 2-core machine is shared

  it('createBotIntentModel trains on the whole dataset', async () => {
    const model = await createBotIntentModel();
    expect(model.info.trainingExamples).toBe(dataset.examples.length);
    expect(model.classify('I want to open a ticket, I was charged twice').intent).toBe('create_ticket');
    expect(model.classify('hello there').intent).toBe('greeting');
  });
});

describe('IntentClassifier with word vectors', () => {
  // Two-dimensional toy vectors: "invoice"/"bill" point one way, "parcel"/"courier" the other.
  const vectors: Record<string, number[]> = {
    invoice: [1, 0],
    bill: [0.9, 0.1],
    parcel: [0, 1],
    courier: [0.1, 0.9],
  };
  const wordVectors = {
    dimensions: 2,
    get: (w: string) => (Object.hasOwn(vectors, w) ? vectors[w] : undefined),
  };
  const examples = [
    { text: 'question about my invoice', intent: 'billing' },
    { text: 'the invoice is wrong', intent: 'billing' },
    { text: 'where is my parcel', intent: 'shipping' },
    { text: 'the parcel is late', intent: 'shipping' },
  ];

  it('adds the averaged vector as dense features that generalise to unseen synonyms', () => {
    const options = {
      training: { epochs: 200 },
      calibration: { fixedThreshold: 0 },
      features: { embeddingWeight: 3 },
    };
    const withVectors = IntentClassifier.train(examples, { ...options, wordVectors });
    const without = IntentClassifier.train(examples, options);
    expect(withVectors.info.features).toBe(without.info.features + 2);
    // "bill" and "courier" never occur in training: only the vectors link them to the intents.
    expect(withVectors.classify('bill').intent).toBe('billing');
    expect(withVectors.classify('courier').intent).toBe('shipping');
    expect(withVectors.classify('constructor').ranking).toHaveLength(2);
  });
});

describe('IntentClassifier with sentence vectors', () => {
  // Toy "sentence encoder": utterances about money point one way, about deliveries the other,
  // whatever their words (as a sentence encoder maps paraphrases close together).
  const vectors: Record<string, number[]> = {
    'question about my invoice': [1, 0, 0],
    'the invoice is wrong': [0.9, 0.1, 0],
    'where is my parcel': [0, 1, 0],
    'the parcel is late': [0.1, 0.9, 0],
    'I was charged twice': [0.95, 0.05, 0],
    'nothing has turned up yet': [0.05, 0.95, 0],
  };
  const sentenceVectors = {
    dimensions: 3,
    get: (text: string) => (Object.hasOwn(vectors, text) ? vectors[text] : undefined),
  };
  const examples = [
    { text: 'question about my invoice', intent: 'billing' },
    { text: 'the invoice is wrong', intent: 'billing' },
    { text: 'where is my parcel', intent: 'shipping' },
    { text: 'the parcel is late', intent: 'shipping' },
  ];
  const options = {
    training: { epochs: 200 },
    calibration: { fixedThreshold: 0 },
    features: { sentenceWeight: 3 },
  };

  it('adds the sentence vector as a dense block that carries paraphrases with no shared words', () => {
    const withVectors = IntentClassifier.train(examples, { ...options, sentenceVectors });
    const without = IntentClassifier.train(examples, options);
    expect(withVectors.info.features).toBe(without.info.features + 3);
    // No word of these occurs in training: only the sentence vectors link them to the intents.
    expect(withVectors.classify('I was charged twice').intent).toBe('billing');
    expect(withVectors.classify('nothing has turned up yet').intent).toBe('shipping');
    // A text without a vector falls back to the n-gram features alone.
    expect(withVectors.classify('parcel').intent).toBe('shipping');
  });
});
