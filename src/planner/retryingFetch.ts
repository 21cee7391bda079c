import nodeFetch, { type RequestInfo, type RequestInit, type Response } from 'node-fetch';
import { logger } from '../observability/logger';
import { backoffDelayMs, decideRetry, type RetryPolicy } from './retryPolicy';

/**
 * A fetch for the openai client that re-sends throttled (429) and transient (408/5xx, connection
 * reset) requests with jittered exponential backoff, honouring Retry-After / retry-after-ms.
 *
 * Why not the openai client's own `maxRetries`: it waits out any Retry-After up to 60 s and its
 * backoff cannot be tuned. A Teams turn cannot wait that long, so here a server-requested wait
 * longer than `maxRetryAfterMs` ends the retries at once and the 429 reaches OpenAIModel, which
 * reports `rate_limited`. The client is then built with `maxRetries: 0`, and its `timeout` bounds
 * the whole call including these retries (its abort signal also cancels a pending wait).
 *
 * node-fetch is the transport the openai client itself uses on Node, so `httpAgent` (custom CA,
 * proxy, keep-alive) keeps working.
 */

export type FetchFn = (url: RequestInfo, init?: RequestInit) => Promise<Response>;

export interface RetryingFetchOptions {
  policy: RetryPolicy;
  /** Transport; default node-fetch. */
  fetch?: FetchFn;
  /** Source of jitter in [0, 1); default Math.random. */
  random?: () => number;
  /** Waits `ms` or rejects when `signal` aborts; default a timer. Injected by unit tests. */
  sleep?: (ms: number, signal?: AbortSignal | null) => Promise<void>;
}

export function createRetryingFetch(options: RetryingFetchOptions): FetchFn {
  const { policy } = options;
  const transport = options.fetch ?? nodeFetch;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep;

  return async function retryingFetch(url, init) {
    const signal = (init?.signal ?? null) as AbortSignal | null;
    // A streamed body cannot be sent twice; chat completions always send a JSON string.
    const replayable =
      init?.body === undefined ||
      init.body === null ||
      typeof init.body === 'string' ||
      Buffer.isBuffer(init.body);
    for (let retry = 0; ; retry++) {
      let response: Response;
      try {
        response = await transport(url, init);
      } catch (err) {
        if (!replayable || isAbort(err, signal) || retry >= policy.maxRetries) throw err;
        const delayMs = backoffDelayMs(retry, policy, random);
        logger.warn(
          { host: hostOf(url), retry: retry + 1, delayMs, error: (err as Error).message },
          'model request failed to connect; retrying',
        );
        await sleep(delayMs, signal);
        continue;
      }
      if (response.ok || !replayable) return response;
      const decision = decideRetry(response.status, response.headers, retry, policy, random);
      if (!decision.retry) {
        if (decision.reason !== 'not-retryable') {
          logger.warn(
            { host: hostOf(url), status: response.status, retries: retry, reason: decision.reason },
            'model request gave up',
          );
        }
        return response;
      }
      logger.warn(
        {
          host: hostOf(url),
          status: response.status,
          retry: retry + 1,
          delayMs: decision.delayMs,
          reason: decision.reason,
        },
        'model request throttled or failed; retrying',
      );
      // Drain the unused body so the keep-alive socket is released before we wait.
      await response.arrayBuffer().catch(() => undefined);
      await sleep(decision.delayMs, signal);
    }
  };
}

function isAbort(err: unknown, signal: AbortSignal | null): boolean {
  return signal?.aborted === true || (err instanceof Error && err.name === 'AbortError');
}

function hostOf(url: RequestInfo): string {
  try {
    return new URL(typeof url === 'string' ? url : 'href' in url ? url.href : url.url).host;
  } catch {
    return 'unknown';
  }
}

/** The openai client maps an `AbortError` to its timeout error, so a wait cut short looks the same. */
export function abortableSleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const abortError = () =>
      Object.assign(new Error('The model request was aborted while waiting to retry'), {
        name: 'AbortError',
      });
    if (signal?.aborted) return reject(abortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
