/** The shared token counter (src/text/tokens.ts). */
export { countTokens, decodeTokens, encodeTokens } from '../text/tokens';
