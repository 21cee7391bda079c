import type { TokenCredential } from '@azure/identity';
import type { AppConfig } from '../config';
import {
  createCosmosStores,
  InMemoryInboundActivityLog,
  InProcessConversationLease,
  QueuedConversationLease,
  SpooledTranscriptStore,
  type ConversationLease,
  type CosmosStores,
} from '../storage';
import {
  CircuitAwareTranscriptStore,
  CircuitBreakingLease,
  CircuitBreakingStorage,
  type DependencyPolicies,
} from '../resilience';

export type TranscriptStore = SpooledTranscriptStore | CircuitAwareTranscriptStore;

/** The conversation-side stores a turn runs on, over the opened Cosmos stores. */
export interface ConversationStores {
  /** Where a turn's audit entries go: the local spool with a remote Cosmos, else Cosmos itself. */
  transcripts: TranscriptStore;
  spool: SpooledTranscriptStore | undefined;
  /** Activities already handled (Teams redelivers on a slow answer). */
  inbound: CosmosStores['inbound'] | InMemoryInboundActivityLog;
  /** Cosmos behind its breaker: a dead account answers at once with the storage apology. */
  storage: CircuitBreakingStorage;
  leases: ConversationLease;
}

/** Cosmos (embedded or Azure) with every container the bot uses. */
export function openStores(
  config: AppConfig,
  credential: TokenCredential | undefined,
): Promise<CosmosStores> {
  return createCosmosStores({
    endpoint: config.cosmos.endpoint,
    key: config.cosmos.key,
    database: config.cosmos.database,
    allowSelfSignedCert: config.cosmos.allowSelfSignedCert,
    createIfMissing: config.cosmos.createIfMissing,
    transcriptTtlDays: config.cosmos.transcriptTtlDays,
    credential,
    embeddedTls: false,
    embeddedDataDir: config.cosmos.embeddedDataDir,
    ...(config.cosmos.mode === 'azure'
      ? { enableEndpointDiscovery: config.resilience.cosmosEndpointDiscovery }
      : {}),
  });
}

/** Transcripts, the inbound log, turn state and leases, each behind the cosmos breaker where remote. */
export async function openConversationStores(
  config: AppConfig,
  policies: DependencyPolicies,
  stores: CosmosStores,
): Promise<ConversationStores> {
  const { transcripts, spool } = await openTranscripts(config, policies, stores);
  // In memory with the embedded store (it lives and dies with this process).
  const inbound = stores.embedded ? new InMemoryInboundActivityLog() : stores.inbound;
  const storage = new CircuitBreakingStorage(stores.storage, policies.cosmos);
  // The embedded Cosmos server is reachable only from this process: an in-memory queue per
  // conversation serialises turns without two lease writes per turn. Shared Cosmos: the Cosmos
  // lease, with this instance's waiters queued in memory so only one of them polls it.
  const leases = stores.embedded
    ? new InProcessConversationLease()
    : new QueuedConversationLease(new CircuitBreakingLease(stores.leases, policies.cosmos));
  return { transcripts, spool, inbound, storage, leases };
}

async function openTranscripts(
  config: AppConfig,
  policies: DependencyPolicies,
  stores: CosmosStores,
): Promise<{ transcripts: TranscriptStore; spool: SpooledTranscriptStore | undefined }> {
  const cosmosTranscripts = new CircuitAwareTranscriptStore(stores.transcripts, policies.cosmos);
  // A remote Cosmos can be down while a turn is answered: its audit entry waits in a local spool.
  // The embedded store lives in this process (it is never down while the bot answers).
  const spool = stores.embedded
    ? undefined
    : new SpooledTranscriptStore(cosmosTranscripts, {
        dir: config.cosmos.transcriptSpoolDir,
        drainIntervalMs: config.cosmos.transcriptSpoolDrainMs,
      });
  await spool?.start();
  return { transcripts: spool ?? cosmosTranscripts, spool };
}

/** Start-up failed after the stores were opened: close them (the embedded server's worker too), then rethrow. */
export function closeAndThrow(stores: CosmosStores): (err: unknown) => Promise<never> {
  return async (err) => {
    await stores.close().catch(() => undefined);
    throw err;
  };
}
