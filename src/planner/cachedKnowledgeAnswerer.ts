import { EVERYONE, type GroupDirectory, type KnowledgeSearch } from '../knowledge';
import {
  answerCacheKey,
  IndexVersion,
  MemoryAnswerStore,
  RedisAnswerStore,
  type AnswerCacheStore,
} from '../knowledge/answerCache';
import { createRedisClient } from '../security/rateLimiter';
import { logger } from '../observability/logger';
import type { BotMetrics } from '../observability/metrics';
import { withSpan } from '../observability/tracing';
import type { KnowledgeAnswerer, KnowledgeReply } from './knowledgeAnswerer';

interface AnswerCacheOptions {
  store: AnswerCacheStore;
  groups: GroupDirectory;
  version: IndexVersion;
  ttlSeconds: number;
  metrics: Pick<BotMetrics, 'answerCache' | 'dependencyErrors'>;
}

/**
 * KnowledgeAnswerer decorator: answers (`answer` and `restricted` replies, never "not found" or
 * "unavailable", never tool results) are kept per normalised question, audience, the asker's
 * groups and the index version (src/knowledge/answerCache.ts). `retrieve` is not cached. A cache
 * that fails (Redis down) is a miss: the answer is computed as without a cache.
 */
export function withAnswerCache(inner: KnowledgeAnswerer, options: AnswerCacheOptions): KnowledgeAnswerer {
  const { store, metrics } = options;
  const failed = (err: unknown, step: string) => {
    metrics.answerCache.inc({ result: 'error' });
    metrics.dependencyErrors.inc({ dependency: `answer_cache_${store.backend}` });
    logger.warn({ error: err instanceof Error ? err.name : String(err), step }, 'answer cache unavailable');
  };
  return {
    retrieve: (aadObjectId, query) => inner.retrieve(aadObjectId, query),
    answer: (aadObjectId, question, audience = 'private', previousQuestion) =>
      withSpan('knowledge.answer', { 'bot.answer_cache.backend': store.backend }, async (span) => {
        let key: string | undefined;
        try {
          // The asker's groups also in shared chats: there a restricted answer may go to their 1:1 chat.
          const groups = aadObjectId ? await options.groups.groupsOf(aadObjectId) : [EVERYONE];
          key = answerCacheKey({
            question,
            audience,
            groups,
            indexVersion: await options.version.current(),
            previousQuestion,
          });
          const cached = await store.get(key);
          if (cached !== undefined) {
            metrics.answerCache.inc({ result: 'hit' });
            span.setAttribute('bot.answer_cache', 'hit');
            return JSON.parse(cached) as KnowledgeReply;
          }
          metrics.answerCache.inc({ result: 'miss' });
        } catch (err) {
          failed(err, 'get');
        }
        span.setAttribute('bot.answer_cache', 'miss');
        const reply = await inner.answer(aadObjectId, question, audience, previousQuestion);
        if (key && (reply.kind === 'answer' || reply.kind === 'restricted'))
          await store.set(key, JSON.stringify(reply), options.ttlSeconds).catch((err) => failed(err, 'set'));
        return reply;
      }),
  };
}

/**
 * The answerer the bot uses: behind the answer cache unless `ANSWER_CACHE_TTL_SECONDS=0`. Redis
 * with `REDIS_URL` (the rate limiter's client settings), memory otherwise. `close()` disconnects.
 */
export function cacheKnowledgeAnswers(
  inner: KnowledgeAnswerer,
  config: {
    redisUrl?: string;
    answerCache: { ttlSeconds: number; maxEntries: number; versionCheckMs: number };
  },
  deps: {
    search: Pick<KnowledgeSearch, 'listSources'>;
    groups: GroupDirectory;
    metrics: AnswerCacheOptions['metrics'];
  },
): KnowledgeAnswerer & { close(): Promise<void> } {
  const { ttlSeconds, maxEntries, versionCheckMs } = config.answerCache;
  if (ttlSeconds === 0) return { ...inner, close: async () => undefined };
  const store = config.redisUrl
    ? new RedisAnswerStore(createRedisClient(config.redisUrl))
    : new MemoryAnswerStore(maxEntries);
  const cached = withAnswerCache(inner, {
    store,
    groups: deps.groups,
    version: new IndexVersion(deps.search, versionCheckMs),
    ttlSeconds,
    metrics: deps.metrics,
  });
  return { ...cached, close: () => store.close() };
}
