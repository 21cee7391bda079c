import { AppError } from '../errors';

/**
 * Typed storage errors, so callers (the Teams layer) can tell "Cosmos is down, apologise"
 * from "someone else wrote first, retry" from "you passed garbage".
 */

/** Cosmos is unreachable, too slow, or throttling beyond the retry budget. Safe to apologise and retry later. */
export class StorageUnavailableError extends AppError {
  constructor(
    message: string,
    readonly operation: string,
    readonly statusCode?: number,
    options?: { cause?: unknown },
  ) {
    super('STORAGE_UNAVAILABLE', message, options);
  }
}

/** A write carried a concrete eTag that no longer matches the stored item (HTTP 412 If-Match failed). */
export class ETagConflictError extends AppError {
  readonly statusCode = 412;
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(
      'ETAG_CONFLICT',
      `Storage: error writing "${truncateForMessage(key)}" due to eTag conflict.`,
      options,
    );
  }
}

/** A lease could not be acquired within the caller's wait budget. */
export class LeaseTimeoutError extends AppError {
  constructor(
    readonly leaseKey: string,
    readonly waitedMs: number,
  ) {
    super('LEASE_TIMEOUT', `Could not acquire lease "${truncateForMessage(leaseKey)}" within ${waitedMs} ms`);
  }
}

/** Caller error: missing/ill-typed argument or an item Cosmos refuses (too large, too deep). */
export class InvalidStorageInputError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_STORAGE_INPUT', message, options);
  }
}

/** Any other unexpected Cosmos response (e.g. 401/403 misconfiguration). */
export class StorageError extends AppError {
  constructor(
    message: string,
    readonly operation: string,
    readonly statusCode?: number,
    options?: { cause?: unknown },
  ) {
    super('STORAGE_ERROR', message, options);
  }
}

function truncateForMessage(s: string): string {
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
