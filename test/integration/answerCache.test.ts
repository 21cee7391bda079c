import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { personalConversation, users } from '../helpers/activities';

/**
 * The answer cache through the real server (embedded model, in-memory cache): a repeated question
 * is a hit in /metrics with the same reply, and a cached hr answer never reaches Alex.
 */
const LEAVE = 'How many days of annual leave do I get per year?';
let t: BotUnderTest;

async function cacheCount(result: string): Promise<number> {
  const text = await (await fetch(`${t.bot.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`bot_answer_cache_requests_total{result="${result}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}
const replyText = (calls: Awaited<ReturnType<BotUnderTest['say']>>) =>
  calls
    .filter((c) => c.activity.type === 'message')
    .map((c) => String(c.activity.text ?? ''))
    .join('\n');

beforeAll(async () => {
  t = await startBotUnderTest({
    ...freshKnowledgeIndex('answer-cache-'),
    STREAMING: 'false',
    ANSWER_CACHE_VERSION_CHECK_MS: '0',
  });
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

describe('answer cache in the bot', () => {
  it('serves a repeated question from the cache and never crosses groups', async () => {
    const hits = await cacheCount('hit');
    const bea = personalConversation(users.bea);
    const first = replyText(await t.say(bea, LEAVE, users.bea));
    expect(first).toContain('25 days');
    const second = replyText(await t.say(bea, LEAVE, users.bea));
    expect(second).toBe(first);
    expect(await cacheCount('hit')).toBe(hits + 1);

    // Alex asks the same words: not a hit of Bea's entry, and no handbook text.
    const alex = personalConversation(users.alex);
    const alexReply = replyText(await t.say(alex, LEAVE, users.alex));
    expect(alexReply).not.toContain('25 days');
    expect(await cacheCount('hit')).toBe(hits + 1);
  });
});
