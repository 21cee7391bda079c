import {
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
  isTaskCancelledError,
  noop,
  retry,
  timeout,
  wrap,
  type CircuitBreakerPolicy,
  type IBackoff,
  type IPolicy,
  type IRetryBackoffContext,
} from 'cockatiel';
import { logger } from '../observability/logger';
import { AppError } from '../errors';

/**
 * One remote dependency (Cosmos, Search, the model, the orders API, the ticket webhook) behind
 * cockatiel policies: a per-attempt timeout, retries with exponential backoff and decorrelated
 * jitter, and a circuit breaker around both. The breaker is outermost, so one logical call that
 * exhausted its retries counts once, and while it is open no attempt (and no retry) reaches the
 * dependency. After `halfOpenAfterMs` the next call is let through as a trial; its success closes
 * the circuit again, so recovery needs no operator.
 */

export type CircuitStateName = 'closed' | 'open' | 'half-open' | 'isolated';

export interface BreakerSettings {
  /** Consecutive failed calls that open the circuit. */
  consecutiveFailures: number;
  /** Time the circuit stays open before one trial call is let through. */
  halfOpenAfterMs: number;
}

export interface DependencyPolicyOptions {
  /** Bounded dependency name, used as metric label and in logs (cosmos, search, openai, orders, webhook). */
  name: string;
  /** Thrown errors that mean "the dependency failed" (retried and counted). Others pass through untouched. */
  isFailure: (error: unknown) => boolean;
  /** Results that mean "the dependency failed" although nothing was thrown (e.g. a 503 Response). */
  isFailedResult?: (result: unknown) => boolean;
  /** Per-attempt deadline; the caller gets DependencyTimeoutError. Default: none. */
  timeoutMs?: number;
  /** Narrows which failures are retried (default: all of them); e.g. not once the caller gave up. */
  shouldRetry?: (error: unknown) => boolean;
  /** Re-tries after the first attempt (default 0). */
  retries?: number;
  /** First backoff in ms (default 100); grows exponentially with decorrelated jitter up to retryMaxDelayMs. */
  retryBaseDelayMs?: number;
  /** Largest backoff in ms (default 2000). */
  retryMaxDelayMs?: number;
  /**
   * The wait a failure asks for (an HTTP Retry-After), used instead of the backoff when given.
   * A wait longer than `maxRetryAfterMs` is not retried at all: a chat turn cannot sit out a long
   * throttle window, so the user hears "busy, try again" at once instead of waiting for a timeout.
   */
  retryAfterMs?: (error: unknown) => number | undefined;
  /** Longest server-requested wait honoured, in ms (default 10000). */
  maxRetryAfterMs?: number;
  /** Circuit breaker around the retries; omitted: none (a layer under another policy's breaker). */
  breaker?: BreakerSettings;
  /** Called once per failed attempt (metrics). */
  onFailure?: (dependency: string) => void;
}

/** The circuit is open: the call was refused without reaching the dependency. */
export class CircuitOpenError extends AppError {
  constructor(readonly dependency: string) {
    super('CIRCUIT_OPEN', `${dependency} circuit is open; failing fast`);
  }
}

/** One attempt took longer than the policy's timeout. */
export class DependencyTimeoutError extends AppError {
  constructor(
    readonly dependency: string,
    readonly timeoutMs: number,
  ) {
    super('DEPENDENCY_TIMEOUT', `${dependency} did not answer within ${timeoutMs} ms`);
  }
}

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

export class DependencyPolicy {
  readonly name: string;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly inner: IPolicy;
  private readonly options: DependencyPolicyOptions;
  private openedAt = 0;

  constructor(options: DependencyPolicyOptions) {
    validate(options);
    this.options = options;
    this.name = options.name;
    const failed = (e: unknown) =>
      isTaskCancelledError(e) || e instanceof DependencyTimeoutError || options.isFailure(e);
    let handled = handleWhen(failed);
    if (options.isFailedResult) handled = handled.orWhenResult(options.isFailedResult);
    this.breaker = circuitBreaker(handled, {
      halfOpenAfter: options.breaker?.halfOpenAfterMs ?? 1,
      breaker: new ConsecutiveBreaker(options.breaker?.consecutiveFailures ?? 1),
    });
    const retries = options.retries ?? 0;
    const maxWait = options.maxRetryAfterMs ?? 10_000;
    const retryable = (e: unknown) =>
      failed(e) && (options.shouldRetry?.(e) ?? true) && !((options.retryAfterMs?.(e) ?? 0) > maxWait);
    const retryPolicy =
      retries > 0
        ? retry(
            options.isFailedResult
              ? handleWhen(retryable).orWhenResult(options.isFailedResult)
              : handleWhen(retryable),
            {
              maxAttempts: retries,
              backoff: honourRetryAfter(
                new ExponentialBackoff({
                  initialDelay: options.retryBaseDelayMs ?? 100,
                  maxDelay: options.retryMaxDelayMs ?? 2000,
                }),
                options.retryAfterMs,
              ),
            },
          )
        : noop;
    this.inner = options.breaker ? wrap(this.breaker, retryPolicy) : retryPolicy;
    this.breaker.onBreak(() => {
      this.openedAt = Date.now();
      logger.warn({ dependency: this.name }, 'circuit opened: failing fast');
    });
    this.breaker.onHalfOpen(() =>
      logger.info({ dependency: this.name }, 'circuit half-open: trying one call'),
    );
    this.breaker.onReset(() =>
      logger.info({ dependency: this.name }, 'circuit closed: dependency recovered'),
    );
  }

  /** Current breaker state (an open circuit reports 'open' until the next call after the cooldown). */
  state(): CircuitStateName {
    return STATE_NAMES[this.breaker.state];
  }

  /**
   * True while the breaker would refuse a call: open and still inside its cooldown. (cockatiel
   * reports 'open' until the next call after the cooldown; that call is the trial, so callers that
   * only peek must not keep refusing once the cooldown is over.)
   */
  isOpen(): boolean {
    const s = this.breaker.state;
    if (!this.options.breaker) return false;
    if (s === CircuitState.Isolated) return true;
    return s === CircuitState.Open && Date.now() < this.openedAt + this.options.breaker.halfOpenAfterMs;
  }

  /**
   * Runs `fn` under the policy. `fn`'s signal aborts when the attempt times out, so transports can
   * stop; the caller's `signal` stops further retries once it aborts.
   * Throws CircuitOpenError when refused, DependencyTimeoutError when the last attempt timed out,
   * otherwise whatever `fn` threw last.
   */
  async execute<T>(fn: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    try {
      return await this.inner.execute(() => this.attempt(fn), signal);
    } catch (err) {
      if (isBrokenCircuitError(err)) throw new CircuitOpenError(this.name);
      throw err;
    }
  }

  private async attempt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const ms = this.options.timeoutMs;
    const started = Date.now();
    try {
      const result = ms
        ? await timeout(ms, TimeoutStrategy.Aggressive).execute(({ signal }) => fn(signal))
        : await fn(new AbortController().signal);
      if (this.options.isFailedResult?.(result)) this.options.onFailure?.(this.name);
      return result;
    } catch (err) {
      // The transport may reject with its own AbortError before cockatiel reports the timeout
      // (cockatiel also aborts the signal after every attempt, so `aborted` alone proves nothing).
      const timedOut = ms !== undefined && (isTaskCancelledError(err) || Date.now() - started >= ms);
      const mapped = timedOut ? new DependencyTimeoutError(this.name, ms) : err;
      if (mapped instanceof DependencyTimeoutError || this.options.isFailure(mapped))
        this.options.onFailure?.(this.name);
      throw mapped;
    }
  }
}

function validate(o: DependencyPolicyOptions): void {
  if (!o || typeof o.name !== 'string' || !o.name) throw new TypeError('DependencyPolicy: name is required');
  if (typeof o.isFailure !== 'function') throw new TypeError('DependencyPolicy: isFailure is required');
  const positiveInt = (v: unknown, what: string, min = 1) => {
    if (!Number.isInteger(v) || (v as number) < min)
      throw new RangeError(`DependencyPolicy(${o.name}): ${what} must be an integer >= ${min}`);
  };
  if (o.breaker !== undefined) {
    positiveInt(o.breaker.consecutiveFailures, 'breaker.consecutiveFailures');
    positiveInt(o.breaker.halfOpenAfterMs, 'breaker.halfOpenAfterMs');
  }
  if (o.maxRetryAfterMs !== undefined) positiveInt(o.maxRetryAfterMs, 'maxRetryAfterMs', 0);
  if (o.timeoutMs !== undefined) positiveInt(o.timeoutMs, 'timeoutMs');
  if (o.retries !== undefined) positiveInt(o.retries, 'retries', 0);
  if (o.retryBaseDelayMs !== undefined) positiveInt(o.retryBaseDelayMs, 'retryBaseDelayMs');
  if (o.retryMaxDelayMs !== undefined) positiveInt(o.retryMaxDelayMs, 'retryMaxDelayMs');
}

type RetryContext = IRetryBackoffContext<unknown>;

/** The exponential backoff, except where the failure names its own wait (Retry-After). */
function honourRetryAfter(
  backoff: ExponentialBackoff<unknown>,
  requested: ((error: unknown) => number | undefined) | undefined,
): DelegateBackoff<RetryContext, IBackoff<unknown> | undefined> {
  return new DelegateBackoff<RetryContext, IBackoff<unknown> | undefined>((context, previous) => {
    const next = previous ? previous.next(context) : backoff.next();
    const asked = 'error' in context.result ? requested?.(context.result.error) : undefined;
    return { delay: asked ?? next.duration, state: next };
  });
}
