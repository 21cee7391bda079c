import { Readiness } from '../readiness';
import type { DependencyPolicies } from '../resilience';
import type { BotServices } from './services';

/** /readyz: Cosmos (required), search, model, REST orders and the ticket webhook (optional). */
export function createBotReadiness(services: BotServices): Readiness {
  const { config, stores, knowledge, policies, business } = services;
  const readiness = new Readiness();
  readiness.add({
    name: 'cosmos',
    mode: config.cosmos.mode,
    check: () => stores.health(),
    circuit: () => policies.cosmos.state(),
  });
  readiness.add({
    name: 'search',
    mode: config.search.mode,
    optional: true,
    check: async () => {
      const h = await knowledge.health();
      return { ok: h.ok, detail: h.detail };
    },
    circuit: () => policies.search.state(),
  });
  readiness.add({
    name: 'model',
    mode: config.llm.mode,
    optional: true,
    check: async () => circuitCheck(policies.model),
    ...(config.llm.mode === 'embedded' ? {} : { circuit: () => policies.model.state() }),
  });
  const intents = services.intents;
  if (intents) {
    // The n-gram model always serves; the detail says whether sentence vectors do yet (or failed).
    readiness.add({
      name: 'intents',
      mode: intents.status().state === 'off' ? 'n-gram' : 'n-gram+sentence-vectors',
      optional: true,
      check: async () => {
        const status = intents.status();
        return { ok: status.state !== 'failed', detail: status.detail };
      },
    });
  }
  if (config.orders.mode === 'rest') {
    readiness.add({
      name: 'orders',
      mode: 'rest',
      optional: true,
      check: async () => circuitCheck(policies.orders),
      circuit: () => policies.orders.state(),
    });
  }
  if (business.dispatcher) {
    readiness.add({
      name: 'ticketWebhook',
      mode: 'webhook',
      optional: true,
      check: async () => circuitCheck(policies.webhook),
      circuit: () => policies.webhook.state(),
    });
  }
  return readiness;
}

/** Readiness of a dependency known only through its breaker: ok unless the circuit refuses calls. */
function circuitCheck(policy: DependencyPolicies[keyof DependencyPolicies]): {
  ok: boolean;
  detail?: string;
} {
  return policy.isOpen() ? { ok: false, detail: 'circuit open after repeated failures' } : { ok: true };
}
