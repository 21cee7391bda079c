import { decode, encode } from 'gpt-tokenizer';
import { LRUCache } from 'lru-cache';

/**
 * The one token counter (memory budgets, knowledge chunks and answer snippets): gpt-tokenizer's
 * cl100k_base BPE, what teams-ai uses for its own prompt budgets and the encoding of the Azure
 * OpenAI embedding and GPT-4 family models (o200k models count a few percent fewer tokens, so
 * budgets computed here are slightly conservative). Special-token text such as `<|endoftext|>` in
 * user messages or documents is counted as plain text, never refused with a throw.
 */
const NO_SPECIAL = { disallowedSpecial: new Set<string>() };

export function encodeTokens(text: string): number[] {
  return text ? encode(text, NO_SPECIAL) : [];
}

/**
 * Counts of texts seen before. The same knowledge chunks are packed into a prompt turn after turn
 * (and the BPE costs ≈ 1 µs per character), so their counts are kept; short texts are not worth it.
 */
const counted = new LRUCache<string, number>({ max: 2000 });
const MIN_CACHED_CHARS = 200;

export function countTokens(text: string): number {
  if (text.length < MIN_CACHED_CHARS) return encodeTokens(text).length;
  let n = counted.get(text);
  if (n === undefined) {
    n = encodeTokens(text).length;
    counted.set(text, n);
  }
  return n;
}

export function decodeTokens(tokens: readonly number[]): string {
  return decode([...tokens]);
}

/** The longest prefix of `text` within `maxTokens`, cut back to a word boundary and marked with '…'. */
export function truncateToTokens(text: string, maxTokens: number): string {
  if (maxTokens <= 0 || !text) return '';
  const tokens = encodeTokens(text);
  if (tokens.length <= maxTokens) return text;
  const cut = decodeTokens(tokens.slice(0, Math.max(0, maxTokens - 1)));
  const lastSpace = cut.lastIndexOf(' ');
  return `${lastSpace > cut.length / 2 ? cut.slice(0, lastSpace) : cut}…`;
}
