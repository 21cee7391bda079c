import type { DependencyPolicy } from './dependencyPolicy';

/**
 * A `fetch` for REST dependencies (the orders API, the ticket webhook) that runs each request
 * under a DependencyPolicy. Transient answers (429, 5xx gateway errors) and network failures count
 * against the breaker and, when the policy has retries, are re-sent with jittered backoff; the
 * caller finally sees the last status (or error) exactly as without the wrapper, so its own error
 * handling ("Orders API answered HTTP 503") stays as it is. While the circuit is open the request
 * is not sent and the returned promise rejects with CircuitOpenError (from ./dependencyPolicy).
 *
 * Re-sending is only safe for idempotent requests: use retries for GETs (orders) and none for the
 * webhook POST, whose outbox already retries with backoff and an idempotency key.
 */
export interface ResilientFetchOptions {
  policy: DependencyPolicy;
  /** Transport (default the global fetch). */
  fetch?: typeof fetch;
}

const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** A transient HTTP answer, carried through the policy as an error so it can be retried and counted. */
export class TransientHttpError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Headers,
  ) {
    super(`HTTP ${status}`);
    this.name = 'TransientHttpError';
  }
}

/** The caller's own signal fired (its timeout): a failure of the dependency, but retrying is pointless. */
class CallerAbortError extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : 'request aborted');
    this.name = original instanceof Error ? original.name : 'AbortError';
  }
}

export function isHttpFailure(err: unknown): boolean {
  if (err instanceof TransientHttpError || err instanceof CallerAbortError) return true;
  // undici reports connection problems as TypeError('fetch failed') with a cause; aborts as DOMException.
  return (
    err instanceof TypeError ||
    (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
  );
}

export function createResilientFetch(options: ResilientFetchOptions): typeof fetch {
  const transport = options.fetch ?? fetch;
  const resilientFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const callerSignal = init?.signal ?? undefined;
    try {
      return await options.policy.execute(async (attemptSignal) => {
        const signal = callerSignal ? AbortSignal.any([callerSignal, attemptSignal]) : attemptSignal;
        let res: Response;
        try {
          res = await transport(input, { ...init, signal });
        } catch (err) {
          throw callerSignal?.aborted ? new CallerAbortError(err) : err;
        }
        if (!TRANSIENT_STATUSES.has(res.status)) return res;
        await res.body?.cancel().catch(() => undefined);
        throw new TransientHttpError(res.status, res.headers);
      });
    } catch (err) {
      // Give the caller what the dependency said, as if there were no wrapper.
      if (err instanceof TransientHttpError)
        return new Response(null, { status: err.status, headers: err.headers });
      if (err instanceof CallerAbortError) throw err.original;
      throw err;
    }
  };
  return resilientFetch as typeof fetch;
}

/** For DependencyPolicy.shouldRetry: never re-send once the caller has given up. */
export function isRetryableHttpFailure(err: unknown): boolean {
  return !(err instanceof CallerAbortError);
}
