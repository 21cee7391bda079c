import type { Language } from '../text/language';
import { turnLanguage } from '../text/language';
import { createBotIntentModel } from './botModel';
import { createChineseIntentModel } from './chineseModel';
import type { IntentClassifier } from './classifier';
import type { IntentPrediction } from './intents';

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
    const language = turnLanguage(typeof text === 'string' ? text : '', locale);
    return { ...this.models[language].classify(text), language };
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
