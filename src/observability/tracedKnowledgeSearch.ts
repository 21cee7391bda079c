import type { KnowledgeHit, KnowledgeSearch, SearchOptions } from '../knowledge';
import { withSpan } from './tracing';

/**
 * KnowledgeSearch decorator: a `knowledge.search` span per query (the embedded index answers in
 * process, so no HTTP span would show it; for Azure AI Search the SDK's and the http spans become
 * its children). Attributes: backend, top, group count, hit count — never the query.
 */
export function traceKnowledgeSearch(inner: KnowledgeSearch, backend: string): KnowledgeSearch {
  return {
    search: (query: string, opts: SearchOptions): Promise<KnowledgeHit[]> =>
      withSpan(
        'knowledge.search',
        {
          'bot.search.backend': backend,
          'bot.search.top': opts.top ?? 0,
          'bot.search.groups': opts.groups.length,
        },
        async (span) => {
          const hits = await inner.search(query, opts);
          span.setAttribute('bot.search.hits', hits.length);
          return hits;
        },
      ),
    upsert: (chunks) => inner.upsert(chunks),
    deleteBySource: (source) => inner.deleteBySource(source),
    listSources: () => inner.listSources(),
    health: () => inner.health(),
    close: () => inner.close(),
  };
}
