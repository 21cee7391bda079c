import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics for the bot. `createMetrics()` builds a fresh set on its own registry
 * (tests); `getMetrics()` returns the process-wide set that /metrics serves.
 *
 * Label values are bounded by construction (outcomes, tool names, dependency names): never put a
 * user, conversation or free text into a label.
 */
export type TurnOutcome = 'ok' | 'error' | 'rate_limited' | 'ignored' | 'duplicate';

export interface BotMetrics {
  readonly registry: Registry;
  /** Wall-clock duration of one turn, by outcome. */
  readonly turnDuration: Histogram<'outcome'>;
  /** Recognised intents (the planner's or the embedded model's label). */
  readonly intents: Counter<'intent'>;
  /** Tool (action) calls by tool and outcome (ok, denied, invalid, error). */
  readonly toolCalls: Counter<'tool' | 'outcome'>;
  /** Knowledge retrieval latency by backend (embedded, azure). */
  readonly retrievalDuration: Histogram<'backend'>;
  /** Failed calls to a dependency (cosmos, search, openai, orders, webhook, redis, connector). */
  readonly dependencyErrors: Counter<'dependency'>;
  /** Requests refused before any turn ran, by reason (unauthenticated, tenant_not_allowed, too_large, ...). */
  readonly rejectedRequests: Counter<'reason'>;
  /** Turns refused by the rate limiter, by scope (user, tenant). */
  readonly rateLimited: Counter<'scope'>;
  /** Thumbs up/down stored on AI answers, by reaction (like, dislike); a changed reaction counts again. */
  readonly feedback: Counter<'reaction'>;
  /** Knowledge answer cache look-ups by result (hit, miss, error); hit rate = hit / all. */
  readonly answerCache: Counter<'result'>;
  /** Starts a turn timer; call the result with the outcome when the turn ends. */
  startTurn(): (outcome: TurnOutcome) => void;
  /** Times a retrieval call and records it under `backend`; errors are counted as dependency errors. */
  timeRetrieval<T>(backend: string, run: () => Promise<T>): Promise<T>;
  /** The text exposition format for GET /metrics. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface CreateMetricsOptions {
  /** Collect Node process metrics (CPU, memory, event loop lag, GC). Default true. */
  defaultMetrics?: boolean;
  prefix?: string;
}

const LATENCY_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30];

export function createMetrics(options: CreateMetricsOptions = {}): BotMetrics {
  const registry = new Registry();
  const prefix = options.prefix ?? 'bot_';
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const turnDuration = new Histogram({
    name: `${prefix}turn_duration_seconds`,
    help: 'Duration of one bot turn, by outcome',
    labelNames: ['outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const intents = new Counter({
    name: `${prefix}intents_total`,
    help: 'Recognised intents',
    labelNames: ['intent'] as const,
    registers: [registry],
  });
  const toolCalls = new Counter({
    name: `${prefix}tool_calls_total`,
    help: 'Tool (action) calls by tool and outcome',
    labelNames: ['tool', 'outcome'] as const,
    registers: [registry],
  });
  const retrievalDuration = new Histogram({
    name: `${prefix}retrieval_duration_seconds`,
    help: 'Knowledge retrieval latency by backend',
    labelNames: ['backend'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const dependencyErrors = new Counter({
    name: `${prefix}dependency_errors_total`,
    help: 'Failed calls to a dependency',
    labelNames: ['dependency'] as const,
    registers: [registry],
  });
  const rejectedRequests = new Counter({
    name: `${prefix}rejected_requests_total`,
    help: 'Requests refused before a turn ran, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: `${prefix}rate_limited_total`,
    help: 'Turns refused by the rate limiter, by scope',
    labelNames: ['scope'] as const,
    registers: [registry],
  });
  const feedback = new Counter({
    name: `${prefix}feedback_total`,
    help: 'Reactions (thumbs up/down) stored on AI answers, by reaction',
    labelNames: ['reaction'] as const,
    registers: [registry],
  });
  const answerCache = new Counter({
    name: `${prefix}answer_cache_requests_total`,
    help: 'Knowledge answer cache look-ups by result (hit, miss, error)',
    labelNames: ['result'] as const,
    registers: [registry],
  });

  return {
    registry,
    turnDuration,
    intents,
    toolCalls,
    retrievalDuration,
    dependencyErrors,
    rejectedRequests,
    rateLimited,
    feedback,
    answerCache,
    startTurn() {
      const end = turnDuration.startTimer();
      let done = false;
      return (outcome) => {
        if (done) return;
        done = true;
        end({ outcome });
      };
    },
    async timeRetrieval(backend, run) {
      const end = retrievalDuration.startTimer({ backend });
      try {
        return await run();
      } catch (err) {
        dependencyErrors.inc({ dependency: `search_${backend}` });
        throw err;
      } finally {
        end();
      }
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

/**
 * Exposes the embedded Cosmos server's answered requests by operation as
 * `bot_embedded_cosmos_requests{operation}` (cumulative; read from its worker on each scrape), so
 * Cosmos operations per turn can be measured without a proxy in between.
 */
export function observeEmbeddedCosmos(
  metrics: BotMetrics,
  operationCounts: () => Promise<Record<string, number>>,
): void {
  const name = 'bot_embedded_cosmos_requests';
  // One bot per process in production; a process that starts a second one (tests) reports the newest.
  metrics.registry.removeSingleMetric(name);
  new Gauge({
    name,
    help: 'Requests the embedded Cosmos server answered since start, by operation',
    labelNames: ['operation'] as const,
    registers: [metrics.registry],
    async collect() {
      for (const [operation, count] of Object.entries(await operationCounts()))
        this.set({ operation }, count);
    },
  });
}

let shared: BotMetrics | undefined;

/** The process-wide metrics (created on first use, so importing this module has no side effect). */
export function getMetrics(): BotMetrics {
  shared ??= createMetrics();
  return shared;
}
