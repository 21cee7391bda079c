import Redis from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { hashId } from '../observability/correlation';
import { logger } from '../observability/logger';
import type { AppConfig } from '../config';

/**
 * Turn rate limits per user and per tenant (rate-limiter-flexible: a fixed window of `points`
 * turns per `durationSec`). In memory by default, which is right for one instance; with a Redis
 * URL the counters are shared across instances, and an in-memory limiter with the same rules
 * takes over while Redis is unreachable, so a Redis outage neither blocks nor unthrottles the bot.
 *
 * Keys are hashed before they reach the store: Redis never sees a user or tenant id.
 */
export interface RateLimitRule {
  points: number;
  durationSec: number;
}

export interface TurnRateLimiterOptions {
  perUser?: RateLimitRule;
  perTenant?: RateLimitRule;
  /** redis:// or rediss:// URL; when set the counters live in Redis. */
  redisUrl?: string;
  /** An existing ioredis client (takes precedence over redisUrl); the caller owns its lifecycle. */
  redisClient?: Redis;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** How long until the exhausted bucket refills, when not allowed. */
  retryAfterMs?: number;
  /** Which limit refused the turn. */
  scope?: 'user' | 'tenant';
}

export interface TurnRateLimiter {
  readonly backend: 'memory' | 'redis';
  readonly rules: { perUser: RateLimitRule; perTenant: RateLimitRule };
  /** Takes one turn from the user's and then the tenant's bucket. Never throws. */
  consume(userKey: string | undefined, tenantKey: string | undefined): Promise<RateLimitDecision>;
  /** Disconnects the Redis client this limiter created (no-op otherwise). */
  close(): Promise<void>;
}

export const DEFAULT_USER_RULE: RateLimitRule = { points: 30, durationSec: 60 };
export const DEFAULT_TENANT_RULE: RateLimitRule = { points: 600, durationSec: 60 };

export function createTurnRateLimiter(options: TurnRateLimiterOptions = {}): TurnRateLimiter {
  const perUser = validRule('perUser', options.perUser ?? DEFAULT_USER_RULE);
  const perTenant = validRule('perTenant', options.perTenant ?? DEFAULT_TENANT_RULE);

  let ownedClient: Redis | undefined;
  let client = options.redisClient;
  if (!client && options.redisUrl) {
    ownedClient = client = createRedisClient(options.redisUrl);
  }

  const build = (name: 'user' | 'tenant', rule: RateLimitRule): RateLimiterAbstract => {
    const common = { points: rule.points, duration: rule.durationSec, keyPrefix: `rl:turn:${name}` };
    if (!client) return new RateLimiterMemory(common);
    return new RateLimiterRedis({
      ...common,
      storeClient: client,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(common),
    });
  };
  const userLimiter = build('user', perUser);
  const tenantLimiter = build('tenant', perTenant);

  return {
    backend: client ? 'redis' : 'memory',
    rules: { perUser, perTenant },
    async consume(userKey, tenantKey) {
      const user = await take(userLimiter, bucketKey(userKey));
      if (!user.allowed) return { ...user, scope: 'user' };
      const tenant = await take(tenantLimiter, bucketKey(tenantKey));
      if (!tenant.allowed) return { ...tenant, scope: 'tenant' };
      return { allowed: true };
    },
    async close() {
      if (ownedClient) ownedClient.disconnect();
    },
  };
}

/** The ioredis client for the limiter: fail fast instead of queueing commands while disconnected. */
export function createRedisClient(redisUrl: string): Redis {
  let url: URL;
  try {
    url = new URL(redisUrl);
  } catch {
    throw new Error('REDIS_URL must be a redis:// or rediss:// URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new Error('REDIS_URL must be a redis:// or rediss:// URL');
  }
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
  });
  // Without a listener ioredis prints every reconnect failure; log it once per state change instead.
  let lastError = '';
  client.on('error', (err: Error) => {
    if (err.message !== lastError)
      logger.warn({ error: err.name, dependency: 'redis' }, 'rate limiter store error');
    lastError = err.message;
  });
  client.on('ready', () => {
    lastError = '';
  });
  client.connect().catch(() => undefined);
  return client;
}

async function take(
  limiter: RateLimiterAbstract,
  key: string,
): Promise<{ allowed: boolean; retryAfterMs?: number }> {
  try {
    await limiter.consume(key, 1);
    return { allowed: true };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      return { allowed: false, retryAfterMs: Math.max(0, Math.ceil(rejection.msBeforeNext)) };
    }
    // A store failure the insurance limiter could not absorb: let the turn through (fail open).
    logger.warn(
      { error: rejection instanceof Error ? rejection.name : typeof rejection },
      'rate limiter failed; turn allowed',
    );
    return { allowed: true };
  }
}

function bucketKey(key: string | undefined): string {
  return hashId(typeof key === 'string' ? key.trim() : undefined) ?? 'unknown';
}

function validRule(name: string, rule: RateLimitRule): RateLimitRule {
  const ok = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n > 0;
  if (!rule || !ok(rule.points) || !ok(rule.durationSec)) {
    throw new RangeError(`${name} needs positive integer points and durationSec`);
  }
  return { points: rule.points, durationSec: rule.durationSec };
}

/** The limiter from settings: RATE_LIMIT_USER_PER_MIN, RATE_LIMIT_TENANT_PER_MIN, REDIS_URL. */
export function createTurnRateLimiterFromConfig(
  config: Pick<AppConfig, 'rateLimit' | 'redisUrl'>,
): TurnRateLimiter {
  return createTurnRateLimiter({
    perUser: { points: config.rateLimit.userPerMinute, durationSec: 60 },
    perTenant: { points: config.rateLimit.tenantPerMinute, durationSec: 60 },
    redisUrl: config.redisUrl,
  });
}
