import type { Language } from '../text/language';
import { turnLanguage } from '../text/language';
import { createBotIntentModel } from './botModel';
import { createChineseIntentModel } from './chineseModel';
import type { IntentClassifier } from './classifier';
import type { IntentPrediction } from './intents';

const IDS = /\b(?:ord|tkt)[-_ ]?\d+\b/gi;
const NO_WORDS = /^[^\p{L}]*$/u;

/** What the embedded planner needs from intent classification: a prediction for one turn. */
export interface TurnIntentModel {
  /** `locale` is the activity's locale (e.g. "zh-CN"); it decides only when the text has no letters. */
  classify(text: string, locale?: string): IntentPrediction & { language?: Language };
}

/**
 * One intent model per language: the turn's language (src/text/language.ts) picks the model. The
 * English model is the one `createBotIntentModel` always trained; the Chinese one has its own data,
 * features and threshold, so neither language's data can shift the other's predictions.
 */
export class LanguageIntentModels implements TurnIntentModel {
  constructor(private readonly models: Record<Language, IntentClassifier>) {}

  model(language: Language): IntentClassifier {
    return this.models[language];
  }

  classify(text: string, locale?: string): IntentPrediction & { language: Language } {
    const input = typeof text === 'string' ? text : '';
    const language = turnLanguage(input, locale);
    // A message of nothing but ids and numbers ("ORD-10421" answering "which order?") has no words
    // for the Chinese model to read: the English model, whose guards for bare ids are tested
    // (no write action from a number alone), classifies it. The turn's language is still the locale's.
    const model = NO_WORDS.test(input.replace(IDS, ' ')) ? this.models.en : this.models[language];
    return { ...model.classify(input), language };
  }
}

/** Trains both production models (English on data/nlu/utterances, Chinese on its zh-CN folder). */
export async function createLanguageIntentModels(datasetDir?: string): Promise<LanguageIntentModels> {
  const [en, zh] = await Promise.all([
    createBotIntentModel(datasetDir),
    createChineseIntentModel(datasetDir),
  ]);
  return new LanguageIntentModels({ en, 'zh-CN': zh });
}
