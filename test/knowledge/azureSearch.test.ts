import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AzureKnowledgeSearch,
  AzureOpenAIEmbedder,
  KnowledgeUnavailableError,
  groupsFilter,
  type KnowledgeChunk,
} from '../../src/knowledge';
import { knowledgeSearchConformance } from '../conformance/knowledgeSearch.conformance';
import { FakeAzureServices, parseFilter } from '../fakes/fakeAzureServices';

const fake = new FakeAzureServices();
beforeAll(async () => {
  await fake.start();
});
afterAll(async () => {
  await fake.stop();
});

let indexCounter = 0;
const embedderFor = (endpoint: string) =>
  new AzureOpenAIEmbedder({
    endpoint,
    deployment: 'embed-small',
    dimensions: 16,
    apiKey: 'test-openai-key',
    batchSize: 4,
    maxRetries: 0,
  });

knowledgeSearchConformance(
  'Azure AI Search (text only, API key)',
  async () =>
    new AzureKnowledgeSearch({
      endpoint: fake.endpoint,
      indexName: `kb-text-${++indexCounter}`,
      apiKey: 'test-search-key',
      maxRetries: 0,
    }),
);
knowledgeSearchConformance(
  'Azure AI Search (hybrid + semantic)',
  async () =>
    new AzureKnowledgeSearch({
      endpoint: fake.endpoint,
      indexName: `kb-hybrid-${++indexCounter}`,
      apiKey: 'test-search-key',
      semantic: true,
      embedder: embedderFor(fake.endpoint),
      maxRetries: 0,
    }),
);

const chunk = (id: string, content: string, groups: string[]): KnowledgeChunk => ({
  id,
  content,
  title: 'Doc',
  headingPath: [],
  source: `kb/${id}.md`,
  groups,
  contentHash: 'h',
  ordinal: 0,
});

describe('Azure AI Search requests', () => {
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it('indexes Chinese text with the zh-Hans.microsoft analyzer and prefers the asker’s language', async () => {
    const search = new AzureKnowledgeSearch({
      endpoint: fake.endpoint,
      indexName: 'kb-zh',
      apiKey: 'test-search-key',
      maxRetries: 0,
    });
    await search.upsert([
      { ...chunk('en1', 'return policy: return within 30 days, return label, return centre', ['everyone']) },
      { ...chunk('zh1', '退货政策 return 30 天', ['everyone']), language: 'zh-CN' },
    ]);
    const def = fake.requests.find((r) => r.method === 'PUT' && r.path === "/indexes('kb-zh')")!.body as {
      fields: Record<string, unknown>[];
      semantic: { configurations: { prioritizedFields: { prioritizedContentFields: unknown[] } }[] };
    };
    expect(def.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'content', analyzer: 'en.microsoft' }),
        expect.objectContaining({ name: 'content_zh', type: 'Edm.String', analyzer: 'zh-Hans.microsoft' }),
        expect.objectContaining({ name: 'language', filterable: true }),
      ]),
    );
    expect(def.semantic.configurations[0]!.prioritizedFields.prioritizedContentFields).toContainEqual({
      fieldName: 'content_zh',
    });
    const indexed = fake.requestsTo('/docs/search.index')[0]!.body as { value: Record<string, unknown>[] };
    expect(indexed.value.find((d) => d.id === 'zh1')).toMatchObject({
      language: 'zh-CN',
      content_zh: '退货政策 return 30 天',
    });
    expect(indexed.value.find((d) => d.id === 'en1')).toMatchObject({ language: 'en' });
    expect(indexed.value.find((d) => d.id === 'en1')!.content_zh).toBeUndefined();

    const english = await search.search('return', { groups: [] });
    expect(english[0]!.id).toBe('en1'); // more matches
    const chinese = await search.search('return', { groups: [], language: 'zh-CN' });
    expect(chinese.map((h) => [h.id, h.language])).toEqual([
      ['zh1', 'zh-CN'],
      ['en1', 'en'],
    ]);
    const req = fake.requestsTo('/docs/search.post.search').at(-1)!.body as { select: string };
    expect(req.select).toContain('language');
  });

  it('creates the index with groups filter field, HNSW vector profile and semantic configuration', async () => {
    const search = new AzureKnowledgeSearch({
      endpoint: fake.endpoint,
      indexName: 'kb-def',
      apiKey: 'test-search-key',
      embedder: embedderFor(fake.endpoint),
      maxRetries: 0,
    });
    await search.upsert([chunk('d1', 'hello world', ['everyone'])]);
    const put = fake.requests.find((r) => r.method === 'PUT')!;
    expect(put.path).toBe("/indexes('kb-def')");
    expect(put.query.get('api-version')).toBe('2025-09-01');
    expect(put.headers['api-key']).toBe('test-search-key');
    const def = put.body as {
      fields: Record<string, unknown>[];
      vectorSearch: Record<string, unknown[]>;
      semantic: Record<string, unknown[]>;
    };
    expect(def.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'groups', type: 'Collection(Edm.String)', filterable: true }),
        expect.objectContaining({ name: 'content', type: 'Edm.String', searchable: true }),
        expect.objectContaining({
          name: 'contentVector',
          dimensions: 16,
          vectorSearchProfile: 'hnsw-profile',
        }),
      ]),
    );
    expect(def.vectorSearch.algorithms).toEqual([
      {
        name: 'hnsw',
        kind: 'hnsw',
        hnswParameters: { m: 4, efConstruction: 400, efSearch: 500, metric: 'cosine' },
      },
    ]);
    expect(def.vectorSearch.profiles).toEqual([{ name: 'hnsw-profile', algorithm: 'hnsw' }]);
    expect(def.semantic.configurations).toEqual([
      {
        name: 'default',
        prioritizedFields: {
          titleField: { fieldName: 'title' },
          prioritizedContentFields: [{ fieldName: 'content' }, { fieldName: 'content_zh' }],
          prioritizedKeywordsFields: [{ fieldName: 'headingPath' }],
        },
      },
    ]);
    // Documents carry the embedding computed through the embeddings endpoint.
    const emb = fake.requestsTo('/openai/deployments/embed-small/embeddings');
    expect(emb).toHaveLength(1);
    expect(emb[0]!.headers['api-key']).toBe('test-openai-key');
    expect(emb[0]!.body).toMatchObject({ input: ['hello world'] });
    const indexed = fake.requestsTo('/docs/search.index')[0]!.body as { value: Record<string, unknown>[] };
    expect(indexed.value[0]).toMatchObject({
      '@search.action': 'mergeOrUpload',
      id: 'd1',
      groups: ['everyone'],
    });
    expect(indexed.value[0]!.contentVector).toHaveLength(16);
  });

  it('sends a hybrid semantic query with an escaped groups filter', async () => {
    const search = new AzureKnowledgeSearch({
      endpoint: fake.endpoint,
      indexName: 'kb-query',
      apiKey: 'test-search-key',
      semantic: true,
      semanticConfiguration: 'kb-semantic',
      embedder: embedderFor(fake.endpoint),
      maxRetries: 0,
    });
    await search.upsert([chunk('q1', 'refund timing for card payments', ['everyone'])]);
    fake.requests.length = 0;
    await search.search('card refund', { groups: ["O'Hara", 'hr'], top: 3 });
    const req = fake.requestsTo('/docs/search.post.search')[0]!;
    const body = req.body as Record<string, unknown>;
    expect(req.path).toBe("/indexes('kb-query')/docs/search.post.search");
    expect(body.filter).toBe("groups/any(g: search.in(g, 'everyone,o''hara,hr', ','))");
    expect(body.search).toBe('card refund');
    expect(body.top).toBe(3);
    expect(body.queryType).toBe('semantic');
    expect(body.semanticConfiguration).toBe('kb-semantic');
    expect(body.vectorQueries).toEqual([
      expect.objectContaining({ kind: 'vector', fields: 'contentVector', k: 50 }),
    ]);
    expect((body.vectorQueries as { vector: number[] }[])[0]!.vector).toHaveLength(16);
  });

  it('with an Entra credential and no key, asks the credential for a token and never sends it over plain HTTP', async () => {
    const scopes: string[] = [];
    const credential = {
      getToken: async (scope: string | string[]) => {
        scopes.push(...[scope].flat());
        return { token: 'entra-token-123', expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    const search = new AzureKnowledgeSearch({
      endpoint: fake.endpoint,
      indexName: 'kb-entra',
      credential,
      maxRetries: 0,
    });
    // core-rest-pipeline refuses bearer tokens on non-TLS URLs; the failure surfaces typed, not as a crash.
    await expect(search.search('anything', { groups: [] })).rejects.toThrow(/non-TLS|non-https/);
    await expect(search.search('anything', { groups: [] })).rejects.toBeInstanceOf(KnowledgeUnavailableError);
    expect(fake.requestsTo('kb-entra').filter((r) => r.headers.authorization)).toHaveLength(0);
  });

  it('lists sources with reads only (the bot has Search Index Data Reader): no index PUT, none before ingestion', async () => {
    const search = new AzureKnowledgeSearch({
      endpoint: fake.endpoint,
      indexName: `kb-reader-${++indexCounter}`,
      apiKey: 'test-search-key',
      maxRetries: 0,
    });
    expect(await search.listSources()).toEqual([]);
    expect(fake.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
    await search.upsert([chunk('r1', 'Returns are free within 30 days.', ['everyone'])]);
    fake.requests.length = 0;
    expect(await search.listSources()).toEqual([{ source: 'kb/r1.md', contentHash: 'h', chunks: 1 }]);
    expect(fake.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
  });

  it('throws KnowledgeUnavailableError when the service is down or failing, and health says so', async () => {
    const down = new AzureKnowledgeSearch({
      endpoint: 'http://127.0.0.1:9',
      indexName: 'kb-down',
      apiKey: 'k',
      maxRetries: 0,
    });
    await expect(down.search('refund', { groups: [] })).rejects.toBeInstanceOf(KnowledgeUnavailableError);
    expect(await down.health()).toMatchObject({ ok: false, backend: 'azure-ai-search' });
    const failing = new AzureKnowledgeSearch({
      endpoint: fake.endpoint,
      indexName: 'kb-query',
      apiKey: 'k',
      maxRetries: 0,
    });
    fake.failNext = 1;
    await expect(failing.search('refund', { groups: [] })).rejects.toThrow(/HTTP 503/);
  });

  it('retries a transient 503 when retries are enabled', async () => {
    const search = new AzureKnowledgeSearch({
      endpoint: fake.endpoint,
      indexName: 'kb-query',
      apiKey: 'k',
      maxRetries: 2,
    });
    fake.failNext = 1;
    const hits = await search.search('card refund', { groups: [] });
    expect(hits.map((h) => h.id)).toContain('q1');
  });
});

describe('OData groups filter', () => {
  it('doubles quotes inside group names and evaluates safely', () => {
    const f = groupsFilter(["it's", "x' or true or 'y"]);
    expect(f).toBe("groups/any(g: search.in(g, 'everyone,it''s,x'' or true or ''y', ','))");
    const pred = parseFilter(f);
    expect(pred({ id: '1', groups: ["it's"] }, {})).toBe(true);
    expect(pred({ id: '2', groups: ['legal'] }, {})).toBe(false);
    expect(pred({ id: '3', groups: ["x' or true or 'y"] }, {})).toBe(true);
    expect(pred({ id: '4', groups: ['y'] }, {})).toBe(false);
  });

  it('filters by group object ids with search.in, and refuses a value holding the delimiter', () => {
    const hr = '3f2b8c1e-7a4d-4e9b-9c61-0d5e8a7b2f11';
    const f = groupsFilter([hr.toUpperCase()]);
    expect(f).toBe(`groups/any(g: search.in(g, 'everyone,${hr}', ','))`);
    const pred = parseFilter(f);
    expect(pred({ id: '1', groups: [hr] }, {})).toBe(true);
    expect(pred({ id: '2', groups: ['hr'] }, {})).toBe(false); // a name never matches an id
    expect(pred({ id: '3', groups: ['everyone'] }, {})).toBe(true);
    expect(() => groupsFilter(['a,everyone'])).toThrow(/must not contain/);
  });
});
