import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedKnowledgeSearch, KnowledgeUnavailableError, type KnowledgeChunk } from '../../src/knowledge';
import { knowledgeSearchConformance } from '../conformance/knowledgeSearch.conformance';
import { fakeEmbedding } from '../fakes/fakeAzureServices';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'kb-embedded-'));
  dirs.push(d);
  return d;
}

knowledgeSearchConformance(
  'embedded (in memory)',
  async () => new EmbeddedKnowledgeSearch({ indexPath: null }),
);
knowledgeSearchConformance(
  'embedded (file, hybrid with vectors)',
  async () =>
    new EmbeddedKnowledgeSearch({
      indexPath: join(await tempDir(), 'index.json'),
      embedder: { dimensions: 16, embed: async (texts) => texts.map((t) => fakeEmbedding(t)) },
    }),
);

describe('embedded index file', () => {
  const chunk: KnowledgeChunk = {
    id: 'a-0',
    content: 'Parental leave is sixteen weeks.',
    title: 'Handbook',
    headingPath: [],
    source: 'kb/handbook.pdf',
    page: 3,
    groups: ['hr'],
    contentHash: 'h1',
    ordinal: 0,
  };

  it('persists on close and is shared with another instance', async () => {
    const path = join(await tempDir(), 'nested', 'index.json');
    const writer = new EmbeddedKnowledgeSearch({ indexPath: path });
    await writer.upsert([chunk]);
    await writer.close();
    const reader = new EmbeddedKnowledgeSearch({ indexPath: path, fileCheckIntervalMs: 0 });
    const hits = await reader.search('parental leave', { groups: ['hr'] });
    expect(hits).toMatchObject([{ id: 'a-0', page: 3, source: 'kb/handbook.pdf' }]);
    // A later write by another process is picked up without restarting the reader.
    const writer2 = new EmbeddedKnowledgeSearch({ indexPath: path });
    await writer2.upsert([{ ...chunk, id: 'a-1', content: 'Sick leave is ten days.', ordinal: 1 }]);
    await writer2.close();
    expect((await reader.search('sick leave', { groups: ['hr'] }))[0]!.id).toBe('a-1');
  });

  it('throws KnowledgeUnavailableError for a corrupt index file and reports it in health', async () => {
    const path = join(await tempDir(), 'index.json');
    await writeFile(path, '{"version":1,"chunks":[');
    const search = new EmbeddedKnowledgeSearch({ indexPath: path });
    await expect(search.search('leave', { groups: [] })).rejects.toBeInstanceOf(KnowledgeUnavailableError);
    const health = await search.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/corrupt/);
  });
});
