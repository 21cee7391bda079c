import { describe, expect, it } from 'vitest';
import type { Encoder } from '../../src/encoder';
import { IntentClassifier } from '../../src/nlu';
import { LanguageIntentModels } from '../../src/nlu/languageModels';
import { SentenceIntentModel } from '../../src/nlu/sentenceModel';

/**
 * Toy sentence vectors: the paraphrases share no word with the training utterances, so only their
 * vectors link them to an intent (the n-gram model alone cannot tell).
 */
const VECTORS: Record<string, number[]> = {
  'question about my invoice': [1, 0, 0],
  'the invoice is wrong': [0.9, 0.1, 0],
  'where is my parcel': [0, 1, 0],
  'the parcel is late': [0.1, 0.9, 0],
  'I was charged twice': [0.95, 0.05, 0],
  'nothing has turned up yet': [0.05, 0.95, 0],
};
const EXAMPLES = [
  { text: 'question about my invoice', intent: 'billing' },
  { text: 'the invoice is wrong', intent: 'billing' },
  { text: 'where is my parcel', intent: 'shipping' },
  { text: 'the parcel is late', intent: 'shipping' },
];
const OPTIONS = {
  training: { epochs: 200 },
  calibration: { fixedThreshold: 0 },
  features: { sentenceWeight: 3 },
};

/** A fake encoder: the bulk call (training utterances) waits for `release`; `failing` texts throw. */
function fakeEncoder() {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const failing = new Set<string>();
  const calls: string[][] = [];
  const encoder: Encoder = {
    name: 'toy@1',
    dimensions: 3,
    async encode(texts) {
      calls.push(texts);
      if (texts.length > 1) await released;
      if (texts.some((t) => failing.has(t))) throw new Error('encoder down');
      return texts.map((t) => VECTORS[t] ?? [0, 0, 1]);
    },
  };
  return { encoder, release, failing, calls };
}

const sparseModel = () => IntentClassifier.train(EXAMPLES, OPTIONS);

describe('SentenceIntentModel', () => {
  it('serves the n-gram model while training, the sentence-vector model once it is ready', async () => {
    const fake = fakeEncoder();
    const sparse = sparseModel();
    const model = new SentenceIntentModel(sparse, fake.encoder, { options: OPTIONS });
    const training = model.train(EXAMPLES);
    expect(model.status().state).toBe('training');
    const before = await model.classify('I was charged twice');
    expect(before).toEqual(sparse.classify('I was charged twice'));
    // Before the vector model exists, no message is encoded.
    expect(fake.calls.filter((c) => c.length === 1)).toHaveLength(0);
    fake.release();
    await training;
    expect(model.status()).toMatchObject({ state: 'ready' });
    expect(model.status().detail).toContain('toy@1');
    expect(model.sentenceModel?.usesSentenceVectors).toBe(true);
    expect((await model.classify('I was charged twice')).intent).toBe('billing');
    expect((await model.classify('nothing has turned up yet')).intent).toBe('shipping');
    // Each message was encoded (one text per call) for the vector model.
    expect(fake.calls.filter((c) => c.length === 1)).toEqual([
      ['I was charged twice'],
      ['nothing has turned up yet'],
    ]);
  });

  it('classifies a turn with the n-gram model when encoding the message fails', async () => {
    const fake = fakeEncoder();
    const sparse = sparseModel();
    const model = new SentenceIntentModel(sparse, fake.encoder, { options: OPTIONS });
    fake.release();
    await model.train(EXAMPLES);
    fake.failing.add('nothing has turned up yet');
    expect(await model.classify('nothing has turned up yet')).toEqual(
      sparse.classify('nothing has turned up yet'),
    );
    expect(model.status().state).toBe('ready');
  });

  it('stays on the n-gram model and says so when training fails', async () => {
    const fake = fakeEncoder();
    fake.failing.add('the parcel is late');
    const sparse = sparseModel();
    const model = new SentenceIntentModel(sparse, fake.encoder, { options: OPTIONS });
    fake.release();
    await model.train(EXAMPLES);
    expect(model.status()).toMatchObject({ state: 'failed' });
    expect(model.status().detail).toMatch(/n-gram model serves; sentence-vector model failed: encoder down/);
    expect(await model.classify('I was charged twice')).toEqual(sparse.classify('I was charged twice'));
  });

  it('without an encoder is the n-gram model, state off', async () => {
    const sparse = sparseModel();
    const model = new SentenceIntentModel(sparse, undefined);
    await model.train(EXAMPLES);
    expect(model.status().state).toBe('off');
    expect(await model.classify('the invoice is wrong')).toEqual(sparse.classify('the invoice is wrong'));
  });
});

describe('LanguageIntentModels with the encoder', () => {
  it('never encodes a Chinese turn (the encoder is English-only)', async () => {
    const fake = fakeEncoder();
    fake.release();
    const en = sparseModel();
    const zh = IntentClassifier.train(
      [
        { text: '发票有问题', intent: 'billing' },
        { text: '我的快递到哪了', intent: 'shipping' },
      ],
      { calibration: { fixedThreshold: 0 } },
    );
    const english = new SentenceIntentModel(en, fake.encoder, { options: OPTIONS });
    await english.train(EXAMPLES);
    const models = new LanguageIntentModels({ en, 'zh-CN': zh }, english);
    expect(models.status().state).toBe('ready');
    const before = fake.calls.length;
    expect((await models.classify('我的快递到哪了', 'zh-CN')).intent).toBe('shipping');
    expect(fake.calls.length).toBe(before);
    expect((await models.classify('I was charged twice', 'en-US')).intent).toBe('billing');
    expect(fake.calls.length).toBe(before + 1);
  });
});

describe('IntentClassifier.trainInBackground', () => {
  it('gives the model `train` gives, letting other callbacks run while it trains', async () => {
    const options = { training: { epochs: 300 }, calibration: { folds: 2 } };
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const background = await IntentClassifier.trainInBackground(EXAMPLES, options, 0);
    clearInterval(ticker);
    const direct = IntentClassifier.train(EXAMPLES, options);
    for (const text of ['my invoice', 'parcel late', 'hello']) {
      expect(background.classify(text)).toEqual(direct.classify(text));
    }
    expect(background.threshold).toBe(direct.threshold);
    expect(ticks).toBeGreaterThan(0);
  });
});
