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
  const m = defineMetrics(registry, prefix);
  return {
    registry,
    ...m,
    startTurn: () => turnTimer(m.turnDuration),
    timeRetrieval: (backend, run) => timedRetrieval(m, backend, run),
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

/** The bot's own series, registered in this order (it is the order of the /metrics page). */
function defineMetrics(registry: Registry, prefix: string) {
  const counter = <L extends string>(name: string, help: string, label: L) =>
    new Counter({ name: `${prefix}${name}`, help, labelNames: [label] as const, registers: [registry] });
  const histogram = <L extends string>(name: string, help: string, label: L) =>
    new Histogram({
      name: `${prefix}${name}`,
      help,
      labelNames: [label] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
  return {
    turnDuration: histogram('turn_duration_seconds', 'Duration of one bot turn, by outcome', 'outcome'),
    intents: counter('intents_total', 'Recognised intents', 'intent'),
    toolCalls: new Counter({
      name: `${prefix}tool_calls_total`,
      help: 'Tool (action) calls by tool and outcome',
      labelNames: ['tool', 'outcome'] as const,
      registers: [registry],
    }),
    retrievalDuration: histogram(
      'retrieval_duration_seconds',
      'Knowledge retrieval latency by backend',
      'backend',
    ),
    dependencyErrors: counter('dependency_errors_total', 'Failed calls to a dependency', 'dependency'),
    rejectedRequests: counter(
      'rejected_requests_total',
      'Requests refused before a turn ran, by reason',
      'reason',
    ),
    rateLimited: counter('rate_limited_total', 'Turns refused by the rate limiter, by scope', 'scope'),
    feedback: counter(
      'feedback_total',
      'Reactions (thumbs up/down) stored on AI answers, by reaction',
      'reaction',
    ),
    answerCache: counter(
      'answer_cache_requests_total',
      'Knowledge answer cache look-ups by result (hit, miss, error)',
      'result',
    ),
  };
}

/** Ends the turn's timer once, with the first outcome reported. */
function turnTimer(turnDuration: Histogram<'outcome'>): (outcome: string) => void {
  const end = turnDuration.startTimer();
  let done = false;
  return (outcome) => {
    if (done) return;
    done = true;
    end({ outcome });
  };
}

/** Times one retrieval; a failure also counts as an error of the search backend. */
async function timedRetrieval<T>(
  m: Pick<BotMetrics, 'retrievalDuration' | 'dependencyErrors'>,
  backend: string,
  run: () => Promise<T>,
): Promise<T> {
  const end = m.retrievalDuration.startTimer({ backend });
  try {
    return await run();
  } catch (err) {
    m.dependencyErrors.inc({ dependency: `search_${backend}` });
    throw err;
  } finally {
    end();
  }
}

/**
 * Exposes the embedded Cosmos server's answered requests by operation as
 * `bot_embedded_cosmos_requests{operation}` (cumulative; read from its worker on each scrape), so
 * Cosmos operations per turn can be measured without a proxy in between; and its worker's V8 heap
 * as `bot_embedded_cosmos_heap_bytes{kind="used"|"total"}` — the store keeps every document there,
 * so this is the store's share of the process's memory (`nodejs_heap_size_*` is the main thread's).
 */
export function observeEmbeddedCosmos(
  metrics: BotMetrics,
  store: {
    operationCounts: () => Promise<Record<string, number>>;
    heapBytes: () => Promise<{ used: number; total: number } | undefined>;
  },
): void {
  const requests = 'bot_embedded_cosmos_requests';
  const heap = 'bot_embedded_cosmos_heap_bytes';
  // One bot per process in production; a process that starts a second one (tests) reports the newest.
  metrics.registry.removeSingleMetric(requests);
  metrics.registry.removeSingleMetric(heap);
  new Gauge({
    name: requests,
    help: 'Requests the embedded Cosmos server answered since start, by operation',
    labelNames: ['operation'] as const,
    registers: [metrics.registry],
    async collect() {
      for (const [operation, count] of Object.entries(await store.operationCounts()))
        this.set({ operation }, count);
    },
  });
  new Gauge({
    name: heap,
    help: "V8 heap of the embedded Cosmos server's worker thread (it holds the stored documents)",
    labelNames: ['kind'] as const,
    registers: [metrics.registry],
    async collect() {
      const bytes = await store.heapBytes();
      if (!bytes) return;
      this.set({ kind: 'used' }, bytes.used);
      this.set({ kind: 'total' }, bytes.total);
    },
  });
}

let shared: BotMetrics | undefined;

/** The process-wide metrics (created on first use, so importing this module has no side effect). */
export function getMetrics(): BotMetrics {
  shared ??= createMetrics();
  return shared;
}
