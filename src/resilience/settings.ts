import { ConfigError } from '../config';
import type { BreakerSettings } from './dependencyPolicy';

/**
 * Time budgets and breaker thresholds. Defaults fit Teams: it waits 15 s for the bot's answer to
 * an activity, so one model call (its retries included) gets 12 s and a search 4 s.
 *
 * Read from the environment (all optional):
 *   LLM_TIMEOUT_MS               bound on one model call incl. retries (default 12000)
 *   SEARCH_TIMEOUT_MS            bound on one search attempt (default 4000); 2 retries with jitter
 *   CIRCUIT_FAILURE_THRESHOLD    consecutive failures that open a circuit (default 5)
 *   CIRCUIT_HALF_OPEN_AFTER_MS   time an open circuit waits before one trial call (default 10000)
 *   TICKETS_WEBHOOK_POLL_MS      how often the outbox is polled for due webhooks (default 5000)
 *   COSMOS_ENDPOINT_DISCOVERY    false = always use COSMOS_ENDPOINT, never the account's regional
 *                                endpoints (needed behind a proxy or relay; default true)
 */
export interface ResilienceSettings {
  llmTimeoutMs: number;
  searchTimeoutMs: number;
  searchRetries: number;
  ordersRetries: number;
  breaker: BreakerSettings;
  webhookPollMs: number;
  cosmosEndpointDiscovery: boolean;
}

export const DEFAULT_RESILIENCE: Readonly<ResilienceSettings> = Object.freeze({
  llmTimeoutMs: 12_000,
  searchTimeoutMs: 4000,
  searchRetries: 2,
  ordersRetries: 2,
  breaker: Object.freeze({ consecutiveFailures: 5, halfOpenAfterMs: 10_000 }),
  webhookPollMs: 5000,
  cosmosEndpointDiscovery: true,
});

export function resilienceSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ResilienceSettings {
  return {
    ...DEFAULT_RESILIENCE,
    llmTimeoutMs: intFrom(env, 'LLM_TIMEOUT_MS', DEFAULT_RESILIENCE.llmTimeoutMs, 100, 300_000),
    searchTimeoutMs: intFrom(env, 'SEARCH_TIMEOUT_MS', DEFAULT_RESILIENCE.searchTimeoutMs, 50, 60_000),
    breaker: {
      consecutiveFailures: intFrom(
        env,
        'CIRCUIT_FAILURE_THRESHOLD',
        DEFAULT_RESILIENCE.breaker.consecutiveFailures,
        1,
        1000,
      ),
      halfOpenAfterMs: intFrom(
        env,
        'CIRCUIT_HALF_OPEN_AFTER_MS',
        DEFAULT_RESILIENCE.breaker.halfOpenAfterMs,
        100,
        600_000,
      ),
    },
    webhookPollMs: intFrom(env, 'TICKETS_WEBHOOK_POLL_MS', DEFAULT_RESILIENCE.webhookPollMs, 100, 600_000),
    cosmosEndpointDiscovery: boolFrom(
      env,
      'COSMOS_ENDPOINT_DISCOVERY',
      DEFAULT_RESILIENCE.cosmosEndpointDiscovery,
    ),
  };
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function boolFrom(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ConfigError(name, 'must be true or false');
}
