import { DependencyPolicy } from './dependencyPolicy';
import { httpRetryAfterMs, isHttpFailure, isRetryableHttpFailure } from './resilientFetch';

/** How the model endpoint's HTTP requests are re-sent (each field has its default). */
export interface ModelRetrySettings {
  /** Re-sends after the first attempt on 429/408/5xx and connection errors (default 3; 0: none). */
  maxRetries?: number;
  /** First backoff in ms (default 500); grows exponentially with jitter. */
  baseDelayMs?: number;
  /** Largest backoff in ms (default 8000). */
  maxDelayMs?: number;
  /** Longest Retry-After honoured, in ms (default 10000); a longer one is reported at once. */
  maxRetryAfterMs?: number;
}

/**
 * The policy for each HTTP request of the model client (planner and memory summaries). No breaker
 * of its own: the `model` policy's breaker is around the whole completion. The openai client is
 * built with `maxRetries: 0` because it would wait out any Retry-After up to 60 s, longer than a
 * Teams turn; its `timeout` bounds the whole call, these retries included.
 */
export function createModelRequestPolicy(settings: ModelRetrySettings = {}): DependencyPolicy {
  return new DependencyPolicy({
    name: 'openai',
    isFailure: isHttpFailure,
    shouldRetry: isRetryableHttpFailure,
    retryAfterMs: httpRetryAfterMs,
    maxRetryAfterMs: settings.maxRetryAfterMs ?? 10_000,
    retries: settings.maxRetries ?? 3,
    retryBaseDelayMs: settings.baseDelayMs ?? 500,
    retryMaxDelayMs: settings.maxDelayMs ?? 8000,
  });
}
