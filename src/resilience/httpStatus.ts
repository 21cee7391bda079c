/**
 * What an HTTP answer says about retrying, for every REST dependency (the model, the orders API,
 * the ticket webhook): the one set of transient statuses and the server-requested wait.
 */

/** 429 throttling, 408 timeouts and transient gateway/server errors. 501/505 are not transient. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

interface HeaderReader {
  get(name: string): string | null;
}

/** Whether a response status is worth re-sending. An explicit `x-should-retry` header (OpenAI) wins. */
export function isRetryableStatus(status: number, headers?: HeaderReader): boolean {
  const explicit = headers?.get('x-should-retry');
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
