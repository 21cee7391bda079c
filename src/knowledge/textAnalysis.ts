import { CHINESE_STOP_WORDS, HAN, stem, tokenizeWords } from '../text/words';

/**
 * An English analyzer modelled on Lucene's EnglishAnalyzer (what Anserini's BM25 baselines use):
 * the shared word tokens (src/text/words.ts, Chinese segmentation included), possessive removal,
 * lower-casing, Lucene's English stop set, then the shared stemmer (Porter2); Chinese function words
 * are dropped.
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
 * older analyzer is rebuilt instead of silently mismatching new queries (3: Chinese weekday names;
 * 4: the Porter2 stemmer, shared with the intent model, replaced the original Porter; 5: Chinese
 * device nouns kept whole, 显示器 rather than 显示 + 器; 6: plurals of acronyms, NDAs → nda).
 */
export const ANALYZER_VERSION = 6;

/** "NDAs", "SLAs", "PDFs": an acronym's plural, which the stemmer keeps whole (it keeps "gas" too). */
const ACRONYM_PLURAL = /^[A-Z]{2,}s$/;

/** Normalizes one token into an index term, or null when it is a stop word. */
export function analyzeTerm(
  token: string,
  stopWords: ReadonlySet<string> = ENGLISH_STOP_WORDS,
): string | null {
  let t = (ACRONYM_PLURAL.test(token) ? token.slice(0, -1) : token).toLowerCase().replace(/’/g, "'");
  if (t.endsWith("'s")) t = t.slice(0, -2);
  if (!t || stopWords.has(t)) return null;
  if (HAN.test(t)) return CHINESE_STOP_WORDS.has(t) || stopWords.has(t) ? null : t;
  // Tokens with digits or inner punctuation (p53, 1.5, e.g) are kept as they are.
  return /^[a-z]+$/.test(t) ? stem(t) : t;
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
