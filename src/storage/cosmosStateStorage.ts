import type { Storage, StoreItem, StoreItems } from 'botbuilder';
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
  constructor(private readonly state: ManagedContainer) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new InvalidStorageInputError('Keys are required when reading.');
    assertKeys(keys);
    const items: StoreItems = {};
    await Promise.all(
      [...new Set(keys)].map(async (key) => {
        const doc = await this.readDocument(key);
        if (doc) items[key] = { ...doc.document, eTag: doc._etag };
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

  private async writeItem(key: string, item: StoreItem): Promise<void> {
    const { eTag, ...document } = item;
    const doc: StateDocument = { id: toCosmosId(key), pk: statePartitionValue(key), key, document };
    const concrete = typeof eTag === 'string' && eTag.length > 0 && eTag !== '*';
    try {
      if (!concrete) {
        await this.state.run(
          'upsert',
          (abortSignal) => this.state.container.items.upsert(doc, { abortSignal }),
          true,
        );
        return;
      }
      try {
        await this.state.run('replace', (abortSignal) =>
          this.state.container
            .item(doc.id, doc.pk)
            .replace(doc, { abortSignal, accessCondition: { type: 'IfMatch', condition: eTag } }),
        );
      } catch (err) {
        if (statusCodeOf(err) !== 404) throw err;
        // Item is gone (deleted, or the container was lost): create it; 409 = someone re-created it first.
        await this.state.run(
          'create',
          (abortSignal) => this.state.container.items.create(doc, { abortSignal }),
          true,
        );
      }
    } catch (err) {
      const status = statusCodeOf(err);
      if (status === 412 || (concrete && status === 409)) throw new ETagConflictError(key, { cause: err });
      throw toStorageError(err, this.state.name, 'write');
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
