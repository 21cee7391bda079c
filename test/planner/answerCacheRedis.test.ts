import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EmbeddedKnowledgeSearch,
  ingestFolder,
  JsonGroupDirectory,
  SAMPLE_KNOWLEDGE_DIR,
} from '../../src/knowledge';
import { IndexVersion, RedisAnswerStore } from '../../src/knowledge/answerCache';
import { createMetrics } from '../../src/observability/metrics';
import { withAnswerCache } from '../../src/planner/cachedKnowledgeAnswerer';
import { createKnowledgeAnswerer, type KnowledgeAnswerer } from '../../src/planner/knowledgeAnswerer';
import { createRedisClient } from '../../src/security/rateLimiter';
import { freePort } from '../helpers/botProcess';

/**
 * The answer cache on a real Redis (Debian's redis-server on 127.0.0.1, no persistence; .ci/run
 * installs it), shared by two answerers that stand for two bot instances.
 */
const HR_USER = '00000000-0000-0000-0000-00000000a002';
const EMPLOYEE = '00000000-0000-0000-0000-00000000a001';
const LEAVE = 'How many days of annual leave do I get per year?';
const RETURN = 'How do I return an item?';

let port: number;
let server: ChildProcess | undefined;
let admin: Redis;
const search = new EmbeddedKnowledgeSearch({ indexPath: null });
const directory = new JsonGroupDirectory();
const stores: RedisAnswerStore[] = [];

async function startRedis(): Promise<void> {
  server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    server!.once('error', (err) => reject(new Error(`cannot start redis-server: ${err.message}`)));
    server!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
    server!.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out.slice(-500)}`)));
  });
}

async function stopRedis(): Promise<void> {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server!.once('exit', resolve));
  server.kill('SIGKILL');
  await exited;
}

/** One bot instance's answerer behind the shared Redis cache, with its inner calls counted. */
function instance() {
  const inner = createKnowledgeAnswerer({ search, groups: directory, top: 5 });
  const calls = { n: 0 };
  const counted: KnowledgeAnswerer = {
    retrieve: inner.retrieve,
    answer: (...args) => {
      calls.n++;
      return inner.answer(...args);
    },
  };
  const client = createRedisClient(`redis://127.0.0.1:${port}`);
  const store = new RedisAnswerStore(client);
  stores.push(store);
  const metrics = createMetrics({ defaultMetrics: false });
  const answerer = withAnswerCache(counted, {
    store,
    groups: directory,
    version: new IndexVersion(search, 0),
    ttlSeconds: 120,
    metrics,
  });
  const count = async (result: string) =>
    (await metrics.answerCache.get()).values.find((v) => v.labels.result === result)?.value ?? 0;
  return { answerer, calls, count, ready: () => until(async () => client.status === 'ready') };
}

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  port = await freePort();
  await startRedis();
  admin = new Redis({ port, host: '127.0.0.1' });
  await ingestFolder(SAMPLE_KNOWLEDGE_DIR, search, { sourceRoot: join(SAMPLE_KNOWLEDGE_DIR, '..', '..') });
}, 60_000);

afterAll(async () => {
  for (const s of stores) await s.close();
  admin?.disconnect();
  await stopRedis();
});

describe('answer cache on Redis', () => {
  it('is shared between instances, keyed by groups, with hashed keys and a TTL', async () => {
    const a = instance();
    const b = instance();
    // The clients connect in the background (commands fail fast, not queue): wait until both are up.
    await a.ready();
    await b.ready();
    const first = await a.answerer.answer(HR_USER, LEAVE);
    expect(first.kind).toBe('answer');
    expect(a.calls.n).toBe(1);

    // Instance b answers hr's repeated question from Redis without computing it.
    expect(await b.answerer.answer(HR_USER, LEAVE)).toEqual(first);
    expect(b.calls.n).toBe(0);
    expect(await b.count('hit')).toBe(1);

    // Alex on instance b: his groups differ, so no entry of hr's reaches him.
    const alex = await b.answerer.answer(EMPLOYEE, LEAVE);
    expect(b.calls.n).toBe(1);
    expect(alex).not.toEqual(first);

    const keys = await admin.keys('answer:v1:*');
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const key of keys) {
      expect(key).toMatch(/^answer:v1:[0-9a-f]{64}$/);
      const ttl = await admin.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(120);
    }
  });

  it('answers without the cache while Redis is down, and counts the error', async () => {
    const c = instance();
    await stopRedis();
    const reply = await c.answerer.answer(EMPLOYEE, RETURN);
    expect(reply.kind).toBe('answer');
    expect(c.calls.n).toBe(1);
    expect(await c.count('error')).toBeGreaterThanOrEqual(1);
  });
});
