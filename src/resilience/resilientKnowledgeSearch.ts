import {
  KnowledgeUnavailableError,
  type IndexedSource,
  type KnowledgeChunk,
  type KnowledgeHealth,
  type KnowledgeHit,
  type KnowledgeSearch,
  type SearchOptions,
} from '../knowledge';
import { CircuitOpenError, DependencyTimeoutError, type DependencyPolicy } from './dependencyPolicy';

/**
 * KnowledgeSearch whose `search` runs under a DependencyPolicy (timeout, jittered retries, breaker).
 * Whatever goes wrong with the backend reaches callers as KnowledgeUnavailableError, which both
 * models already turn into "The knowledge base is unavailable right now, but I can still help with
 * orders and tickets." Input errors (KnowledgeInputError) pass through and never trip the breaker.
 * Ingestion calls (upsert, delete, list) are passed through: they are batch jobs with their own retries.
 */
export class ResilientKnowledgeSearch implements KnowledgeSearch {
  constructor(
    private readonly inner: KnowledgeSearch,
    private readonly policy: DependencyPolicy,
    private readonly backend = 'search',
  ) {}

  async search(query: string, opts: SearchOptions): Promise<KnowledgeHit[]> {
    try {
      return await this.policy.execute(() => this.inner.search(query, opts));
    } catch (err) {
      if (err instanceof CircuitOpenError) {
        throw new KnowledgeUnavailableError(this.backend, 'circuit open after repeated failures', {
          cause: err,
        });
      }
      if (err instanceof DependencyTimeoutError) {
        throw new KnowledgeUnavailableError(this.backend, err.message, { cause: err });
      }
      throw err;
    }
  }

  upsert(chunks: KnowledgeChunk[]): Promise<void> {
    return this.inner.upsert(chunks);
  }
  deleteBySource(source: string): Promise<number> {
    return this.inner.deleteBySource(source);
  }
  listSources(): Promise<IndexedSource[]> {
    return this.inner.listSources();
  }
  health(): Promise<KnowledgeHealth> {
    return this.inner.health();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Failures of the search backend worth retrying and counting (not bad input). */
export function isSearchFailure(err: unknown): boolean {
  return err instanceof KnowledgeUnavailableError;
}
