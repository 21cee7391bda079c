import type { BreakerSettings } from './dependencyPolicy';

/**
 * Time budgets, retries and breaker thresholds of the dependencies. Read and defaulted once, by
 * src/config.ts (LLM_TIMEOUT_MS, SEARCH_TIMEOUT_MS, CIRCUIT_FAILURE_THRESHOLD,
 * CIRCUIT_HALF_OPEN_AFTER_MS, TICKETS_WEBHOOK_POLL_MS, COSMOS_ENDPOINT_DISCOVERY).
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
