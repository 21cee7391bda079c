/**
 * The bot's English intent model with and without sentence vectors (embedded USE-lite).
 *
 *   npx tsx bench/eval/botIntentEncoder.ts --split dev       # settings: dev split carved from train only
 *   npx tsx bench/eval/botIntentEncoder.ts --split heldout   # once per final configuration
 *
 * Vectors are cached in .data/bench/bot-intents-use-lite.json(.f32). Prints one JSON line per setting.
 */
import { EmbeddedSentenceEncoder } from '../../src/encoder';
import {
  BOT_MODEL_OPTIONS,
  IntentClassifier,
  OUT_OF_SCOPE,
  loadNluDataset,
  splitDataset,
} from '../../src/nlu';
import type { IntentClassifierOptions, LabelledExample } from '../../src/nlu';
import { BOT_SENTENCE_MODEL_OPTIONS } from '../../src/nlu/botModel';
import { sentenceVectorsFor } from '../lib/sentenceVectorCache';
import { accuracy, macroF1 } from './metrics';
import { INTENTS } from '../../src/nlu';

/** Dev split inside train: within each intent every 5th train utterance, offset by 2 (never the held-out ones). */
export function carveBotDevSplit(train: LabelledExample[]): {
  fit: LabelledExample[];
  dev: LabelledExample[];
} {
  const seen = new Map<string, number>();
  const fit: LabelledExample[] = [];
  const dev: LabelledExample[] = [];
  for (const e of train) {
    const n = (seen.get(e.intent) ?? 0) + 1;
    seen.set(e.intent, n);
    (n % 5 === 2 ? dev : fit).push(e);
  }
  return { fit, dev };
}

function score(
  model: IntentClassifier,
  test: LabelledExample[],
  vector: (t: string) => ArrayLike<number> | undefined,
) {
  const predicted = test.map((e) => model.classify(e.text, vector(e.text)).intent);
  const gold = test.map((e) => e.intent);
  const oos = test.map((e, i) => [e, predicted[i]] as const).filter(([e]) => e.intent === OUT_OF_SCOPE);
  return {
    accuracy: Number(accuracy(gold, predicted).toFixed(4)),
    macroF1: Number(macroF1(gold, predicted, [...INTENTS]).toFixed(4)),
    oosRecall: `${oos.filter(([, p]) => p === OUT_OF_SCOPE).length}/${oos.length}`,
    errors: test.filter((e, i) => predicted[i] !== e.intent).length,
  };
}

async function main(): Promise<void> {
  const split = process.argv.includes('heldout') ? 'heldout' : 'dev';
  const { train, test } = splitDataset(loadNluDataset().examples);
  const { fit, dev } = split === 'dev' ? carveBotDevSplit(train) : { fit: train, dev: test };
  const encoder = new EmbeddedSentenceEncoder();
  const vectors = await sentenceVectorsFor(
    [...fit, ...dev].map((e) => e.text),
    encoder,
    '.data/bench/bot-intents-use-lite.json',
  );
  await encoder.close();
  const settings: [string, Partial<IntentClassifierOptions>][] =
    split === 'dev'
      ? [
          ['sparse (production)', BOT_MODEL_OPTIONS],
          ...[0.5, 1, 1.5, 2, 3].map((w): [string, Partial<IntentClassifierOptions>] => [
            `softmax + sentence w${w}`,
            { ...BOT_MODEL_OPTIONS, features: { sentenceWeight: w }, sentenceVectors: vectors },
          ]),
          ...[20, 30].map((epochs): [string, Partial<IntentClassifierOptions>] => [
            `softmax + sentence w2, ${epochs} epochs`,
            {
              ...BOT_MODEL_OPTIONS,
              training: { epochs },
              features: { sentenceWeight: 2 },
              sentenceVectors: vectors,
            },
          ]),
          ...[64, 128].map((h): [string, Partial<IntentClassifierOptions>] => [
            `mlp h${h} x3 + sentence w1`,
            { ...BOT_MODEL_OPTIONS, model: 'mlp', mlp: { hidden: h }, sentenceVectors: vectors },
          ]),
        ]
      : [
          ['sparse (production)', BOT_MODEL_OPTIONS],
          [
            'with sentence vectors, every message encoded',
            { ...BOT_SENTENCE_MODEL_OPTIONS, sentenceVectors: vectors },
          ],
        ];
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
  if (process.argv.includes('--gate')) {
    // Encode only when the n-gram model is unsure: how much of the gain stays, how many turns skip the encoder.
    const sparse = IntentClassifier.train(fit, BOT_MODEL_OPTIONS);
    const dense = IntentClassifier.train(fit, { ...BOT_SENTENCE_MODEL_OPTIONS, sentenceVectors: vectors });
    const gates = split === 'dev' ? [0.7, 0.8, 0.9, 0.95, 0.99, 1.01] : [0.9];
    for (const gate of gates) {
      let skipped = 0;
      const predicted = dev.map((e) => {
        const p = sparse.classify(e.text);
        if (p.intent !== OUT_OF_SCOPE && p.confidence >= gate) {
          skipped++;
          return p.intent;
        }
        return dense.classify(e.text, vectors.get(e.text)).intent;
      });
      const gold = dev.map((e) => e.intent);
      const oos = dev.map((e, i) => [e, predicted[i]] as const).filter(([e]) => e.intent === OUT_OF_SCOPE);
      console.log(
        JSON.stringify({
          split,
          gate,
          accuracy: Number(accuracy(gold, predicted).toFixed(4)),
          macroF1: Number(macroF1(gold, predicted, [...INTENTS]).toFixed(4)),
          oosRecall: `${oos.filter(([, p]) => p === OUT_OF_SCOPE).length}/${oos.length}`,
          skipped: `${skipped}/${dev.length}`,
        }),
      );
    }
    return;
  }
  for (const [name, options] of settings) {
    if (only && !name.includes(only)) continue;
    const started = performance.now();
    const model = IntentClassifier.train(fit, options);
    const trainMs = Math.round(performance.now() - started);
    const vector = options.sentenceVectors ? (t: string) => vectors.get(t) : () => undefined;
    console.log(
      JSON.stringify({
        split,
        name,
        fit: fit.length,
        test: dev.length,
        trainMs,
        threshold: Number(model.threshold.toFixed(3)),
        ...score(model, dev, vector),
      }),
    );
  }
}

void main();
