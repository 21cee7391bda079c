import type { TokenCredential } from '@azure/identity';
import type { AppConfig } from '../config';
import { createExtractiveSummarizer, createLlmSummarizer, type Summarizer } from '../memory';
import type { DependencyPolicy } from '../resilience/dependencyPolicy';
import { circuitBreakingCompletion } from '../resilience/resilientModel';
import { createChatCompletion } from './chatCompletion';

/**
 * The memory summarizer for `config`: the chat model when one is configured (behind the model's
 * breaker, bounded by `LLM_TIMEOUT_MS` like every model call; the extractive summary is the
 * fallback when it fails), else the extractive summary alone.
 */
export function createMemorySummarizer(
  config: Pick<AppConfig, 'llm' | 'resilience'>,
  modelPolicy: DependencyPolicy,
  credential?: TokenCredential,
): Summarizer {
  if (config.llm.mode === 'embedded') return createExtractiveSummarizer();
  const complete = createChatCompletion(config.llm, {
    credential,
    timeoutMs: config.resilience.llmTimeoutMs,
  });
  return createLlmSummarizer(circuitBreakingCompletion(complete, modelPolicy));
}
