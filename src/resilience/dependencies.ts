import { Gauge } from 'prom-client';
import { isBug } from '../errors';
import type { BotMetrics } from '../observability/metrics';
import { DependencyPolicy, type CircuitStateName } from './dependencyPolicy';
import { isFailedModelResponse } from './resilientModel';
import { isSearchFailure } from './resilientKnowledgeSearch';
import { isCosmosFailure } from './resilientStores';
import { httpRetryAfterMs, isHttpFailure, isRetryableHttpFailure } from './resilientFetch';
import type { ResilienceSettings } from './settings';

/** The policies of one bot instance, one per remote dependency. */
export interface DependencyPolicies {
  cosmos: DependencyPolicy;
  search: DependencyPolicy;
  model: DependencyPolicy;
  orders: DependencyPolicy;
  webhook: DependencyPolicy;
}

export type DependencyName = keyof DependencyPolicies;

/**
 * Builds the policies from the settings; every failed attempt is counted in
 * `bot_dependency_errors_total{dependency}` and every breaker's state is exported as
 * `bot_circuit_state{dependency}` (0 closed, 1 open, 2 half-open, 3 isolated).
 */
export function createDependencyPolicies(
  settings: ResilienceSettings,
  metrics: BotMetrics,
): DependencyPolicies {
  const onFailure = (dependency: string) => metrics.dependencyErrors.inc({ dependency });
  const breaker = settings.breaker;
  const policies: DependencyPolicies = {
    // The stores bound each operation and the SDK retries 429s: only the breaker is added.
    cosmos: new DependencyPolicy({ name: 'cosmos', isFailure: isCosmosFailure, breaker, onFailure }),
    search: new DependencyPolicy({
      name: 'search',
      isFailure: isSearchFailure,
      timeoutMs: settings.searchTimeoutMs,
      retries: settings.searchRetries,
      retryBaseDelayMs: 100,
      retryMaxDelayMs: 1000,
      breaker,
      onFailure,
    }),
    // Around the whole completion; its HTTP requests retry underneath (createModelRequestPolicy).
    model: new DependencyPolicy({
      name: 'openai',
      // Anything the model throws counts, except a defect in our own code.
      isFailure: (error) => !isBug(error),
      isFailedResult: isFailedModelResponse,
      breaker,
      onFailure,
    }),
    // GETs: safe to re-send. RestOrderService bounds the whole call (5 s) with its own signal.
    orders: new DependencyPolicy({
      name: 'orders',
      isFailure: isHttpFailure,
      shouldRetry: isRetryableHttpFailure,
      retryAfterMs: httpRetryAfterMs,
      retries: settings.ordersRetries,
      retryBaseDelayMs: 100,
      retryMaxDelayMs: 1000,
      breaker,
      onFailure,
    }),
    // The outbox retries deliveries with backoff; the breaker only spares a dead receiver.
    webhook: new DependencyPolicy({ name: 'webhook', isFailure: isHttpFailure, breaker, onFailure }),
  };
  exportCircuitStates(metrics, policies);
  return policies;
}

export function circuitStates(policies: DependencyPolicies): Record<string, CircuitStateName> {
  return Object.fromEntries(Object.values(policies).map((p) => [p.name, p.state()]));
}

const STATE_VALUE: Record<CircuitStateName, number> = { closed: 0, open: 1, 'half-open': 2, isolated: 3 };
const GAUGE_NAME = 'bot_circuit_state';
// One gauge per registry; it reads the policies of the most recent bot on that registry (tests
// start several bots in one process against the shared metrics).
const current = new WeakMap<object, DependencyPolicies>();

function exportCircuitStates(metrics: BotMetrics, policies: DependencyPolicies): void {
  current.set(metrics.registry, policies);
  if (metrics.registry.getSingleMetric(GAUGE_NAME)) return;
  const registry = metrics.registry;
  new Gauge({
    name: GAUGE_NAME,
    help: 'Circuit breaker state per dependency (0 closed, 1 open, 2 half-open, 3 isolated)',
    labelNames: ['dependency'] as const,
    registers: [registry],
    collect() {
      const latest = current.get(registry);
      if (!latest) return;
      for (const p of Object.values(latest) as DependencyPolicy[])
        this.set({ dependency: p.name }, STATE_VALUE[p.state()]);
    },
  });
}
