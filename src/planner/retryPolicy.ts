/**
 * When and how long to wait before re-sending a model request. Pure functions, so the policy is
 * tested without clocks; `retryingFetch.ts` applies it to real HTTP calls.
 */

export interface RetryPolicy {
  /** Re-sends after the first attempt (default 3). 0 disables retries. */
  maxRetries: number;
  /** First backoff ceiling in ms; doubles per retry (default 500). */
  baseDelayMs: number;
  /** Largest computed backoff in ms (default 8000). */
  maxDelayMs: number;
  /**
   * Longest server-requested wait (Retry-After / retry-after-ms) we accept, in ms (default 10000).
   * A chat turn cannot sit out a long throttle window: beyond this we stop at once and report the
   * rate limit, so the user hears "busy, try again" instead of waiting for a timeout.
   */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  maxRetryAfterMs: 10_000,
});

/** 429 throttling, 408 timeouts and transient gateway/server errors. 501/505 are not transient. */
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

interface HeaderReader {
  get(name: string): string | null;
}

/** Whether a response status is worth re-sending. An explicit `x-should-retry` header wins. */
export function isRetryableResponse(status: number, headers: HeaderReader): boolean {
  const explicit = headers.get('x-should-retry');
  if (explicit === 'true') return true;
  if (explicit === 'false') return false;
  return RETRYABLE_STATUSES.has(status);
}

/**
 * The wait the server asked for, in ms, or undefined when it gave none (or nothing parseable).
 * Azure OpenAI sends `retry-after-ms`; the standard `Retry-After` is seconds or an HTTP date.
 */
export function retryAfterMs(headers: HeaderReader, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const header = headers.get('retry-after');
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(header);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Exponential backoff with full jitter: a uniform wait in [0, min(maxDelay, base * 2^retry)).
 * Full jitter spreads simultaneous clients out best (AWS Architecture Blog, "Exponential Backoff
 * and Jitter"). `retry` is 0 for the first re-send.
 */
export function backoffDelayMs(
  retry: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

export type RetryDecision =
  | { retry: true; delayMs: number; reason: 'retry-after' | 'backoff' }
  | { retry: false; reason: 'not-retryable' | 'exhausted' | 'retry-after-too-long' };

/** What to do after attempt number `retry` (0-based count of re-sends so far) got `status`. */
export function decideRetry(
  status: number,
  headers: HeaderReader,
  retry: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
  now: number = Date.now(),
): RetryDecision {
  if (!isRetryableResponse(status, headers)) return { retry: false, reason: 'not-retryable' };
  if (retry >= policy.maxRetries) return { retry: false, reason: 'exhausted' };
  const requested = retryAfterMs(headers, now);
  if (requested !== undefined) {
    if (requested > policy.maxRetryAfterMs) return { retry: false, reason: 'retry-after-too-long' };
    return { retry: true, delayMs: requested, reason: 'retry-after' };
  }
  return { retry: true, delayMs: backoffDelayMs(retry, policy, random), reason: 'backoff' };
}

/** Validates a partial policy and fills defaults; throws RangeError naming the bad field. */
export function resolveRetryPolicy(partial: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...stripUndefined(partial) };
  for (const [key, value] of Object.entries(policy)) {
    if (!Number.isInteger(value) || value < 0)
      throw new RangeError(`retry policy ${key} must be a non-negative integer, got ${String(value)}`);
  }
  if (policy.maxRetries > 10)
    throw new RangeError(`retry policy maxRetries must be at most 10, got ${policy.maxRetries}`);
  return policy;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
