/**
 * The project's one error vocabulary: every error class in src/ extends AppError, whose `code`
 * comes from ERROR_CODES below and whose `category` says who has to act. The idea is that of
 * Agents-for-js `errorHelper.ts`: one catalogue, every code documented once and tested unique.
 *
 * `category` (not `kind`): LlmFailureError already has a `kind` (teams-ai's response status,
 * rate_limited / too_long / …) that tests and the reply table read.
 */

/** Who has to act on an error. */
type ErrorCategory =
  /** A remote dependency failed, timed out or refused (Cosmos, Search, the model, a REST API): apologise, retry later. */
  | 'dependency'
  /** Bad input from a caller (a user, a document, a tool argument): say what is wrong, change nothing. */
  | 'input'
  /** Someone else changed the same thing first (ETag): re-read and retry. */
  | 'conflict'
  /** The deployment is misconfigured: startup stops with the variable's name. */
  | 'config'
  /** A defect in our code or a library's (TypeError, ReferenceError, …): logged as `turn failed` with its stack. */
  | 'bug';

interface CodeEntry {
  readonly category: ErrorCategory;
  readonly description: string;
}

/** Every error code, its category and what it means. */
export const ERROR_CODES = {
  CONFIG_INVALID: {
    category: 'config',
    description: 'An environment variable is malformed or half-configured.',
  },
  STORAGE_UNAVAILABLE: {
    category: 'dependency',
    description:
      'Cosmos DB is unreachable, too slow, throttling beyond the retry budget, or its circuit is open.',
  },
  STORAGE_ERROR: {
    category: 'dependency',
    description: 'Cosmos DB gave an unexpected answer (e.g. 401/403).',
  },
  ETAG_CONFLICT: {
    category: 'conflict',
    description: 'A write carried an eTag that no longer matches (HTTP 412).',
  },
  LEASE_TIMEOUT: {
    category: 'dependency',
    description: 'A conversation lease was not acquired within the wait budget.',
  },
  INVALID_STORAGE_INPUT: {
    category: 'input',
    description: 'A missing or ill-typed storage argument, or an item Cosmos refuses (too large, too deep).',
  },
  KNOWLEDGE_UNAVAILABLE: {
    category: 'dependency',
    description: 'The knowledge search backend failed or timed out.',
  },
  KNOWLEDGE_INPUT: {
    category: 'input',
    description: 'A bad query, option or document for the knowledge module.',
  },
  DOCUMENT_PARSE: {
    category: 'input',
    description: 'A knowledge file could not be parsed (ingest skips it).',
  },
  ENCODER_UNAVAILABLE: {
    category: 'dependency',
    description: 'The sentence encoder could not produce vectors (worker crashed, endpoint unreachable).',
  },
  ORDERS_UNAVAILABLE: {
    category: 'dependency',
    description: 'The order backend could not answer (network, timeout, 5xx, malformed data).',
  },
  LLM_RATE_LIMITED: {
    category: 'dependency',
    description: 'The model was throttled beyond what the retries absorb.',
  },
  LLM_TOO_LONG: { category: 'input', description: 'The prompt exceeded the model’s context.' },
  LLM_INVALID_RESPONSE: {
    category: 'dependency',
    description: 'The model answered with something unusable.',
  },
  LLM_ERROR: {
    category: 'dependency',
    description: 'The model call failed (5xx, timeout, connection, circuit open).',
  },
  CIRCUIT_OPEN: {
    category: 'dependency',
    description: 'A circuit breaker refused the call without reaching the dependency.',
  },
  DEPENDENCY_TIMEOUT: {
    category: 'dependency',
    description: 'One attempt took longer than the policy’s timeout.',
  },
  HTTP_TRANSIENT: {
    category: 'dependency',
    description: 'A transient HTTP answer (408/429/5xx), carried through a retry policy.',
  },
  CALLER_ABORTED: {
    category: 'dependency',
    description: 'The caller’s own deadline fired during an HTTP request; it is not re-sent.',
  },
} as const satisfies Record<string, CodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Base of every error class in src/: a catalogued `code` and its `category`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly category: ErrorCategory;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.category = ERROR_CODES[code].category;
    this.name = new.target.name;
  }
}

/** The built-in errors that only a defect throws; a library's own failures come as AppError or its own class. */
const BUG_CLASSES = [TypeError, ReferenceError, RangeError, SyntaxError, EvalError, URIError];

/**
 * The category of anything thrown: an AppError's own, 'bug' for a built-in defect error, and
 * undefined for anything else (a library's error we have not classified). undici's
 * `TypeError('fetch failed')` is a connection failure, not a bug.
 */
export function errorCategory(error: unknown): ErrorCategory | undefined {
  if (error instanceof AppError) return error.category;
  if (error instanceof TypeError && error.message === 'fetch failed') return 'dependency';
  if (BUG_CLASSES.some((c) => error instanceof c)) return 'bug';
  return undefined;
}

/** True for a defect in code (see errorCategory). */
export function isBug(error: unknown): boolean {
  return errorCategory(error) === 'bug';
}

/**
 * The codes of refusals that the result unions return instead of throwing (tool outcomes, order
 * and ticket services, card actions): one vocabulary, so a code means the same everywhere.
 */
export const REFUSAL_CODES = {
  invalid_arguments: 'The input is malformed, or a signed card was tampered with.',
  forbidden: 'The caller may not do this (RBAC, or not the requester).',
  not_found: 'No such record, or one the caller may not see (the same answer on purpose).',
  unavailable: 'A dependency is down; nothing was changed.',
  conflict: 'The record is no longer in the state the request expects (already done, cancelled).',
  not_cancellable: 'The order is past the point where it can be cancelled.',
  not_returnable: 'The order cannot be returned (window, status).',
} as const;

export type RefusalCode = keyof typeof REFUSAL_CODES;
