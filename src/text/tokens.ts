import { decode, encode } from 'gpt-tokenizer';
import { LRUCache } from 'lru-cache';

/**
 * The one token counter (memory budgets, knowledge chunks, answer snippets and, as
 * `promptTokenizer`, teams-ai's prompt rendering): gpt-tokenizer's
 * cl100k_base BPE, what teams-ai uses for its own prompt budgets and the encoding of the Azure
 * OpenAI embedding and GPT-4 family models (o200k models count a few percent fewer tokens, so
 * budgets computed here are slightly conservative). Special-token text such as `<|endoftext|>` in
 * user messages or documents is counted as plain text, never refused with a throw.
 */
const NO_SPECIAL = { disallowedSpecial: new Set<string>() };

/**
 * Encodings of long texts seen before. The same texts are tokenised turn after turn — the system
 * prompt and the knowledge chunks packed into every prompt, counted again for budgets — and the
 * BPE costs ≈ 1 µs per character; bounded by total tokens (≈ 200k numbers).
 */
const encoded = new LRUCache<string, readonly number[]>({
  maxSize: 200_000,
  sizeCalculation: (tokens) => Math.max(1, tokens.length),
});
const MIN_CACHED_CHARS = 200;

function encodeShared(text: string): readonly number[] {
  if (text.length < MIN_CACHED_CHARS) return text ? encode(text, NO_SPECIAL) : [];
  let tokens = encoded.get(text);
  if (!tokens) {
    tokens = encode(text, NO_SPECIAL);
    encoded.set(text, tokens);
  }
  return tokens;
}

export function encodeTokens(text: string): number[] {
  const tokens = encodeShared(text);
  // A cached encoding is shared: callers get their own copy.
  return text.length < MIN_CACHED_CHARS ? (tokens as number[]) : [...tokens];
}

export function countTokens(text: string): number {
  return encodeShared(text).length;
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

/**
 * teams-ai's `Tokenizer` over this counter, for the planner's prompt rendering: teams-ai's own
 * GPTTokenizer refuses special-token text (a user typing `<|endoftext|>` would fail the turn) and
 * tokenises the unchanged system prompt afresh every turn.
 */
export const promptTokenizer = {
  encode: encodeTokens,
  decode: (tokens: number[]): string => decodeTokens(tokens),
};
