import type { Language } from '../text/language';
import { turnLanguage } from '../text/language';
import type { Encoder } from '../encoder/types';
import { BOT_MODEL_OPTIONS } from './botModel';
import { loadNluDataset } from './dataset';
import { CHINESE_MODEL_OPTIONS, loadChineseNluDataset } from './chineseModel';
import { IntentClassifier } from './classifier';
import type { IntentPrediction } from './intents';
import { routePolicyQuestion } from './policyQuestion';
import { SentenceIntentModel, type SentenceModelStatus } from './sentenceModel';

const IDS = /\b(?:ord|tkt)[-_ ]?\d+\b/gi;
const NO_WORDS = /^[^\p{L}]*$/u;

/** What the embedded planner needs from intent classification: a prediction for one turn. */
export interface TurnIntentModel {
  /**
   * `locale` is the activity's locale (e.g. "zh-CN"); it decides only when the text has no letters.
   * Asynchronous: with a sentence encoder, an English message is encoded before it is classified.
   */
  classify(text: string, locale?: string): Promise<IntentPrediction & { language?: Language }>;
}

/**
 * One intent model per language: the turn's language (src/text/language.ts) picks the model. The
 * English model is the one `createBotIntentModel` always trained; the Chinese one has its own data,
 * features and threshold, so neither language's data can shift the other's predictions.
 */
export class LanguageIntentModels implements TurnIntentModel {
  private readonly trained = new Map<Language, IntentClassifier>();
  /** English with the sentence encoder (its n-gram model is `models.en`); absent without one. */
  readonly english: SentenceIntentModel;

  /**
   * Per language a model, or a function that trains it on first use (see createLanguageIntentModels).
   * `english`: the English model with sentence vectors, when an encoder is configured.
   */
  constructor(
    private readonly models: Record<Language, IntentClassifier | (() => IntentClassifier)>,
    english?: SentenceIntentModel,
  ) {
    this.english = english ?? new SentenceIntentModel(this.model('en'), undefined);
  }

  /** What classifies English turns now (for /readyz). */
  status(): SentenceModelStatus {
    return this.english.status();
  }

  /** The n-gram model of a language (English: the one that serves until sentence vectors are ready). */
  model(language: Language): IntentClassifier {
    let model = this.trained.get(language);
    if (!model) {
      const entry = this.models[language];
      model = typeof entry === 'function' ? entry() : entry;
      this.trained.set(language, model);
    }
    return model;
  }

  async classify(text: string, locale?: string): Promise<IntentPrediction & { language: Language }> {
    const input = typeof text === 'string' ? text : '';
    const language = turnLanguage(input, locale);
    // A message of nothing but ids and numbers ("ORD-10421" answering "which order?") has no words
    // for the Chinese model to read: the English model, whose guards for bare ids are tested
    // (no write action from a number alone), classifies it. The turn's language is still the locale's.
    const modelLanguage = NO_WORDS.test(input.replace(IDS, ' ')) ? 'en' : language;
    // The encoder is English-only: Chinese turns keep their own n-gram model.
    const prediction =
      modelLanguage === 'en' ? await this.english.classify(input) : this.model(modelLanguage).classify(input);
    // A policy question worded like an order action ("Above what order value is shipping free?",
    // "returns") is a question for the documents (policyQuestion.ts).
    return { ...routePolicyQuestion(input, prediction), language };
  }
}

export interface LanguageIntentModelOptions {
  datasetDir?: string;
  /**
   * The sentence encoder (ENCODER=embedded): English is then also trained with sentence vectors,
   * in the background (see SentenceIntentModel); the n-gram model serves until that is ready.
   */
  encoder?: Encoder;
}

/**
 * The production models: English (data/nlu/utterances) trained now, as before; Chinese (its zh-CN
 * folder) read and checked now but trained on the first Chinese turn (about 1 s, once), so start-up
 * and English-only use cost what they did before. With an encoder, English with sentence vectors
 * starts training now and takes over when ready (`english.train`'s promise is not awaited here).
 */
export async function createLanguageIntentModels(
  options: LanguageIntentModelOptions = {},
): Promise<LanguageIntentModels> {
  const examples = loadNluDataset(options.datasetDir).examples;
  const en = IntentClassifier.train(examples, BOT_MODEL_OPTIONS);
  const zhExamples = loadChineseNluDataset(options.datasetDir).examples;
  const english = new SentenceIntentModel(en, options.encoder);
  void english.train(examples);
  return new LanguageIntentModels(
    { en, 'zh-CN': () => IntentClassifier.train(zhExamples, CHINESE_MODEL_OPTIONS) },
    english,
  );
}
