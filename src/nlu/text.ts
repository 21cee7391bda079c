import { stem, tokenizeWords } from '../text/words';

/**
 * Placeholders replace values that carry no intent signal of their own, so "order ORD-10421" and
 * "order ORD-99" produce the same features and the model never memorises a particular id.
 */
const ID_PATTERNS: [RegExp, string][] = [
  [/\bord[-_ ]?\d{3,}\b/gi, ' ordid '],
  [/\btkt[-_ ]?\d{3,}\b/gi, ' tktid '],
];

/** Lower-cased, id-normalised text: the input of the character n-gram features. */
export function normaliseText(text: string): string {
  let out = text.toLowerCase();
  for (const [pattern, placeholder] of ID_PATTERNS) out = out.replace(pattern, placeholder);
  return out.replace(/\s+/g, ' ').trim();
}

/**
 * Word tokens for the word n-gram features: the shared word tokeniser and stemmer
 * (src/text/words.ts), "?" kept as a token of its own (a question cue), numbers as one class token.
 */
export function wordTokens(normalised: string): string[] {
  const out: string[] = [];
  for (const part of normalised.split(/(\?)/)) {
    if (part === '?') out.push('?');
    else for (const word of tokenizeWords(part)) out.push(/^[\d.,]+$/.test(word) ? '<num>' : stem(word));
  }
  return out;
}
