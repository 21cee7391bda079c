import type { Storage, StoreItem } from 'botbuilder';
import { ETagConflictError } from './errors';

/**
 * Read-modify-write of one state item with optimistic concurrency: read (with eTag), apply
 * `mutate` to a copy, write with that eTag; on an eTag conflict re-read and re-apply. `mutate`
 * must be a pure function of the current value, because it may run more than once.
 */
export async function updateStoreItem<T extends StoreItem>(
  storage: Storage,
  key: string,
  mutate: (current: T | undefined) => T,
  options: { maxAttempts?: number } = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  let lastError: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const current = (await storage.read([key]))[key] as T | undefined;
    const next = mutate(current === undefined ? undefined : structuredClone(current));
    // No eTag read = the item did not exist; '*' would overwrite a concurrent creator, so we use a
    // sentinel eTag that can never match: the write then creates or conflicts.
    const eTag = current?.eTag ?? 'absent';
    try {
      await storage.write({ [key]: { ...next, eTag } });
      return next;
    } catch (err) {
      if (!(err instanceof ETagConflictError) && !/eTag conflict/i.test(String((err as Error)?.message)))
        throw err;
      lastError = err;
    }
  }
  throw lastError;
}
