/**
 * The two languages the bot speaks. A message's language is what it is written in, whatever the
 * client's locale says: Chinese text from an en-US Teams client is Chinese.
 */
export type Language = 'en' | 'zh-CN';

const HAN = /\p{Script=Han}/gu;
const LETTER = /[\p{L}]/gu;

/**
 * 'zh-CN' when Chinese characters make up at least a third of the letters (an order id or an
 * English product name inside a Chinese sentence keeps it Chinese), otherwise 'en'; text with no
 * letters at all follows `fallback` (e.g. the activity's locale).
 */
export function detectLanguage(text: string, fallback: Language = 'en'): Language {
  const letters = text.match(LETTER)?.length ?? 0;
  if (letters === 0) return fallback;
  const han = text.match(HAN)?.length ?? 0;
  return han * 3 >= letters ? 'zh-CN' : 'en';
}

/** The language of a Teams locale such as `zh-CN`, `zh-Hans-CN`, `en-US`; undefined for others. */
export function languageOfLocale(locale: string | undefined): Language | undefined {
  if (!locale) return undefined;
  const lower = locale.toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en';
  return undefined;
}

/** Order and ticket ids are written the same in every language: they say nothing about it. */
const IDS = /\b(?:ord|tkt)[-_ ]?\d+\b/gi;

/**
 * The language of one turn: the text decides (Chinese from an en-US client is Chinese, English
 * from a zh-CN client is English); a message without letters besides ids ("ORD-10421", "👍")
 * follows the client's locale, and English when the locale is neither.
 */
export function turnLanguage(text: string, locale?: string): Language {
  return detectLanguage(text.replace(IDS, ' '), languageOfLocale(locale) ?? 'en');
}

/** Whether the text has letters besides order and ticket ids: only then does it show its language. */
export function showsLanguage(text: string): boolean {
  return /\p{L}/u.test(text.replace(IDS, ' '));
}
