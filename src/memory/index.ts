export * from './conversationMemory';
export { createExtractiveSummarizer, type ExtractiveSummarizerOptions } from './extractiveSummarizer';
export { createLlmSummarizer } from './llmSummarizer';
