/** The shared token counter (src/text/tokens.ts). */
export { countTokens, truncateToTokens } from '../text/tokens';
