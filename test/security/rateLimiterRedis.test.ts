import { spawn, type ChildProcess } from 'node:child_process';
import Redis from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashId } from '../../src/observability/correlation';
import { createTurnRateLimiter, type TurnRateLimiter } from '../../src/security/rateLimiter';
import { freePort } from '../helpers/botProcess';

/**
 * The shared (multi-instance) rate limit against a real Redis server: Debian's redis-server on
 * 127.0.0.1, no persistence (.ci/run installs the package). Two limiters stand for two bot
 * instances.
 */
let port: number;
let server: ChildProcess | undefined;
let admin: Redis;

async function startRedis(): Promise<void> {
  server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const started = new Promise<void>((resolve, reject) => {
    let out = '';
    server!.once('error', (err) =>
      reject(
        new Error(
          `cannot start redis-server (Debian package redis-server; .ci/run installs it): ${err.message}`,
        ),
      ),
    );
    server!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
    server!.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out.slice(-500)}`)));
  });
  await started;
}

async function stopRedis(): Promise<void> {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((resolve) => server!.once('exit', resolve));
  server.kill('SIGKILL');
  await exited;
}

const open: TurnRateLimiter[] = [];
function instance(points: number): TurnRateLimiter {
  const l = createTurnRateLimiter({
    perUser: { points, durationSec: 60 },
    perTenant: { points: 1000, durationSec: 60 },
    redisUrl: `redis://127.0.0.1:${port}`,
  });
  open.push(l);
  return l;
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  port = await freePort();
  await startRedis();
  admin = new Redis({ port, host: '127.0.0.1', lazyConnect: true });
  await admin.connect();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});
afterAll(async () => {
  admin?.disconnect();
  await stopRedis();
});

describe('rate limits shared through a real Redis', () => {
  it('counts one user across two instances, and stores only hashed keys', async () => {
    const a = instance(3);
    const b = instance(3);
    // ioredis connects lazily in the background: wait until both are ready.
    const clients = async () =>
      String(await admin.client('LIST'))
        .split('\n')
        .filter(Boolean).length;
    await until(async () => (await clients()) >= 3, 'clients');
    const results = [];
    for (const l of [a, b, a, b]) results.push(await l.consume('29:alex-shared', 'tenant-1'));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3]).toMatchObject({ scope: 'user' });
    expect(results[3]!.retryAfterMs).toBeGreaterThan(0);

    const keys = await admin.keys('rl:turn:*');
    expect(keys).toContain(`rl:turn:user:${hashId('29:alex-shared')}`);
    expect(keys.join(' ')).not.toContain('alex');
    expect(Number(await admin.get(`rl:turn:user:${hashId('29:alex-shared')}`))).toBe(4);
  });

  it('keeps limiting in memory while Redis is down, and shares counts again once it is back', async () => {
    const a = instance(2);
    await until(async () => (await a.consume('29:warmup', 't')).allowed, 'redis ready');
    await stopRedis();
    // Down: each instance falls back to its own in-memory insurance limiter with the same rule.
    const down = [];
    for (let i = 0; i < 3; i++) down.push((await a.consume('29:bea-outage', 'tenant-1')).allowed);
    expect(down).toEqual([true, true, false]);

    await startRedis();
    admin.disconnect();
    admin = new Redis({ port, host: '127.0.0.1', lazyConnect: true });
    await admin.connect();
    const key = `rl:turn:user:${hashId('29:carl-after')}`;
    // ioredis reconnects by itself; once it has, the counts land in Redis again.
    await until(async () => {
      await a.consume('29:carl-after', 'tenant-1');
      return (await admin.exists(key)) === 1;
    }, 'the limiter to use Redis again');
    expect(Number(await admin.get(key))).toBeGreaterThanOrEqual(1);
  });
});
