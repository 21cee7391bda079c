import { IntlMessageFormat } from 'intl-messageformat';
import { catalogue, type MessageKey } from './catalogue';
import { isoDay } from './dates';
import type { Language } from './language';

export type { MessageKey } from './catalogue';
type MessageValues = Record<string, string | number>;

/**
 * What produces text for one language: catalogue messages, dates and amounts. The core gets one
 * of these (or a Language to build it from), never a TurnContext.
 */
export interface Translator {
  readonly language: Language;
  /** The catalogue message `key`, its `{placeholders}` and plurals filled from `values`. */
  t(key: MessageKey, values?: MessageValues): string;
  /** A calendar day: YYYY-MM-DD in English (as always), the locale's long form otherwise. */
  date(value: string | undefined): string | undefined;
  /** An amount in `currency`, formatted for the language. */
  money(amount: number, currency: string): string;
  /** "A and B" / "A、B和C": a list of names joined for the language. */
  list(values: readonly string[]): string;
}

const LANGUAGES: readonly Language[] = ['en', 'zh-CN'];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Intl locale per language (en keeps the en-US number format the cards always had). */
const INTL_LOCALE: Record<Language, string> = { en: 'en-US', 'zh-CN': 'zh-CN' };

const formats = new Map<string, IntlMessageFormat>();
const moneyFormats = new Map<string, Intl.NumberFormat>();
const dayFormats = new Map<Language, Intl.DateTimeFormat>();

function message(language: Language, key: MessageKey): IntlMessageFormat {
  const id = `${language}\u0000${key}`;
  let format = formats.get(id);
  if (!format) {
    // Parsed once per language and key; `ignoreTag`: a `<` in a message is text, not markup.
    format = new IntlMessageFormat(catalogue[language][key], INTL_LOCALE[language], undefined, {
      ignoreTag: true,
    });
    formats.set(id, format);
  }
  return format;
}

function formatMoney(language: Language, amount: number, currency: string): string {
  const id = `${language}\u0000${currency}`;
  try {
    let format = moneyFormats.get(id);
    if (!format) {
      format = new Intl.NumberFormat(INTL_LOCALE[language], { style: 'currency', currency });
      moneyFormats.set(id, format);
    }
    return format.format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

function formatDay(language: Language, value: string | undefined): string | undefined {
  const day = isoDay(value);
  if (!day || language === 'en') return day;
  let format = dayFormats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_LOCALE[language], { dateStyle: 'long', timeZone: 'UTC' });
    dayFormats.set(language, format);
  }
  return format.format(new Date(`${day}T00:00:00Z`));
}

const listFormats = new Map<Language, Intl.ListFormat>();

function formatList(language: Language, values: readonly string[]): string {
  // English keeps the wording its replies always had ("A and B and C").
  if (language === 'en') return values.join(' and ');
  let format = listFormats.get(language);
  if (!format) {
    format = new Intl.ListFormat(INTL_LOCALE[language], { type: 'conjunction' });
    listFormats.set(language, format);
  }
  return format.format(values);
}

const translators = new Map<Language, Translator>();

/** The translator for `language` (one per language, shared). */
export function translator(language: Language = 'en'): Translator {
  let tr = translators.get(language);
  if (!tr) {
    tr = {
      language,
      t: (key, values) => String(message(language, key).format(values)),
      date: (value) => formatDay(language, value),
      money: (amount, currency) => formatMoney(language, amount, currency),
      list: (values) => formatList(language, values),
    };
    translators.set(language, tr);
  }
  return tr;
}

/** English: the default wherever no turn language is known (proactive messages, old cards). */
export const english = translator('en');

let englishIndex: Map<string, MessageKey> | undefined;

/**
 * A fixed English catalogue sentence (one without placeholders) in `tr`'s language; any other
 * text unchanged. For sentences chosen where the turn's language is not known yet (a failure
 * described by the storage or model layer, a ticket service refusal) and shown where it is.
 */
export function inLanguage(text: string, tr: Translator): string {
  if (tr.language === 'en') return text;
  if (!englishIndex) {
    englishIndex = new Map();
    for (const [key, value] of Object.entries(catalogue.en) as [MessageKey, string][])
      if (!value.includes('{')) englishIndex.set(value, key);
  }
  const key = englishIndex.get(text);
  return key ? tr.t(key) : text;
}
