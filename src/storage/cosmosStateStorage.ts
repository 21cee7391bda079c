import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { LRUCache } from 'lru-cache';
import { ETagConflictError, InvalidStorageInputError } from './errors';
import { statePartitionValue, toCosmosId } from './keys';
import { type ManagedContainer, statusCodeOf, toStorageError } from './cosmosOperation';

/** The document shape in the "state" container. */
interface StateDocument {
  id: string;
  pk: string;
  /** The original, unescaped storage key. */
  key: string;
  document: Record<string, unknown>;
  _etag?: string;
}

/** The last version of a state document this process read or wrote, with its eTag. */
interface CachedState {
  document: Record<string, unknown>;
  etag: string;
}

export interface CosmosStateStorageOptions {
  /**
   * Keep the last read or written version of each key in memory (at most this many keys) and
   * answer reads from it. Only correct when this process is the container's only writer — the
   * embedded store, which no other process can reach — because a write from elsewhere would not
   * be seen. With a shared account every read goes to Cosmos. Default 0 (off).
   */
  readCacheMaxItems?: number;
}

/**
 * botbuilder `Storage` over @azure/cosmos v4 — what teams-ai TurnState persists through.
 *
 * eTag semantics (botbuilder StoreItem contract):
 *  - missing or '*' eTag: last writer wins (upsert);
 *  - concrete eTag: If-Match; a mismatch throws ETagConflictError (412). When the item no longer
 *    exists the write creates it (as botbuilder MemoryStorage does); a concurrent create then
 *    surfaces as ETagConflictError as well.
 * Reads of missing keys are simply absent from the result. Read items carry `eTag` = Cosmos `_etag`.
 */
export class CosmosStateStorage implements Storage {
  private readonly cache: LRUCache<string, CachedState> | undefined;
  /**
   * Sequence number of the latest write started per key: a read or write that finishes after a
   * later write has started must not put its (older) version in the cache.
   */
  private readonly writeStarted: LRUCache<string, number> | undefined;
  private writes = 0;

  constructor(
    private readonly state: ManagedContainer,
    options: CosmosStateStorageOptions = {},
  ) {
    const max = options.readCacheMaxItems ?? 0;
    this.cache = max > 0 ? new LRUCache({ max }) : undefined;
    this.writeStarted = max > 0 ? new LRUCache({ max }) : undefined;
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new InvalidStorageInputError('Keys are required when reading.');
    assertKeys(keys);
    const items: StoreItems = {};
    await Promise.all(
      [...new Set(keys)].map(async (key) => {
        const cached = this.cache?.get(key);
        // A copy: the caller (teams-ai TurnState) mutates what it reads.
        if (cached) items[key] = { ...structuredClone(cached.document), eTag: cached.etag };
        else {
          const seq = this.writes;
          const doc = await this.readDocument(key);
          if (doc) {
            items[key] = { ...doc.document, eTag: doc._etag };
            this.remember(key, seq, () => structuredClone(doc.document), doc._etag);
          }
        }
      }),
    );
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object' || Array.isArray(changes)) {
      throw new InvalidStorageInputError('Changes are required when writing.');
    }
    const entries = Object.entries(changes);
    assertKeys(entries.map(([k]) => k));
    for (const [key, item] of entries) {
      if (!item || typeof item !== 'object') {
        throw new InvalidStorageInputError(`Storage item for key "${key.slice(0, 80)}" must be an object`);
      }
    }
    await Promise.all(entries.map(([key, item]) => this.writeItem(key, item as StoreItem)));
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new InvalidStorageInputError('Keys are required when deleting.');
    assertKeys(keys);
    await Promise.all(
      [...new Set(keys)].map(async (key) => {
        this.cache?.delete(key);
        this.writeStarted?.set(key, ++this.writes);
        try {
          await this.state.run('delete', (abortSignal) =>
            this.state.container.item(toCosmosId(key), statePartitionValue(key)).delete({ abortSignal }),
          );
        } catch (err) {
          if (statusCodeOf(err) === 404) return; // already gone (or container gone): nothing to delete
          throw toStorageError(err, this.state.name, 'delete');
        }
      }),
    );
  }

  private async readDocument(key: string): Promise<StateDocument | undefined> {
    try {
      const res = await this.state.run('read', (abortSignal) =>
        this.state.container
          .item(toCosmosId(key), statePartitionValue(key))
          .read<StateDocument>({ abortSignal }),
      );
      // The SDK returns 404 point reads as a response with no resource, not as an exception.
      return res.resource ?? undefined;
    } catch (err) {
      if (statusCodeOf(err) === 404) return undefined;
      throw toStorageError(err, this.state.name, 'read');
    }
  }

  /** Caches a version unless a write of `key` started after `seq` (the version may be older). */
  private remember(
    key: string,
    seq: number,
    document: () => Record<string, unknown>,
    etag: string | undefined,
  ): void {
    if (!this.cache || !etag || (this.writeStarted?.get(key) ?? -1) > seq) return;
    this.cache.set(key, { document: document(), etag });
  }

  private async writeItem(key: string, item: StoreItem): Promise<void> {
    const { eTag, ...document } = item;
    const doc: StateDocument = { id: toCosmosId(key), pk: statePartitionValue(key), key, document };
    const concrete = typeof eTag === 'string' && eTag.length > 0 && eTag !== '*';
    // Until this write is known to have landed, the cached version may be stale (a timeout can
    // still have written): the next read goes to Cosmos.
    this.cache?.delete(key);
    const seq = ++this.writes;
    this.writeStarted?.set(key, seq);
    const snapshot = this.cache ? structuredClone(document) : undefined;
    try {
      const written = concrete ? await this.replaceOrCreate(doc, eTag) : await this.upsert(doc);
      if (snapshot) this.remember(key, seq, () => snapshot, written);
    } catch (err) {
      const status = statusCodeOf(err);
      if (status === 412 || (concrete && status === 409)) throw new ETagConflictError(key, { cause: err });
      throw toStorageError(err, this.state.name, 'write');
    }
  }

  /** Last writer wins; resolves to the new eTag. */
  private async upsert(doc: StateDocument): Promise<string | undefined> {
    const res = await this.state.run(
      'upsert',
      (abortSignal) => this.state.container.items.upsert(doc, { abortSignal }),
      true,
    );
    return res.etag;
  }

  /** If-Match replace; a missing item is created. Resolves to the new eTag. */
  private async replaceOrCreate(doc: StateDocument, eTag: string): Promise<string | undefined> {
    try {
      const res = await this.state.run('replace', (abortSignal) =>
        this.state.container
          .item(doc.id, doc.pk)
          .replace(doc, { abortSignal, accessCondition: { type: 'IfMatch', condition: eTag } }),
      );
      return res.etag;
    } catch (err) {
      if (statusCodeOf(err) !== 404) throw err;
      // Item is gone (deleted, or the container was lost): create it; 409 = someone re-created it first.
      const res = await this.state.run(
        'create',
        (abortSignal) => this.state.container.items.create(doc, { abortSignal }),
        true,
      );
      return res.etag;
    }
  }
}

function assertKeys(keys: unknown[]): void {
  for (const k of keys) {
    if (typeof k !== 'string' || k.length === 0) {
      throw new InvalidStorageInputError('Storage keys must be non-empty strings');
    }
  }
}
