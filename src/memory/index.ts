export * from './conversationMemory';
export { createExtractiveSummarizer, type ExtractiveSummarizerOptions } from './extractiveSummarizer';
export { countTokens, truncateToTokens } from './tokens';
