import { chineseSegments } from '../text/words';
import type { AnalyzedTerms, FeatureOptions } from './features';

/**
 * Term extraction for the Chinese intent model. Chinese has no spaces, so the word block comes from
 * Node's ICU word segmentation (chineseSegments in src/text/words.ts) and the character
 * block from n-grams of characters (a Latin word or an id counts as one unit), which keeps the model
 * robust to segmentation mistakes ("开个工单" vs "开一个工单"). The English analysis is not used here.
 */

/** Values that carry no intent signal: "订单ORD-10421" and "订单10388" give the same features. */
const ID_PATTERNS: [RegExp, string][] = [
  [/\bord[-_ ]?\d{3,}\b/gi, ' ordid '],
  [/\btkt[-_ ]?\d{1,}\b/gi, ' tktid '],
  [/\d{3,}/g, ' num '],
];

/** NFKC (full-width letters, digits and punctuation become ASCII), lower case, ids as placeholders. */
export function normaliseChinese(text: string): string {
  let out = text.normalize('NFKC').toLowerCase();
  for (const [pattern, placeholder] of ID_PATTERNS) out = out.replace(pattern, placeholder);
  return out.replace(/\s+/g, ' ').trim();
}

/** The word-like segments of a (normalised) Chinese text, "?" kept as a question cue. */
function chineseWords(normalised: string): string[] {
  const out: string[] = [];
  for (const { segment, isWordLike } of chineseSegments(normalised)) {
    if (isWordLike) out.push(segment);
    else if (segment === '?') out.push('?');
  }
  return out;
}

/** Characters of Chinese words one by one; a Latin word or placeholder stays whole. */
function units(words: string[]): string[] {
  const out: string[] = [];
  for (const word of words) {
    if (/^[\p{Script=Han}]+$/u.test(word)) out.push(...word);
    else out.push(word);
  }
  return out;
}

/** The analyzer for FeatureOptions.analyzer: word n-grams over segments, character n-grams over units. */
export function chineseTerms(text: string, options: FeatureOptions): AnalyzedTerms {
  const words = chineseWords(normaliseChinese(text));
  const word: string[] = [];
  const [wMin, wMax] = options.wordNgrams;
  for (let n = wMin; n <= wMax; n++) {
    for (let i = 0; i + n <= words.length; i++) word.push(words.slice(i, i + n).join(' '));
  }
  // "?" is a word feature only; in the character block it would join unrelated neighbours.
  const sequence = units(words.filter((w) => w !== '?'));
  const padded = ['^', ...sequence, '$'];
  const char: string[] = [];
  const [cMin, cMax] = options.charNgrams;
  for (let n = cMin; n <= cMax; n++) {
    for (let i = 0; i + n <= padded.length; i++) {
      const gram = padded.slice(i, i + n);
      if (n === 1 && (gram[0] === '^' || gram[0] === '$')) continue;
      char.push(gram.join('\u0001'));
    }
  }
  return { word, char, raw: words };
}
