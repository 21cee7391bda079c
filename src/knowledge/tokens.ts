import { decode, encode } from 'gpt-tokenizer';

/**
 * Token counting with the cl100k_base BPE (gpt-tokenizer), the encoding of the Azure OpenAI
 * embedding and GPT-4 family models. Special-token text in documents is treated as plain text.
 */
const NO_SPECIAL = { disallowedSpecial: new Set<string>() };

export function encodeTokens(text: string): number[] {
  return encode(text, NO_SPECIAL);
}

export function countTokens(text: string): number {
  return encodeTokens(text).length;
}

export function decodeTokens(tokens: readonly number[]): string {
  return decode([...tokens]);
}
