import { decode, encode } from 'gpt-tokenizer';

/**
 * Token counting with gpt-tokenizer's default encoding (cl100k_base, what teams-ai uses for
 * its own prompt budgets). Newer models (o200k) count a few percent fewer tokens, so budgets
 * computed here are slightly conservative.
 */
export function countTokens(text: string): number {
  return text ? encode(text).length : 0;
}

/** The longest prefix of `text` within `maxTokens`, cut back to a word boundary and marked with '…'. */
export function truncateToTokens(text: string, maxTokens: number): string {
  if (maxTokens <= 0 || !text) return '';
  const tokens = encode(text);
  if (tokens.length <= maxTokens) return text;
  const cut = decode(tokens.slice(0, Math.max(0, maxTokens - 1)));
  const lastSpace = cut.lastIndexOf(' ');
  return `${lastSpace > cut.length / 2 ? cut.slice(0, lastSpace) : cut}…`;
}
