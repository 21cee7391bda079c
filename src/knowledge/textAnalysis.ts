import { memoizingStemmer } from 'porter-stemmer';
import { CHINESE_STOP_WORDS, HAN, chineseTokens } from '../text/chineseWords';

export { CHINESE_STOP_WORDS };

/**
 * An English analyzer modelled on Lucene's EnglishAnalyzer (what Anserini's BM25 baselines use):
 * word tokens (letters/digits, keeping inner apostrophes and dots as UAX#29 does), possessive
 * removal, lower-casing, Lucene's English stop set, then the Porter stemmer. Chinese text, which
 * has no spaces, is split into words by ICU's dictionary segmenter (`Intl.Segmenter`) plus
 * overlapping character bigrams (as Lucene's CJK analyzer does), so a question segmented
 * differently from the document still matches; Chinese function words are dropped.
 */

/** Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET. */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'but',
  'by',
  'for',
  'if',
  'in',
  'into',
  'is',
  'it',
  'no',
  'not',
  'of',
  'on',
  'or',
  'such',
  'that',
  'the',
  'their',
  'then',
  'there',
  'these',
  'they',
  'this',
  'to',
  'was',
  'will',
  'with',
]);

/**
 * Bumped whenever analysis changes what terms a text gives (2: Chinese segmentation). It is part of
 * every document's content hash and of the embedded index file's version, so an index built by an
 * older analyzer is rebuilt instead of silently mismatching new queries.
 */
export const ANALYZER_VERSION = 2;

const WORD = /[\p{L}\p{N}]+(?:['’.][\p{L}\p{N}]+)*/gu;

/**
 * Splits text into raw word tokens (no lower-casing or stemming). `bigrams: false` leaves out the
 * Chinese character bigrams (dictionary words only).
 */
export function tokenizeWords(text: string, opts: { bigrams?: boolean } = {}): string[] {
  const tokens = text.match(WORD) ?? [];
  if (!HAN.test(text)) return tokens;
  return tokens.flatMap((token) =>
    HAN.test(token) ? chineseTokens(token, { bigrams: opts.bigrams ?? true }) : [token],
  );
}

/** Normalizes one token into an index term, or null when it is a stop word. */
export function analyzeTerm(
  token: string,
  stopWords: ReadonlySet<string> = ENGLISH_STOP_WORDS,
): string | null {
  let t = token.toLowerCase().replace(/’/g, "'");
  if (t.endsWith("'s")) t = t.slice(0, -2);
  if (!t || stopWords.has(t)) return null;
  if (HAN.test(t)) return CHINESE_STOP_WORDS.has(t) || stopWords.has(t) ? null : t;
  // Tokens with digits or inner punctuation (p53, 1.5, e.g) are kept as they are.
  return /^[a-z]+$/.test(t) ? memoizingStemmer(t) : t;
}

/** Full analysis of a text into index terms, in order (duplicates kept). */
export function analyze(
  text: string,
  stopWords: ReadonlySet<string> = ENGLISH_STOP_WORDS,
  opts: { bigrams?: boolean } = {},
): string[] {
  const out: string[] = [];
  for (const token of tokenizeWords(text, opts)) {
    const term = analyzeTerm(token, stopWords);
    if (term) out.push(term);
  }
  return out;
}
