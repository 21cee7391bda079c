import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EmbeddedKnowledgeSearch,
  ingestFolder,
  JsonGroupDirectory,
  SAMPLE_KNOWLEDGE_DIR,
} from '../../src/knowledge';
import {
  IndexVersion,
  MemoryAnswerStore,
  answerCacheKey,
  normaliseQuestion,
} from '../../src/knowledge/answerCache';
import { createMetrics } from '../../src/observability/metrics';
import { withAnswerCache } from '../../src/planner/cachedKnowledgeAnswerer';
import { createKnowledgeAnswerer, type KnowledgeAnswerer } from '../../src/planner/knowledgeAnswerer';

/**
 * Issue #18, answer cache: the real embedded index over the sample knowledge base and the sample
 * directory's groups, the real answerer behind the cache. The inner answerer's calls are counted
 * (a hit does not reach it).
 */
const HR_USER = '00000000-0000-0000-0000-00000000a002';
const EMPLOYEE = '00000000-0000-0000-0000-00000000a001';
const HANDBOOK = 'data/knowledge/hr/employee-handbook.pdf';
const LEAVE = 'How many days of annual leave do I get per year?';

const search = new EmbeddedKnowledgeSearch({ indexPath: null });
const directory = new JsonGroupDirectory();
let extraDir: string;

function counted(inner: KnowledgeAnswerer) {
  const calls = { n: 0 };
  const answerer: KnowledgeAnswerer = {
    retrieve: inner.retrieve,
    answer: (...args) => {
      calls.n++;
      return inner.answer(...args);
    },
  };
  return { answerer, calls };
}

function cachedAnswerer() {
  const metrics = createMetrics({ defaultMetrics: false });
  const { answerer, calls } = counted(createKnowledgeAnswerer({ search, groups: directory, top: 5 }));
  const cached = withAnswerCache(answerer, {
    store: new MemoryAnswerStore(100),
    groups: directory,
    version: new IndexVersion(search, 0),
    ttlSeconds: 60,
    metrics,
  });
  const count = async (result: string) =>
    (await metrics.answerCache.get()).values.find((v) => v.labels.result === result)?.value ?? 0;
  return { cached, calls, count, metrics };
}

beforeAll(async () => {
  const summary = await ingestFolder(SAMPLE_KNOWLEDGE_DIR, search, {
    sourceRoot: join(SAMPLE_KNOWLEDGE_DIR, '..', '..'),
  });
  expect(summary.failed).toEqual([]);
  extraDir = await mkdtemp(join(tmpdir(), 'answer-cache-kb-'));
  await mkdir(join(extraDir, 'kb'));
});
afterAll(async () => {
  await rm(extraDir, { recursive: true, force: true });
});

describe('answer cache', () => {
  it('answers a repeated question from the cache, also when written differently', async () => {
    const { cached, calls, count } = cachedAnswerer();
    const first = await cached.answer(EMPLOYEE, 'How do I return an item?');
    expect(first.kind).toBe('answer');
    expect(await cached.answer(EMPLOYEE, 'how do I  return an ITEM')).toEqual(first);
    expect(calls.n).toBe(1);
    expect(await count('hit')).toBe(1);
    expect(await count('miss')).toBe(1);
  });

  it('never serves an answer to someone whose groups differ', async () => {
    const { cached, calls } = cachedAnswerer();
    const hr = await cached.answer(HR_USER, LEAVE);
    if (hr.kind !== 'answer') throw new Error(`expected an answer for hr, got ${hr.kind}`);
    expect(hr.citations.map((c) => c.source)).toContain(HANDBOOK);
    // Alex (not in hr) asks the very same question: a miss, and no handbook in what he gets.
    const alex = await cached.answer(EMPLOYEE, LEAVE);
    expect(calls.n).toBe(2);
    if (alex.kind === 'answer') expect(alex.citations.map((c) => c.source)).not.toContain(HANDBOOK);
    expect(JSON.stringify(alex)).not.toContain('25 days of paid annual leave');
    // Each of them now gets their own reply back: hr from the cache, Alex the same as before
    // (his "not found" is not cached, so it is computed again).
    expect(await cached.answer(HR_USER, LEAVE)).toEqual(hr);
    expect(calls.n).toBe(2);
    expect(await cached.answer(EMPLOYEE, LEAVE)).toEqual(alex);
    expect(calls.n).toBe(alex.kind === 'answer' ? 2 : 3);
  });

  it('keeps shared-conversation answers apart from 1:1 answers', async () => {
    const { cached, calls } = cachedAnswerer();
    const own = await cached.answer(HR_USER, LEAVE, 'private');
    const shared = await cached.answer(HR_USER, LEAVE, 'shared');
    expect(calls.n).toBe(2);
    expect(own.kind).toBe('answer');
    // In a shared chat the handbook answer is for the asker alone (restricted), never the cached 1:1 one.
    expect(shared.kind).toBe('restricted');
  });

  it('is invalidated by a re-ingest that changes a document', async () => {
    const { cached, calls } = cachedAnswerer();
    const file = join(extraDir, 'kb', 'lockers.md');
    const question = 'When are the staff lockers emptied?';
    await writeFile(
      file,
      '# Staff lockers\n\nThe staff lockers are emptied every Friday evening by facilities.\n',
    );
    await ingestFolder(join(extraDir, 'kb'), search, { sourceRoot: extraDir });
    const before = await cached.answer(EMPLOYEE, question);
    if (before.kind !== 'answer') throw new Error(`expected an answer, got ${before.kind}`);
    expect(before.text).toContain('Friday');
    await cached.answer(EMPLOYEE, question);
    expect(calls.n).toBe(1);

    await writeFile(
      file,
      '# Staff lockers\n\nThe staff lockers are emptied every Monday morning by facilities.\n',
    );
    const summary = await ingestFolder(join(extraDir, 'kb'), search, { sourceRoot: extraDir });
    expect(summary.updated).toEqual(['kb/lockers.md']);
    const after = await cached.answer(EMPLOYEE, question);
    expect(calls.n).toBe(2);
    if (after.kind !== 'answer') throw new Error(`expected an answer, got ${after.kind}`);
    expect(after.text).toContain('Monday');
    expect(after.text).not.toContain('Friday');
  });

  it('does not cache "not found"', async () => {
    const { cached, calls } = cachedAnswerer();
    const question = 'zxqv quantum flux capacitor calibration';
    expect((await cached.answer(EMPLOYEE, question)).kind).toBe('notFound');
    await cached.answer(EMPLOYEE, question);
    expect(calls.n).toBe(2);
  });
});

describe('answerCacheKey', () => {
  it('differs by groups, audience and index version, and hides the question', () => {
    const base = {
      question: 'How do I return an item?',
      audience: 'private',
      groups: ['g1', 'everyone'],
      indexVersion: 'v1',
    };
    const key = answerCacheKey(base);
    expect(answerCacheKey({ ...base, groups: ['everyone', 'g1'] })).toBe(key);
    expect(answerCacheKey({ ...base, groups: ['everyone'] })).not.toBe(key);
    expect(answerCacheKey({ ...base, audience: 'shared' })).not.toBe(key);
    expect(answerCacheKey({ ...base, indexVersion: 'v2' })).not.toBe(key);
    expect(key).not.toMatch(/return|g1/i);
    expect(normaliseQuestion('  How do I RETURN an item?? ')).toBe('how do i return an item');
  });
});
