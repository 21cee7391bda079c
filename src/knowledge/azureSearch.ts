import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import {
  AzureKeyCredential,
  SearchClient,
  SearchIndexClient,
  odata,
  type SearchIndex,
  type SearchOptions as AzureSearchOptions,
} from '@azure/search-documents';
import containers from '../storage/containers.json';
import { groupsFilter, normalizeGroups } from './groups';
import { preferLanguage } from './preferLanguage';
import {
  KnowledgeInputError,
  KnowledgeUnavailableError,
  type Embedder,
  type IndexedSource,
  type KnowledgeChunk,
  type KnowledgeHealth,
  type KnowledgeHit,
  type KnowledgeSearch,
  type SearchOptions,
} from './types';
import { validateChunks, validateQuery } from './validation';

export interface AzureKnowledgeSearchOptions {
  /** AZURE_SEARCH_ENDPOINT, e.g. https://my-search.search.windows.net */
  endpoint: string;
  /** AZURE_SEARCH_INDEX (default: `searchIndex` of src/storage/containers.json). */
  indexName?: string;
  /** AZURE_SEARCH_KEY; when absent, Entra ID via `credential` (default DefaultAzureCredential). */
  apiKey?: string;
  credential?: TokenCredential;
  /** AZURE_SEARCH_SEMANTIC=true: rerank with the semantic ranker (configuration `semanticConfiguration`). */
  semantic?: boolean;
  semanticConfiguration?: string;
  /** Embeddings for the vector field; without it the index has no vector field and queries are text only. */
  embedder?: Embedder;
  /** Vector neighbours fetched before fusion (default 50). */
  kNearest?: number;
  /** SDK retries on transient errors (default 3). */
  maxRetries?: number;
}

type IndexDoc = Omit<KnowledgeChunk, 'vector'> & { contentVector?: number[]; content_zh?: string };

const SELECT = [
  'id',
  'content',
  'title',
  'headingPath',
  'source',
  'url',
  'page',
  'groups',
  'language',
] as const;
/**
 * Chinese text is also indexed in `content_zh` with Microsoft's Chinese (Simplified) analyzer,
 * which segments words; `content`'s English analyzer would index it character by character. New
 * fields can be added to an existing index, so an index created before them is updated in place.
 */
const CHINESE_CONTENT_FIELD = 'content_zh';
const VECTOR_FIELD = 'contentVector';
const VECTOR_PROFILE = 'hnsw-profile';

/** The index definition: searchable text, filterable groups/source, optional HNSW vector field, semantic config. */
export function knowledgeIndexDefinition(
  name: string,
  dimensions: number | undefined,
  semanticConfiguration: string,
): SearchIndex {
  return {
    name,
    fields: [
      { name: 'id', type: 'Edm.String', key: true, filterable: true },
      { name: 'content', type: 'Edm.String', searchable: true, analyzerName: 'en.microsoft' },
      {
        name: CHINESE_CONTENT_FIELD,
        type: 'Edm.String',
        searchable: true,
        analyzerName: 'zh-Hans.microsoft',
      },
      { name: 'language', type: 'Edm.String', filterable: true, facetable: true },
      { name: 'title', type: 'Edm.String', searchable: true, analyzerName: 'en.microsoft' },
      { name: 'headingPath', type: 'Collection(Edm.String)', searchable: true, analyzerName: 'en.microsoft' },
      { name: 'source', type: 'Edm.String', filterable: true, facetable: true },
      { name: 'url', type: 'Edm.String' },
      { name: 'page', type: 'Edm.Int32', filterable: true },
      { name: 'groups', type: 'Collection(Edm.String)', filterable: true },
      { name: 'contentHash', type: 'Edm.String', filterable: true },
      { name: 'ordinal', type: 'Edm.Int32', sortable: true },
      ...(dimensions
        ? [
            {
              name: VECTOR_FIELD,
              type: 'Collection(Edm.Single)' as const,
              searchable: true,
              vectorSearchDimensions: dimensions,
              vectorSearchProfileName: VECTOR_PROFILE,
            },
          ]
        : []),
    ],
    ...(dimensions
      ? {
          vectorSearch: {
            algorithms: [
              {
                name: 'hnsw',
                kind: 'hnsw' as const,
                parameters: { metric: 'cosine' as const, m: 4, efConstruction: 400, efSearch: 500 },
              },
            ],
            profiles: [{ name: VECTOR_PROFILE, algorithmConfigurationName: 'hnsw' }],
          },
        }
      : {}),
    semanticSearch: {
      configurations: [
        {
          name: semanticConfiguration,
          prioritizedFields: {
            titleField: { name: 'title' },
            contentFields: [{ name: 'content' }, { name: CHINESE_CONTENT_FIELD }],
            keywordsFields: [{ name: 'headingPath' }],
          },
        },
      ],
    },
  };
}

function isLoopbackHttp(endpoint: string): boolean {
  try {
    const u = new URL(endpoint);
    return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  } catch {
    throw new KnowledgeInputError(`invalid Azure AI Search endpoint ${endpoint}`);
  }
}

function describe(err: unknown): string {
  const e = err as { statusCode?: number; code?: string; message?: string };
  return [e.statusCode ? `HTTP ${e.statusCode}` : e.code, e.message].filter(Boolean).join(': ');
}

/** Azure AI Search backend: hybrid (text + vector) queries, optional semantic ranker, OData security trimming. */
export class AzureKnowledgeSearch implements KnowledgeSearch {
  private readonly indexName: string;
  private readonly semanticConfiguration: string;
  private readonly searchClient: SearchClient<IndexDoc>;
  private readonly indexClient: SearchIndexClient;
  private indexReady: Promise<void> | undefined;

  constructor(private readonly opts: AzureKnowledgeSearchOptions) {
    if (!opts.endpoint) throw new KnowledgeInputError('Azure AI Search endpoint is required');
    this.indexName = opts.indexName || containers.searchIndex;
    this.semanticConfiguration = opts.semanticConfiguration ?? 'default';
    const credential = opts.apiKey
      ? new AzureKeyCredential(opts.apiKey)
      : (opts.credential ?? new DefaultAzureCredential());
    const clientOptions = {
      retryOptions: { maxRetries: opts.maxRetries ?? 3 },
      // Plain HTTP only for a loopback endpoint (local emulators and tests); Azure is always HTTPS.
      allowInsecureConnection: isLoopbackHttp(opts.endpoint),
    };
    this.searchClient = new SearchClient<IndexDoc>(opts.endpoint, this.indexName, credential, clientOptions);
    this.indexClient = new SearchIndexClient(opts.endpoint, credential, clientOptions);
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof KnowledgeInputError || err instanceof KnowledgeUnavailableError) throw err;
      throw new KnowledgeUnavailableError('azure-ai-search', `${what} failed: ${describe(err)}`, {
        cause: err,
      });
    }
  }

  /** Creates or updates the index once per process (before the first write). */
  ensureIndex(): Promise<void> {
    this.indexReady ??= this.call('create or update index', async () => {
      await this.indexClient.createOrUpdateIndex(
        knowledgeIndexDefinition(this.indexName, this.opts.embedder?.dimensions, this.semanticConfiguration),
      );
    }).catch((err) => {
      this.indexReady = undefined;
      throw err;
    });
    return this.indexReady;
  }

  async search(query: string, opts: SearchOptions): Promise<KnowledgeHit[]> {
    const q = validateQuery(query, opts);
    const options: AzureSearchOptions<IndexDoc> = {
      filter: groupsFilter(normalizeGroups(opts.groups)),
      top: q.top,
      select: [...SELECT],
    };
    if (this.opts.embedder) {
      const [vector] = await this.opts.embedder.embed([q.query]);
      options.vectorSearchOptions = {
        queries: [
          {
            kind: 'vector',
            vector: vector!,
            kNearestNeighborsCount: this.opts.kNearest ?? 50,
            fields: [VECTOR_FIELD],
          },
        ],
      };
    }
    if (this.opts.semantic) {
      Object.assign(options, {
        queryType: 'semantic',
        semanticSearchOptions: { configurationName: this.semanticConfiguration },
      });
    }
    return this.call('search', async () => {
      const res = await this.searchClient.search(q.query, options);
      const hits: KnowledgeHit[] = [];
      for await (const r of res.results) {
        const d = r.document;
        hits.push({
          id: d.id,
          content: d.content,
          title: d.title,
          headingPath: d.headingPath ?? [],
          source: d.source,
          ...(d.url ? { url: d.url } : {}),
          ...(typeof d.page === 'number' ? { page: d.page } : {}),
          groups: d.groups ?? [],
          language: d.language ?? 'en',
          score: r.rerankerScore ?? r.score,
        });
        if (hits.length >= q.top) break;
      }
      return preferLanguage(hits, opts.language);
    });
  }

  async upsert(input: KnowledgeChunk[]): Promise<void> {
    const chunks = validateChunks(input);
    if (!chunks.length) return;
    await this.ensureIndex();
    let vectors: (number[] | undefined)[] = chunks.map((c) => c.vector);
    if (this.opts.embedder) {
      const missing = chunks.filter((c) => !c.vector);
      const fresh = missing.length ? await this.opts.embedder.embed(missing.map((c) => c.content)) : [];
      let i = 0;
      vectors = chunks.map((c) => c.vector ?? fresh[i++]);
    }
    const docs: IndexDoc[] = chunks.map(({ vector: _v, ...c }, i) => ({
      ...c,
      language: c.language ?? 'en',
      ...(c.language === 'zh-CN' ? { [CHINESE_CONTENT_FIELD]: c.content } : {}),
      ...(this.opts.embedder && vectors[i] ? { [VECTOR_FIELD]: vectors[i] } : {}),
    }));
    await this.call('index documents', async () => {
      // The service accepts up to 1000 actions per batch.
      for (let i = 0; i < docs.length; i += 1000) {
        const res = await this.searchClient.mergeOrUploadDocuments(docs.slice(i, i + 1000), {
          throwOnAnyFailure: true,
        });
        const failed = res.results.filter((r) => !r.succeeded);
        if (failed.length)
          throw new Error(`${failed.length} documents failed: ${failed[0]!.errorMessage ?? 'unknown'}`);
      }
    });
  }

  async deleteBySource(source: string): Promise<number> {
    if (typeof source !== 'string' || !source)
      throw new KnowledgeInputError('source must be a non-empty string');
    await this.ensureIndex();
    return this.call('delete by source', async () => {
      let removed = 0;
      for (;;) {
        const res = await this.searchClient.search('*', {
          filter: odata`source eq ${source}`,
          select: ['id'],
          top: 1000,
        });
        const ids: string[] = [];
        for await (const r of res.results) ids.push(r.document.id);
        if (!ids.length) return removed;
        await this.searchClient.deleteDocuments('id', ids, { throwOnAnyFailure: true });
        removed += ids.length;
        if (ids.length < 1000) return removed;
      }
    });
  }

  /**
   * Reads only (no index creation): the bot's identity has Search Index Data Reader alone and reads
   * the sources for the answer cache's index version. An index not created yet has no sources.
   */
  async listSources(): Promise<IndexedSource[]> {
    return this.call('list sources', async () => {
      const bySource = new Map<string, IndexedSource>();
      const pageSize = 1000;
      for (let skip = 0; ; skip += pageSize) {
        let n = 0;
        let res;
        try {
          res = await this.searchClient.search('*', {
            select: ['source', 'contentHash'],
            top: pageSize,
            skip,
            orderBy: ['id'],
          });
        } catch (err) {
          if ((err as { statusCode?: number }).statusCode === 404) return [];
          throw err;
        }
        for await (const r of res.results) {
          n++;
          const s = bySource.get(r.document.source) ?? {
            source: r.document.source,
            contentHash: r.document.contentHash,
            chunks: 0,
          };
          s.chunks++;
          bySource.set(s.source, s);
        }
        if (n < pageSize) break;
      }
      return [...bySource.values()].sort((a, b) => a.source.localeCompare(b.source));
    });
  }

  async health(): Promise<KnowledgeHealth> {
    try {
      const chunks = await this.call('count', () => this.searchClient.getDocumentsCount());
      return { ok: true, backend: 'azure-ai-search', chunks, detail: this.indexName };
    } catch (err) {
      return { ok: false, backend: 'azure-ai-search', detail: (err as Error).message };
    }
  }

  async close(): Promise<void> {
    // The SDK's HTTP pipeline holds no resources that need closing.
  }
}
