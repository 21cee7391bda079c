/**
 * Typed storage errors, so callers (the Teams layer) can tell "Cosmos is down, apologise"
 * from "someone else wrote first, retry" from "you passed garbage".
 */

/** Cosmos is unreachable, too slow, or throttling beyond the retry budget. Safe to apologise and retry later. */
export class StorageUnavailableError extends Error {
  readonly code = 'STORAGE_UNAVAILABLE';
  constructor(
    message: string,
    readonly operation: string,
    readonly statusCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

/** A write carried a concrete eTag that no longer matches the stored item (HTTP 412 If-Match failed). */
export class ETagConflictError extends Error {
  readonly code = 'ETAG_CONFLICT';
  readonly statusCode = 412;
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`Storage: error writing "${truncateForMessage(key)}" due to eTag conflict.`, options);
    this.name = 'ETagConflictError';
  }
}

/** A lease could not be acquired within the caller's wait budget. */
export class LeaseTimeoutError extends Error {
  readonly code = 'LEASE_TIMEOUT';
  constructor(
    readonly leaseKey: string,
    readonly waitedMs: number,
  ) {
    super(`Could not acquire lease "${truncateForMessage(leaseKey)}" within ${waitedMs} ms`);
    this.name = 'LeaseTimeoutError';
  }
}

/** Caller error: missing/ill-typed argument or an item Cosmos refuses (too large, too deep). */
export class InvalidStorageInputError extends TypeError {
  readonly code = 'INVALID_STORAGE_INPUT';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidStorageInputError';
  }
}

/** Any other unexpected Cosmos response (e.g. 401/403 misconfiguration). */
export class StorageError extends Error {
  readonly code = 'STORAGE_ERROR';
  constructor(
    message: string,
    readonly operation: string,
    readonly statusCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageError';
  }
}

function truncateForMessage(s: string): string {
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
