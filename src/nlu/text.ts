import winkTokenizer from 'wink-tokenizer';
import stem from 'wink-porter2-stemmer';
import { chineseTokens, hasHan } from '../text/chineseWords';

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
  // NFKC turns full-width forms (？，ＯＲＤ－１０４２１) into their ASCII equivalents.
  let out = text.normalize('NFKC').toLowerCase();
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
    if (token.tag === 'alien' && hasHan(token.value)) {
      // wink-tokenizer does not split Chinese: dictionary words (single characters included, since
      // 吗 or 退 carry intent) and character bigrams.
      out.push(...chineseTokens(token.value, { singles: true }));
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
