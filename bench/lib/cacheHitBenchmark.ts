import { users } from '../../test/helpers/activities';
import { startChildServer } from './childServer';
import { runLoad, type LoadResult, type TurnSpec } from './loadGenerator';
import type { ReplyConnector } from './replyConnector';

/**
 * The answer cache's hit path (src/knowledge/answerCache.ts): every simulated user asks the same
 * knowledge question, once against the bot with its cache on (after the first answer, every turn
 * should be a hit) and once with ANSWER_CACHE_TTL_SECONDS=0 (no cache: every turn retrieves and
 * composes). The hit rate comes from the bot's own /metrics, not from this harness.
 */
export const CACHE_QUESTION = 'how do I return an item?';

export interface CacheRun {
  cache: 'on' | 'off';
  turns: number;
  ok: number;
  errors: number;
  latencyMs: { p50: number; p95: number; p99: number; mean: number };
  throughputPerSec: number;
  /** Look-ups during the measured turns, from bot_answer_cache_requests_total. */
  lookups: { hit: number; miss: number; error: number };
  hitRate?: number;
}

export interface CacheHitResult {
  question: string;
  concurrency: number;
  runs: CacheRun[];
  /** p50 and p95 of the hit path over the uncached path (below 1: the cache saves time). */
  ratioOnOff: { p50?: number; p95?: number };
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** bot_answer_cache_requests_total by result, read from the server's Prometheus text. */
export function cacheCounters(exposition: string): { hit: number; miss: number; error: number } {
  const out = { hit: 0, miss: 0, error: 0 };
  for (const m of exposition.matchAll(
    /^bot_answer_cache_requests_total\{[^}]*result="(hit|miss|error)"[^}]*\} (\S+)$/gm,
  ))
    out[m[1] as keyof typeof out] += Number(m[2]);
  return out;
}

async function counters(botUrl: string) {
  const res = await fetch(new URL('/metrics', botUrl));
  if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
  return cacheCounters(await res.text());
}

export async function runCacheHitBenchmark(opts: {
  env: (name: string) => Record<string, string>;
  connector: ReplyConnector;
  concurrency: number;
  turns: number;
  warmupTurns: number;
  log: (message: string) => void;
}): Promise<CacheHitResult> {
  const script = (): TurnSpec => ({ user: users.alex, text: CACHE_QUESTION });
  const runs: CacheRun[] = [];
  for (const cache of ['on', 'off'] as const) {
    const server = await startChildServer({
      script: 'src/index.ts',
      env: { ...opts.env(`cache-${cache}`), ...(cache === 'off' ? { ANSWER_CACHE_TTL_SECONDS: '0' } : {}) },
      readyPath: '/readyz',
    });
    try {
      const load = (turns: number): Promise<LoadResult> =>
        runLoad({
          botUrl: server.url,
          connector: opts.connector,
          concurrency: opts.concurrency,
          turns,
          script,
        });
      await load(Math.max(opts.warmupTurns, opts.concurrency)); // JIT, and the first (missing) answer
      const before = await counters(server.url);
      const r = await load(opts.turns);
      const after = await counters(server.url);
      const lookups = {
        hit: after.hit - before.hit,
        miss: after.miss - before.miss,
        error: after.error - before.error,
      };
      const all = lookups.hit + lookups.miss + lookups.error;
      runs.push({
        cache,
        turns: r.turns,
        ok: r.ok,
        errors: r.errors,
        latencyMs: {
          p50: round(r.latencyMs.p50),
          p95: round(r.latencyMs.p95),
          p99: round(r.latencyMs.p99),
          mean: round(r.latencyMs.mean),
        },
        throughputPerSec: round(r.throughputPerSec, 1),
        lookups,
        ...(all ? { hitRate: round(lookups.hit / all, 4) } : {}),
      });
      opts.log(
        `answer cache ${cache}: p50 ${r.latencyMs.p50.toFixed(1)} ms, p95 ${r.latencyMs.p95.toFixed(1)} ms, ` +
          `${lookups.hit} hits / ${all} look-ups${r.errors ? `, ${r.errors} errors` : ''}`,
      );
    } finally {
      await server.stop();
    }
  }
  const [on, off] = runs as [CacheRun, CacheRun];
  const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 3) : undefined);
  return {
    question: CACHE_QUESTION,
    concurrency: opts.concurrency,
    runs,
    ratioOnOff: {
      p50: ratio(on.latencyMs.p50, off.latencyMs.p50),
      p95: ratio(on.latencyMs.p95, off.latencyMs.p95),
    },
  };
}
