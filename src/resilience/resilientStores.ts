import type { Storage, StoreItems } from 'botbuilder';
import {
  StorageUnavailableError,
  type ConversationLease,
  type LeaseHandle,
  type LeaseOptions,
  type TranscriptEntry,
  type TranscriptListOptions,
  type TranscriptStore,
} from '../storage';
import { CircuitOpenError, type DependencyPolicy } from './dependencyPolicy';

/**
 * Cosmos DB behind one circuit breaker (one account: when it is down, it is down for every
 * container). The stores already bound each operation (5 s deadline, SDK retries for 429), so the
 * policy adds only the breaker: after a few StorageUnavailableErrors in a row, turns are refused
 * at once with the same StorageUnavailableError — the user gets the storage apology immediately
 * instead of after a timeout, and Cosmos is not hammered while it recovers. After the cooldown one
 * trial call goes through and closes the circuit when Cosmos answers. ETag conflicts, lease
 * contention and bad input are not failures of Cosmos and never trip the breaker.
 *
 * What goes through the breaker: turn-state reads/writes/deletes and lease acquisition (the entry
 * of every turn). What does not: lease renew/release (a turn that got in must be able to clean up)
 * and transcript appends, which only fail fast while the circuit is open — they never compete for
 * the single half-open trial, so a turn that got its normal reply also gets its transcript.
 */
export function isCosmosFailure(err: unknown): boolean {
  return err instanceof StorageUnavailableError;
}

function refused(operation: string, err: unknown): StorageUnavailableError {
  return new StorageUnavailableError(
    'Cosmos DB circuit is open after repeated failures',
    operation,
    undefined,
    { cause: err },
  );
}

async function guarded<T>(policy: DependencyPolicy, operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await policy.execute(fn);
  } catch (err) {
    if (err instanceof CircuitOpenError) throw refused(operation, err);
    throw err;
  }
}

/** botbuilder Storage (teams-ai TurnState) behind the Cosmos breaker. */
export class CircuitBreakingStorage implements Storage {
  constructor(
    private readonly inner: Storage,
    private readonly policy: DependencyPolicy,
  ) {}

  read(keys: string[]): Promise<StoreItems> {
    return guarded(this.policy, 'state.read', () => this.inner.read(keys));
  }
  write(changes: StoreItems): Promise<void> {
    return guarded(this.policy, 'state.write', () => this.inner.write(changes));
  }
  delete(keys: string[]): Promise<void> {
    return guarded(this.policy, 'state.delete', () => this.inner.delete(keys));
  }
}

/** Lease acquisition behind the Cosmos breaker; the handle (renew, release) talks to Cosmos directly. */
export class CircuitBreakingLease implements ConversationLease {
  constructor(
    private readonly inner: ConversationLease,
    private readonly policy: DependencyPolicy,
  ) {}

  acquire(conversationKey: string, options?: LeaseOptions): Promise<LeaseHandle> {
    return guarded(this.policy, 'leases.acquire', () => this.inner.acquire(conversationKey, options));
  }
}

/** Transcript appends fail fast while the Cosmos circuit is open; otherwise they go straight through. */
export class CircuitAwareTranscriptStore implements TranscriptStore {
  constructor(
    private readonly inner: TranscriptStore,
    private readonly policy: DependencyPolicy,
  ) {}

  async append(entry: TranscriptEntry): Promise<void> {
    if (this.policy.isOpen()) throw refused('transcripts.append', new CircuitOpenError(this.policy.name));
    return this.inner.append(entry);
  }
  async appendTurn(entries: readonly TranscriptEntry[]): Promise<void> {
    if (this.policy.isOpen()) throw refused('transcripts.append', new CircuitOpenError(this.policy.name));
    return this.inner.appendTurn(entries);
  }
  list(conversationId: string, options?: TranscriptListOptions): Promise<TranscriptEntry[]> {
    return this.inner.list(conversationId, options);
  }
}
