import type { Container, CosmosDiagnostics, Database } from '@azure/cosmos';
import { logger } from '../observability/logger';
import { InvalidStorageInputError, StorageError, StorageUnavailableError } from './errors';
import { type ContainerSpec, containerSpec } from './containers';

/** One Cosmos request as seen by the stores: for RU accounting and benchmarks. */
export interface StorageOperationEvent {
  container: string;
  operation: string;
  statusCode?: number;
  requestCharge: number;
  /** Number of HTTP 429 responses the SDK retried before this result. */
  throttledRetries: number;
  /** Bytes sent and received by the final attempt (from SDK diagnostics; 0 when unknown). */
  requestBytes: number;
  responseBytes: number;
}

export type StorageOperationListener = (event: StorageOperationEvent) => void;

interface OperationPolicy {
  /** Hard deadline per store operation (all SDK retries included). */
  operationTimeoutMs: number;
  onOperation?: StorageOperationListener;
}

/** Fields present on errors thrown by @azure/cosmos (ErrorResponse) and by Node sockets. */
interface CosmosLikeError {
  code?: number | string;
  statusCode?: number;
  substatus?: number;
  name?: string;
  requestCharge?: number;
  headers?: Record<string, unknown>;
  diagnostics?: CosmosDiagnostics;
  message?: string;
}

export function statusCodeOf(err: unknown): number | undefined {
  const e = err as CosmosLikeError | undefined;
  if (!e || typeof e !== 'object') return undefined;
  if (typeof e.statusCode === 'number') return e.statusCode;
  if (typeof e.code === 'number') return e.code;
  return undefined;
}

const UNAVAILABLE_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'TimeoutError',
]);

/** Cosmos says "not there, try again later" or the network failed. */
function isUnavailable(err: unknown): boolean {
  const status = statusCodeOf(err);
  if (status !== undefined) return status === 408 || status === 429 || status === 503 || status >= 500;
  const e = err as CosmosLikeError | undefined;
  if (!e || typeof e !== 'object') return false;
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return true;
  if (typeof e.code === 'string' && UNAVAILABLE_NETWORK_CODES.has(e.code)) return true;
  const cause = (e as { cause?: unknown }).cause;
  return cause !== undefined && cause !== err ? isUnavailable(cause) : false;
}

function chargeOf(value: unknown): number {
  const v = value as { requestCharge?: unknown; headers?: Record<string, unknown> } | undefined;
  if (v && typeof v.requestCharge === 'number') return v.requestCharge;
  const header = v?.headers?.['x-ms-request-charge'];
  const n = typeof header === 'string' ? Number(header) : typeof header === 'number' ? header : NaN;
  return Number.isFinite(n) ? n : 0;
}

function payloadOf(diagnostics: CosmosDiagnostics | undefined): {
  requestBytes: number;
  responseBytes: number;
} {
  const stats = diagnostics?.clientSideRequestStatistics?.gatewayStatistics ?? [];
  const last = stats[stats.length - 1];
  return {
    requestBytes: last?.requestPayloadLengthInBytes ?? 0,
    responseBytes: last?.responsePayloadLengthInBytes ?? 0,
  };
}

function throttledRetriesOf(diagnostics: CosmosDiagnostics | undefined): number {
  const failed = diagnostics?.clientSideRequestStatistics?.retryDiagnostics?.failedAttempts ?? [];
  return failed.filter((a) => a.statusCode === 429).length;
}

/** Translate an SDK error into this module's typed errors (404/409/412 are handled by callers first). */
export function toStorageError(err: unknown, container: string, operation: string): Error {
  if (
    err instanceof StorageUnavailableError ||
    err instanceof InvalidStorageInputError ||
    err instanceof StorageError
  ) {
    return err;
  }
  const status = statusCodeOf(err);
  const op = `${container}.${operation}`;
  if (isUnavailable(err)) {
    const why =
      status === 429
        ? 'throttled (429) beyond the retry budget'
        : status
          ? `HTTP ${status}`
          : 'unreachable or timed out';
    return new StorageUnavailableError(`Cosmos DB ${why} during ${op}`, op, status, { cause: err });
  }
  if (status === 413) {
    return new InvalidStorageInputError(`Item too large for Cosmos DB during ${op} (2 MB limit)`, {
      cause: err,
    });
  }
  if (status === 400) {
    return new InvalidStorageInputError(`Cosmos DB rejected the request as invalid during ${op}`, {
      cause: err,
    });
  }
  return new StorageError(`Cosmos DB error${status ? ` HTTP ${status}` : ''} during ${op}`, op, status, {
    cause: err,
  });
}

/** The id the readiness probe reads; nothing ever writes it. */
const READINESS_PROBE_ID = '__readiness_probe__';
/** Cosmos substatus of a 404 whose container or database does not exist ("owner resource does not exist"). */
const OWNER_RESOURCE_MISSING = 1003;

/** Resolves when `creation` succeeds or fails with 409 Conflict (created concurrently by someone else). */
async function existsOn409(creation: Promise<unknown>): Promise<void> {
  try {
    await creation;
  } catch (err) {
    if (statusCodeOf(err) !== 409) throw err;
  }
}

/**
 * A container this module owns, plus the knowledge to (re)create it. Every operation goes through
 * `run`, which: enforces the deadline, reports request charge and 429 retries, logs throttling,
 * and lazily re-creates the database/container once when Cosmos says it is gone (404 on a
 * create/upsert/query, e.g. after the embedded server restarted or someone deleted it).
 */
export class ManagedContainer {
  private ensured: Promise<void> | undefined;

  constructor(
    readonly database: Database,
    readonly spec: ContainerSpec,
    readonly container: Container,
    private readonly policy: OperationPolicy,
    private readonly options: { createIfMissing: boolean; defaultTtlSeconds?: number },
  ) {}

  get name(): string {
    return this.spec.name;
  }

  /** Create the database and container if they are missing (idempotent, single-flight). */
  ensureExists(): Promise<void> {
    if (!this.ensured) {
      this.ensured = this.createIfNotExists().catch((err) => {
        this.ensured = undefined;
        throw toStorageError(err, this.name, 'ensureExists');
      });
    }
    return this.ensured;
  }

  /**
   * Create the container again after it was found missing. `ensureExists` alone would not: it
   * remembers its first success, so after an emulator reset or a deleted container it returns at
   * once and the container stays gone.
   */
  recreate(): Promise<void> {
    this.ensured = undefined;
    return this.ensureExists();
  }

  /**
   * Whether the container exists, by a data-plane point read of an id that is never written: a 404
   * with substatus 1003 means the container (or database) is gone, any other 404 only that the
   * item is missing. 1 RU, no metadata or control-plane request, so an Entra identity with only the
   * data-plane role may run it, and it does not count against the account's metadata-request limit.
   */
  async exists(): Promise<boolean> {
    const res = await this.run('health', (abortSignal) =>
      this.container.item(READINESS_PROBE_ID, READINESS_PROBE_ID).read({ abortSignal }),
    );
    return !(res.statusCode === 404 && res.substatus === OWNER_RESOURCE_MISSING);
  }

  private async createIfNotExists(): Promise<void> {
    const signal = AbortSignal.timeout(this.policy.operationTimeoutMs);
    // The SDK's createIfNotExists is read-then-create: when several instances start against an
    // empty account at once, all read 404 and all but one get 409 on the create. 409 = it exists.
    await existsOn409(
      this.database.client.databases.createIfNotExists({ id: this.database.id }, { abortSignal: signal }),
    );
    const ttl = this.options.defaultTtlSeconds ?? this.spec.defaultTtlSeconds;
    await existsOn409(
      this.database.containers.createIfNotExists(
        {
          id: this.spec.name,
          partitionKey: { paths: [this.spec.partitionKey] },
          // -1 = TTL enabled with no default expiry; items may still set their own `ttl`.
          defaultTtl: ttl === 0 ? undefined : ttl,
        },
        { abortSignal: signal },
      ),
    );
  }

  /**
   * Run one Cosmos operation. `recreateOn404` marks operations where a 404 can only mean that the
   * container (or database) is gone, so re-creating and retrying once is correct.
   */
  async run<T>(
    operation: string,
    fn: (signal: AbortSignal) => Promise<T>,
    recreateOn404 = false,
  ): Promise<T> {
    try {
      return await this.runOnce(operation, fn);
    } catch (err) {
      if (recreateOn404 && this.options.createIfMissing && (await this.containerIsMissing(err))) {
        logger.warn({ container: this.name, operation }, 'cosmos container missing; re-creating');
        this.ensured = undefined;
        await this.ensureExists();
        return await this.runOnce(operation, fn);
      }
      throw err;
    }
  }

  /**
   * A 404 on a create/upsert/query means the container or database is gone. The embedded server
   * answers 500 instead of 404 when a document is created in a missing container, so on a 500 we
   * ask Cosmos directly whether the container exists.
   */
  private async containerIsMissing(err: unknown): Promise<boolean> {
    const status = statusCodeOf(err);
    if (status === 404) return true;
    if (status !== 500) return false;
    try {
      await this.runOnce('probeContainer', (abortSignal) => this.container.read({ abortSignal }));
      return false;
    } catch (probeErr) {
      return statusCodeOf(probeErr) === 404;
    }
  }

  private async runOnce<T>(operation: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = AbortSignal.timeout(this.policy.operationTimeoutMs);
    try {
      const result = await fn(signal);
      this.report(operation, result as unknown as CosmosLikeError);
      return result;
    } catch (err) {
      this.report(operation, err as CosmosLikeError);
      throw err;
    }
  }

  private report(operation: string, r: CosmosLikeError | undefined): void {
    const event: StorageOperationEvent = {
      container: this.name,
      operation,
      statusCode: statusCodeOf(r),
      requestCharge: chargeOf(r),
      throttledRetries: throttledRetriesOf(r?.diagnostics),
      ...payloadOf(r?.diagnostics),
    };
    if (event.throttledRetries > 0 || event.statusCode === 429) {
      logger.warn(
        {
          container: event.container,
          operation,
          statusCode: event.statusCode,
          requestCharge: event.requestCharge,
          throttledRetries: event.throttledRetries,
        },
        'cosmos request throttled (429); retried by the SDK',
      );
    }
    this.policy.onOperation?.(event);
  }
}

/**
 * A ManagedContainer for a container opened elsewhere: its spec comes from containers.json and it
 * is never created here (the stores, Bicep or a test fixture did that). Operations still get the
 * deadline, RU reporting and typed errors.
 */
export function manageContainer(
  container: Container,
  policy: OperationPolicy = { operationTimeoutMs: 5000 },
): ManagedContainer {
  return new ManagedContainer(container.database, containerSpec(container.id), container, policy, {
    createIfMissing: false,
  });
}
