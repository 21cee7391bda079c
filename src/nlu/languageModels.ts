import type { Language } from '../text/language';
import { turnLanguage } from '../text/language';
import { createBotIntentModel } from './botModel';
import { CHINESE_MODEL_OPTIONS, loadChineseNluDataset } from './chineseModel';
import { IntentClassifier } from './classifier';
import type { IntentPrediction } from './intents';
import { routePolicyQuestion } from './policyQuestion';

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
  private readonly trained = new Map<Language, IntentClassifier>();

  /** Per language a model, or a function that trains it on first use (see createLanguageIntentModels). */
  constructor(private readonly models: Record<Language, IntentClassifier | (() => IntentClassifier)>) {}

  model(language: Language): IntentClassifier {
    let model = this.trained.get(language);
    if (!model) {
      const entry = this.models[language];
      model = typeof entry === 'function' ? entry() : entry;
      this.trained.set(language, model);
    }
    return model;
  }

  classify(text: string, locale?: string): IntentPrediction & { language: Language } {
    const input = typeof text === 'string' ? text : '';
    const language = turnLanguage(input, locale);
    // A message of nothing but ids and numbers ("ORD-10421" answering "which order?") has no words
    // for the Chinese model to read: the English model, whose guards for bare ids are tested
    // (no write action from a number alone), classifies it. The turn's language is still the locale's.
    const model = this.model(NO_WORDS.test(input.replace(IDS, ' ')) ? 'en' : language);
    // A policy question worded like an order action ("Above what order value is shipping free?",
    // "returns") is a question for the documents (policyQuestion.ts).
    return { ...routePolicyQuestion(input, model.classify(input)), language };
  }
}

/**
 * The production models: English (data/nlu/utterances) trained now, as before; Chinese (its zh-CN
 * folder) read and checked now but trained on the first Chinese turn (about 1 s, once), so start-up
 * and English-only use cost what they did before.
 */
export async function createLanguageIntentModels(datasetDir?: string): Promise<LanguageIntentModels> {
  const en = await createBotIntentModel(datasetDir);
  const zhExamples = loadChineseNluDataset(datasetDir).examples;
  return new LanguageIntentModels({
    en,
    'zh-CN': () => IntentClassifier.train(zhExamples, CHINESE_MODEL_OPTIONS),
  });
}
