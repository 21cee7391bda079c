import { memoizingStemmer } from 'porter-stemmer';

/**
 * An English analyzer modelled on Lucene's EnglishAnalyzer (what Anserini's BM25 baselines use):
 * word tokens (letters/digits, keeping inner apostrophes and dots as UAX#29 does), possessive
 * removal, lower-casing, Lucene's English stop set, then the Porter stemmer.
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

const WORD = /[\p{L}\p{N}]+(?:['’.][\p{L}\p{N}]+)*/gu;

/** Splits text into raw word tokens (no lower-casing or stemming). */
export function tokenizeWords(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** Normalizes one token into an index term, or null when it is a stop word. */
export function analyzeTerm(
  token: string,
  stopWords: ReadonlySet<string> = ENGLISH_STOP_WORDS,
): string | null {
  let t = token.toLowerCase().replace(/’/g, "'");
  if (t.endsWith("'s")) t = t.slice(0, -2);
  if (!t || stopWords.has(t)) return null;
  // Tokens with digits or inner punctuation (p53, 1.5, e.g) are kept as they are.
  return /^[a-z]+$/.test(t) ? memoizingStemmer(t) : t;
}

/** Full analysis of a text into index terms, in order (duplicates kept). */
export function analyze(text: string, stopWords: ReadonlySet<string> = ENGLISH_STOP_WORDS): string[] {
  const out: string[] = [];
  for (const token of tokenizeWords(text)) {
    const term = analyzeTerm(token, stopWords);
    if (term) out.push(term);
  }
  return out;
}
