import winkTokenizer from 'wink-tokenizer';
import stem from 'wink-porter2-stemmer';

const tokenizer = winkTokenizer();

/**
 * Placeholders replace values that carry no intent signal of their own, so "order ORD-10421" and
 * "order ORD-99" produce the same features and the model never memorises a particular id.
 */
const ID_PATTERNS: [RegExp, string][] = [
  [/\bord[-_ ]?\d{3,}\b/gi, ' ordid '],
  [/\btkt[-_ ]?\d{3,}\b/gi, ' tktid '],
];

const KEPT_TAGS = new Set([
  'word',
  'number',
  'email',
  'url',
  'currency',
  'emoji',
  'emoticon',
  'time',
  'ordinal',
]);

/** Lower-cased, id-normalised text: the input of the character n-gram features. */
export function normaliseText(text: string): string {
  let out = text.toLowerCase();
  for (const [pattern, placeholder] of ID_PATTERNS) out = out.replace(pattern, placeholder);
  return out.replace(/\s+/g, ' ').trim();
}

/**
 * Word tokens for the word n-gram features: wink-tokenizer splits and tags, punctuation is dropped
 * except "?", numbers/emails/urls become class tokens, words are Porter2-stemmed.
 */
export function wordTokens(normalised: string): string[] {
  const out: string[] = [];
  for (const token of tokenizer.tokenize(normalised)) {
    if (token.tag === 'punctuation') {
      if (token.value === '?') out.push('?');
      continue;
    }
    if (!KEPT_TAGS.has(token.tag)) continue;
    if (token.tag === 'word') {
      // Contractions come out as "n't", "'s": keep them as their own tokens.
      out.push(token.value.startsWith("'") || token.value === "n't" ? token.value : stem(token.value));
    } else if (token.tag === 'number' || token.tag === 'ordinal') {
      out.push('<num>');
    } else {
      out.push(`<${token.tag}>`);
    }
  }
  return out;
}
