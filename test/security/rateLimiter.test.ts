import { afterEach, describe, expect, it } from 'vitest';
import {
  createTurnRateLimiter,
  createTurnRateLimiterFromConfig,
  DEFAULT_TENANT_RULE,
  DEFAULT_USER_RULE,
  type TurnRateLimiter,
} from '../../src/security/rateLimiter';
import { ConfigError, loadConfig } from '../../src/config';

const open: TurnRateLimiter[] = [];
const limiter = (...args: Parameters<typeof createTurnRateLimiter>) => {
  const l = createTurnRateLimiter(...args);
  open.push(l);
  return l;
};
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

async function consumeTimes(l: TurnRateLimiter, n: number, user: string, tenant: string) {
  const results = [];
  for (let i = 0; i < n; i++) results.push(await l.consume(user, tenant));
  return results;
}

describe('createTurnRateLimiter (memory)', () => {
  it('defaults to 30 turns a minute per user and 600 per tenant, in memory', () => {
    const l = limiter();
    expect(l.backend).toBe('memory');
    expect(l.rules).toEqual({ perUser: DEFAULT_USER_RULE, perTenant: DEFAULT_TENANT_RULE });
    expect(DEFAULT_USER_RULE).toEqual({ points: 30, durationSec: 60 });
    expect(DEFAULT_TENANT_RULE).toEqual({ points: 600, durationSec: 60 });
  });

  it('lets a user take their points, then refuses with scope user and a retry delay within the window', async () => {
    const l = limiter({ perUser: { points: 3, durationSec: 60 } });
    const results = await consumeTimes(l, 4, 'user-a', 'tenant-1');
    expect(results.slice(0, 3)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(results[3]).toMatchObject({ allowed: false, scope: 'user' });
    expect(results[3].retryAfterMs).toBeGreaterThan(0);
    expect(results[3].retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('keeps users apart: one user hitting the limit does not affect another', async () => {
    const l = limiter({ perUser: { points: 2, durationSec: 60 } });
    await consumeTimes(l, 3, 'user-a', 'tenant-1');
    expect(await l.consume('user-b', 'tenant-1')).toEqual({ allowed: true });
  });

  it('limits a whole tenant across its users, and keeps tenants apart', async () => {
    const l = limiter({
      perUser: { points: 100, durationSec: 60 },
      perTenant: { points: 5, durationSec: 60 },
    });
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await l.consume(`user-${i}`, 'tenant-1'));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(results[5]).toMatchObject({ allowed: false, scope: 'tenant' });
    expect(await l.consume('user-9', 'tenant-2')).toEqual({ allowed: true });
  });

  it('treats a missing user or tenant key as one shared "unknown" bucket instead of failing', async () => {
    const l = limiter({ perUser: { points: 2, durationSec: 60 } });
    expect(await l.consume(undefined, undefined)).toEqual({ allowed: true });
    expect(await l.consume('', '  ')).toEqual({ allowed: true });
    expect(await l.consume('   ', undefined)).toMatchObject({ allowed: false, scope: 'user' });
  });

  it.each([
    [{ perUser: { points: 0, durationSec: 60 } }],
    [{ perUser: { points: 1.5, durationSec: 60 } }],
    [{ perTenant: { points: 10, durationSec: -1 } }],
  ])('rejects a nonsensical rule %j with a RangeError', (options) => {
    expect(() => createTurnRateLimiter(options)).toThrow(RangeError);
  });
});

describe('createTurnRateLimiter (Redis branch)', () => {
  it('uses Redis when given a URL and keeps enforcing limits in memory while Redis is unreachable', async () => {
    // Nothing listens on port 1: every Redis call fails and the insurance limiter answers.
    const l = limiter({ perUser: { points: 2, durationSec: 60 }, redisUrl: 'redis://127.0.0.1:1' });
    expect(l.backend).toBe('redis');
    const results = await consumeTimes(l, 3, 'user-a', 'tenant-1');
    expect(results.map((r) => r.allowed)).toEqual([true, true, false]);
    expect(results[2].scope).toBe('user');
  });

  it.each(['http://127.0.0.1:6379', 'not a url'])(
    'refuses a non-Redis URL %s with a clear error',
    (redisUrl) => {
      expect(() => createTurnRateLimiter({ redisUrl })).toThrow(/redis:\/\/ or rediss:\/\//);
    },
  );
});

describe('configuration', () => {
  it('reads RATE_LIMIT_USER_PER_MIN and RATE_LIMIT_TENANT_PER_MIN (per-minute windows)', () => {
    const l = createTurnRateLimiterFromConfig(
      loadConfig({ RATE_LIMIT_USER_PER_MIN: '5', RATE_LIMIT_TENANT_PER_MIN: '50' }),
    );
    open.push(l);
    expect(l.rules).toEqual({
      perUser: { points: 5, durationSec: 60 },
      perTenant: { points: 50, durationSec: 60 },
    });
    expect(loadConfig({}).rateLimit).toEqual({ userPerMinute: 30, tenantPerMinute: 600 });
  });

  it.each([
    [{ RATE_LIMIT_USER_PER_MIN: 'lots' }, 'RATE_LIMIT_USER_PER_MIN'],
    [{ RATE_LIMIT_TENANT_PER_MIN: '0' }, 'RATE_LIMIT_TENANT_PER_MIN'],
    [{ REDIS_URL: 'http://cache:6379' }, 'REDIS_URL'],
  ])('rejects %j naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });
});
