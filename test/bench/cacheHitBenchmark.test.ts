import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_QUESTION, cacheCounters } from '../../bench/lib/cacheHitBenchmark';
import { personalConversation } from '../helpers/activities';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';

/** bench:turns --cache-turns reads the hit rate from the real bot's /metrics with cacheCounters. */
describe('cacheCounters against the real bot', () => {
  let t: BotUnderTest;
  beforeAll(async () => {
    t = await startBotUnderTest({ RATE_LIMIT_USER_PER_MIN: '10000' });
  });
  afterAll(async () => t?.stop());

  const read = async () => cacheCounters(await (await fetch(`${t.bot.url}/metrics`)).text());

  it('counts a miss for a new question and hits when the same question is asked again', async () => {
    const before = await read();
    const conv = personalConversation();
    for (let i = 0; i < 3; i++) expect((await t.say(conv, CACHE_QUESTION)).length).toBeGreaterThan(0);
    const after = await read();
    expect(after.miss - before.miss).toBe(1);
    expect(after.hit - before.hit).toBe(2);
    expect(after.error).toBe(before.error);
  });
});
