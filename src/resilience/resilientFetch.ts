import type { DependencyPolicy } from './dependencyPolicy';
import { isRetryableStatus, retryAfterMs } from './httpStatus';
import { AppError } from '../errors';

/**
 * A `fetch` for REST dependencies (the model endpoint, the orders API, the ticket webhook) that
 * runs each request under a DependencyPolicy. Transient answers (429, 408, 5xx gateway errors) and
 * network failures count against the policy and, when it has retries, are re-sent with jittered
 * backoff, or after the wait the server asked for (Retry-After / retry-after-ms, see
 * DependencyPolicyOptions.retryAfterMs). The caller finally sees the last answer (status, headers
 * and body) or error exactly as without the wrapper, so its own error handling stays as it is.
 * While a circuit is open the request is not sent and the promise rejects with CircuitOpenError.
 *
 * Re-sending is only safe for idempotent requests: use retries for GETs (orders) and model calls
 * (a chat completion has no side effect), none for the webhook POST, whose outbox already retries
 * with an idempotency key. The transport is any fetch (the global one, or node-fetch for the
 * openai client, which keeps its `agent` for custom CAs and proxies).
 */

interface HeaderReader {
  get(name: string): string | null;
}

/** The part of a fetch Response this wrapper reads (global fetch and node-fetch both have it). */
interface ResponseLike {
  status: number;
  statusText: string;
  headers: HeaderReader;
  arrayBuffer(): Promise<ArrayBuffer>;
}

type AnyInit = { signal?: unknown; body?: unknown } & Record<string, unknown>;
type FetchLike = (input: never, init?: never) => Promise<ResponseLike>;

interface ResilientFetchOptions<F extends FetchLike> {
  policy: DependencyPolicy;
  /** Transport (default the global fetch). */
  fetch?: F;
}

/** A transient HTTP answer, carried through the policy as an error so it can be retried and counted. */
export class TransientHttpError extends AppError {
  /** The wait the server asked for, in ms (Retry-After), if any. */
  readonly retryAfterMs: number | undefined;
  constructor(
    readonly status: number,
    readonly headers: HeaderReader,
    /** Rebuilds the answer (its body was read once) for the caller after the last attempt. */
    readonly replay: () => unknown = () => new Response(null, { status, headers: headers as Headers }),
  ) {
    super('HTTP_TRANSIENT', `HTTP ${status}`);
    this.retryAfterMs = retryAfterMs(headers);
  }
}

/** The caller's own signal fired (its timeout): a failure of the dependency, but retrying is pointless. */
class CallerAbortError extends AppError {
  constructor(readonly original: unknown) {
    super('CALLER_ABORTED', original instanceof Error ? original.message : 'request aborted');
    this.name = original instanceof Error ? original.name : 'AbortError';
  }
}

export function isHttpFailure(err: unknown): boolean {
  if (err instanceof TransientHttpError || err instanceof CallerAbortError) return true;
  // undici reports connection problems as TypeError('fetch failed') with a cause, node-fetch as
  // FetchError; aborts are DOMException / AbortError.
  return (
    err instanceof TypeError ||
    (err instanceof Error && ['TimeoutError', 'AbortError', 'FetchError'].includes(err.name))
  );
}

/** For DependencyPolicy.shouldRetry: never re-send once the caller has given up. */
export function isRetryableHttpFailure(err: unknown): boolean {
  return !(err instanceof CallerAbortError);
}

/** For DependencyPolicy.retryAfterMs: the wait a transient answer asked for. */
export function httpRetryAfterMs(err: unknown): number | undefined {
  return err instanceof TransientHttpError ? err.retryAfterMs : undefined;
}

export function createResilientFetch(options: { policy: DependencyPolicy }): typeof fetch;
export function createResilientFetch<F extends FetchLike>(options: ResilientFetchOptions<F>): F;
export function createResilientFetch<F extends FetchLike>(options: ResilientFetchOptions<F>): F {
  const transport = (options.fetch ?? fetch) as unknown as (
    input: unknown,
    init?: AnyInit,
  ) => Promise<ResponseLike>;
  const resilientFetch = async (input: unknown, init?: AnyInit): Promise<unknown> => {
    const callerSignal = (init?.signal ?? undefined) as AbortSignal | undefined;
    // A streamed body cannot be sent twice.
    if (!replayable(init?.body)) return transport(input, init);
    const waiting = { between: false };
    const attempt = async (attemptSignal: AbortSignal) => {
      waiting.between = false;
      try {
        return await sendOnce(transport, input, init, callerSignal, attemptSignal);
      } finally {
        waiting.between = true;
      }
    };
    try {
      return await stopWaitingOnAbort(options.policy.execute(attempt, callerSignal), callerSignal, waiting);
    } catch (err) {
      // Give the caller what the dependency said, as if there were no wrapper.
      if (err instanceof TransientHttpError) return err.replay();
      if (err instanceof CallerAbortError) throw err.original;
      throw err;
    }
  };
  return resilientFetch as unknown as F;
}

function replayable(body: unknown): boolean {
  return body === undefined || body === null || typeof body === 'string' || Buffer.isBuffer(body);
}

/** One request; a transient answer becomes a TransientHttpError that can replay it. */
async function sendOnce(
  transport: (input: unknown, init?: AnyInit) => Promise<ResponseLike>,
  input: unknown,
  init: AnyInit | undefined,
  callerSignal: AbortSignal | undefined,
  attemptSignal: AbortSignal,
): Promise<ResponseLike> {
  const signal = callerSignal ? AbortSignal.any([callerSignal, attemptSignal]) : attemptSignal;
  let res: ResponseLike;
  try {
    res = await transport(input, { ...init, signal });
  } catch (err) {
    throw callerSignal?.aborted ? new CallerAbortError(err) : err;
  }
  if (!isRetryableStatus(res.status, res.headers)) return res;
  // Read the (small) error body now: it frees the connection and is replayed to the caller.
  const body = Buffer.from(await res.arrayBuffer().catch(() => new ArrayBuffer(0)));
  const Ctor = res.constructor as new (body: Buffer, init: object) => unknown;
  const again = { status: res.status, statusText: res.statusText, headers: res.headers };
  throw new TransientHttpError(res.status, res.headers, () => new Ctor(body, again));
}

/**
 * cockatiel's backoff wait ignores the signal: when the caller aborts between attempts, reject at
 * once with the signal's reason (AbortError, or TimeoutError from AbortSignal.timeout), as fetch
 * would. During an attempt the transport itself rejects (its signal includes the caller's).
 */
function stopWaitingOnAbort<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  waiting: { between: boolean },
): Promise<T> {
  if (!signal) return work;
  const reason = () =>
    signal.reason instanceof Error
      ? signal.reason
      : Object.assign(new Error('The request was aborted while waiting to retry'), { name: 'AbortError' });
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      if (waiting.between) reject(reason());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
