import https from 'node:https';
import type { TokenCredential } from '@azure/identity';
import { type Container, CosmosClient, type CosmosClientOptions, type Database } from '@azure/cosmos';
import type { Storage } from 'botbuilder';
import { logger } from '../observability/logger';
import { containersFile, LEASES_CONTAINER, STATE_CONTAINER, TRANSCRIPTS_CONTAINER } from './containers';
import { CosmosConversationLease } from './conversationLease';
import {
  ManagedContainer,
  type StorageOperationListener,
  statusCodeOf,
  toStorageError,
} from './cosmosOperation';
import { CosmosStateStorage } from './cosmosStateStorage';
import { type EmbeddedCosmos, startEmbeddedCosmos } from './embeddedCosmos';
import { InvalidStorageInputError, StorageUnavailableError } from './errors';
import { CosmosTranscriptStore } from './transcriptStore';
import { CosmosInboundActivityLog } from './inboundActivities';

export interface CosmosStoresOptions {
  /** Cosmos account endpoint. Undefined = start the embedded in-process server on loopback. */
  endpoint?: string;
  /** Account key (COSMOS_KEY). Undefined with an endpoint = Entra ID via DefaultAzureCredential. */
  key?: string;
  /** Database id; defaults to containers.json `database`. */
  database?: string;
  /** Accept a self-signed TLS certificate (Azure Cosmos DB emulator). COSMOS_ALLOW_SELF_SIGNED=true. */
  allowSelfSignedCert?: boolean;
  /** Create database and containers when missing (and re-create them lazily on 404). Default true. */
  createIfMissing?: boolean;
  /** Transcript retention in days (TRANSCRIPT_TTL_DAYS). Default from containers.json (90 days). */
  transcriptTtlDays?: number;
  /** Per-request socket timeout. Default 3000 ms. */
  requestTimeoutMs?: number;
  /** Deadline for one store operation including SDK retries. Default 5000 ms. */
  operationTimeoutMs?: number;
  /** Port for the embedded server (0 = any free port). */
  embeddedPort?: number;
  /** HTTPS for the embedded server (default true); the bot passes false: in-process loopback needs no TLS. */
  embeddedTls?: boolean;
  /** Directory where the embedded server keeps its write log (survives restarts). Undefined = memory only. */
  embeddedDataDir?: string;
  /** Token credential to use instead of DefaultAzureCredential (tests, managed identity by client id). */
  credential?: TokenCredential;
  /**
   * Follow the account's regional endpoints (SDK endpoint discovery). Default true for a real
   * endpoint, false for the embedded server. Turn off when a proxy sits in front of Cosmos.
   */
  enableEndpointDiscovery?: boolean;
  /** Called after every Cosmos request with its request charge (RU) — for metrics and benchmarks. */
  onOperation?: StorageOperationListener;
}

export interface CosmosStores {
  client: CosmosClient;
  database: Database;
  /** Every container declared in containers.json, by name. */
  containers: Record<string, Container>;
  /** The same containers with deadline, RU reporting and typed errors (what stores build on). */
  managed: Record<string, ManagedContainer>;
  /** botbuilder Storage for teams-ai TurnState (conversation and user scopes). */
  storage: Storage;
  transcripts: CosmosTranscriptStore;
  leases: CosmosConversationLease;
  /** Inbound activities already handled (deduplicates Teams' redeliveries across instances). */
  inbound: CosmosInboundActivityLog;
  /** Present when running against the in-process server (no endpoint configured). */
  embedded?: EmbeddedCosmos;
  health(): Promise<{ ok: boolean; detail?: string }>;
  close(): Promise<void>;
}

/** Conversations whose last state version the embedded store keeps in memory (≈ 1–4 KB each). */
const STATE_CACHE_ITEMS = 5000;

/**
 * Build the Cosmos client and the stores. With no endpoint, starts the embedded server and uses
 * the SAME @azure/cosmos code path against it (its data kept in `embeddedDataDir` when given,
 * else only while the process runs).
 */
export async function createCosmosStores(options: CosmosStoresOptions = {}): Promise<CosmosStores> {
  const createIfMissing = options.createIfMissing ?? true;
  const operationTimeoutMs = options.operationTimeoutMs ?? 5000;
  const databaseId = options.database ?? containersFile.database;
  if (options.transcriptTtlDays !== undefined && !(options.transcriptTtlDays > 0)) {
    throw new InvalidStorageInputError('transcriptTtlDays must be a positive number');
  }

  const target = await connectTo(options);
  const { embedded } = target;
  const client = createClient(target, options, operationTimeoutMs);
  const database = client.database(databaseId);
  const { managed, containers } = manageContainers(database, options, operationTimeoutMs, createIfMissing);
  if (createIfMissing) await ensureContainers(managed, target, client);

  const transcriptTtlSeconds = options.transcriptTtlDays
    ? Math.round(options.transcriptTtlDays * 86400)
    : undefined;
  const stateContainer = managed[STATE_CONTAINER];

  return {
    client,
    database,
    containers,
    managed,
    // The embedded server is reachable only through this client, so its state can be cached.
    storage: new CosmosStateStorage(stateContainer, { readCacheMaxItems: embedded ? STATE_CACHE_ITEMS : 0 }),
    transcripts: new CosmosTranscriptStore(managed[TRANSCRIPTS_CONTAINER], transcriptTtlSeconds),
    leases: new CosmosConversationLease(managed[LEASES_CONTAINER]),
    inbound: new CosmosInboundActivityLog(managed[LEASES_CONTAINER]),
    embedded,
    health: () => containersHealth(Object.values(managed), databaseId, createIfMissing),
    close: () => closeQuietly(client, embedded),
  };
}

/** Where the client connects and how it authenticates: the configured account, or the embedded server. */
interface CosmosTarget {
  endpoint: string;
  allowSelfSigned: boolean;
  auth: Pick<CosmosClientOptions, 'key' | 'aadCredentials'>;
  embedded?: EmbeddedCosmos;
}

async function connectTo(options: CosmosStoresOptions): Promise<CosmosTarget> {
  if (options.endpoint) {
    const auth = options.key
      ? { key: options.key }
      : { aadCredentials: options.credential ?? (await defaultCredential()) };
    return { endpoint: options.endpoint, allowSelfSigned: options.allowSelfSignedCert ?? false, auth };
  }
  // In-process and loopback-only: TLS would protect nothing and cost CPU on every operation,
  // so the bot's embedded store speaks plain HTTP (tests of the SDK itself use HTTPS).
  const embedded = await startEmbeddedCosmos(options.embeddedPort ?? 0, '127.0.0.1', {
    tls: options.embeddedTls ?? true,
    dataDir: options.embeddedDataDir,
  });
  const endpoint = embedded.endpoint;
  logger.info(
    { endpoint, dataDir: options.embeddedDataDir },
    options.embeddedDataDir
      ? 'embedded Cosmos DB server started (data kept in its data directory)'
      : 'embedded Cosmos DB server started (data is kept in memory only)',
  );
  return {
    endpoint,
    allowSelfSigned: endpoint.startsWith('https:'),
    auth: { key: 'embedded-cosmos-accepts-any-key' },
    embedded,
  };
}

function createClient(
  target: CosmosTarget,
  options: CosmosStoresOptions,
  operationTimeoutMs: number,
): CosmosClient {
  return new CosmosClient({
    endpoint: target.endpoint,
    ...target.auth,
    ...(target.allowSelfSigned
      ? { agent: new https.Agent({ keepAlive: true, rejectUnauthorized: false }) }
      : {}),
    connectionPolicy: {
      requestTimeout: options.requestTimeoutMs ?? 3000,
      // The embedded server has one location; discovery would only add a metadata round trip.
      enableEndpointDiscovery: options.enableEndpointDiscovery ?? !target.embedded,
      // 429s are retried by the SDK within this budget, kept below the operation deadline.
      retryOptions: {
        maxRetryAttemptCount: 9,
        maxWaitTimeInSeconds: Math.max(1, Math.floor((operationTimeoutMs * 0.8) / 1000)),
      },
    },
    userAgentSuffix: 'teams-service-bot',
  });
}

/** One ManagedContainer per entry of containers.json (transcripts get the configured TTL). */
function manageContainers(
  database: Database,
  options: CosmosStoresOptions,
  operationTimeoutMs: number,
  createIfMissing: boolean,
): { managed: Record<string, ManagedContainer>; containers: Record<string, Container> } {
  const managed: Record<string, ManagedContainer> = {};
  const containers: Record<string, Container> = {};
  for (const spec of containersFile.containers) {
    const ttl =
      spec.name === TRANSCRIPTS_CONTAINER && options.transcriptTtlDays
        ? Math.round(options.transcriptTtlDays * 86400)
        : undefined;
    const container = database.container(spec.name);
    containers[spec.name] = container;
    managed[spec.name] = new ManagedContainer(
      database,
      spec,
      container,
      { operationTimeoutMs, onOperation: options.onOperation },
      { createIfMissing, defaultTtlSeconds: ttl },
    );
  }
  return { managed, containers };
}

async function ensureContainers(
  managed: Record<string, ManagedContainer>,
  target: CosmosTarget,
  client: CosmosClient,
): Promise<void> {
  try {
    for (const m of Object.values(managed)) await m.ensureExists();
  } catch (err) {
    // Cosmos down at start-up is not fatal: health() reports it and the first operation
    // re-creates what is missing. Anything else (auth, bad endpoint) is a configuration error.
    if (err instanceof StorageUnavailableError) {
      logger.warn({ err: err.message }, 'Cosmos DB unavailable at start-up; will retry lazily');
    } else if ('aadCredentials' in target.auth && statusCodeOf((err as Error).cause) === 403) {
      // Entra data-plane roles cannot create databases/containers (control plane): Bicep does.
      logger.warn('Entra identity may not create Cosmos containers; expecting them to exist (Bicep)');
    } else {
      await closeQuietly(client, target.embedded);
      throw err;
    }
  }
}

/**
 * Every container, each by a cheap data-plane point read (see ManagedContainer.exists): an
 * emulator reset or a deleted `tickets` container must not leave drafting broken while
 * /readyz says ready. Missing containers are re-created when COSMOS_CREATE_IF_MISSING allows
 * (and the identity may: Entra data-plane roles may not), otherwise reported not ready.
 */
async function containersHealth(
  all: ManagedContainer[],
  databaseId: string,
  createIfMissing: boolean,
): Promise<{ ok: boolean; detail?: string }> {
  let missing: string[];
  try {
    const exists = await Promise.all(all.map((m) => m.exists()));
    missing = all.filter((_, i) => !exists[i]).map((m) => m.name);
  } catch (err) {
    return { ok: false, detail: toStorageError(err, STATE_CONTAINER, 'health').message };
  }
  if (!missing.length) return { ok: true };
  const list = missing.join(', ');
  if (!createIfMissing)
    return { ok: false, detail: `missing in database "${databaseId}": ${list} (creation is off)` };
  try {
    for (const m of all.filter((x) => missing.includes(x.name))) await m.recreate();
    logger.warn({ containers: missing }, 'cosmos containers were missing; re-created');
    return { ok: true, detail: `re-created missing containers: ${list}` };
  } catch (err) {
    const why =
      statusCodeOf((err as Error).cause) === 403
        ? 'this identity may not create containers (deploy them with Bicep)'
        : (err as Error).message;
    return { ok: false, detail: `missing in database "${databaseId}": ${list}; ${why}` };
  }
}

async function defaultCredential(): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}

async function closeQuietly(client: CosmosClient, embedded: EmbeddedCosmos | undefined): Promise<void> {
  try {
    client.dispose();
  } catch {
    // already disposed
  }
  await embedded?.close();
}
