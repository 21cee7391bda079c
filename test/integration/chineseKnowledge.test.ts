import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { groupChat, personalConversation, users } from '../helpers/activities';

let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest(freshKnowledgeIndex('kb-zh-'));
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

/** The citation entity's sources of a reply. */
const citedSources = (activity: Record<string, any>): string[] =>
  (activity.entities ?? [])
    .flatMap((e: Record<string, any>) => e.citation ?? [])
    .map((c: Record<string, any>) => String(c.appearance?.url ?? c.appearance?.name ?? ''));

describe('a Chinese knowledge question through the real server (embedded mode)', () => {
  it('is answered from the Chinese document, with its citation, in a 1:1 chat', async () => {
    const calls = await t.say(personalConversation(users.alex), '国际运费多少钱？');
    const answer = calls.map((c) => c.activity).find((a) => String(a.text ?? '').includes('19.95 美元'));
    expect(answer, JSON.stringify(calls.map((c) => c.activity.text))).toBeDefined();
    expect(citedSources(answer!).join(' ')).toMatch(/zh-cn\/shipping|配送和运输/);
  });

  it('is answered from the Chinese document in a group chat too (documents for everyone)', async () => {
    const calls = await t.say(groupChat(), '包裹丢了怎么办');
    const answer = calls.map((c) => c.activity).find((a) => String(a.text ?? '').includes('免费补发'));
    expect(answer, JSON.stringify(calls.map((c) => c.activity.text))).toBeDefined();
  });

  it('leaves an English question on the English document', async () => {
    const calls = await t.say(groupChat(), 'How much does international shipping cost?');
    const texts = calls.map((c) => String(c.activity.text ?? '')).join('\n');
    expect(texts).toMatch(/International orders|19.95 USD/);
    expect(texts).not.toMatch(/\p{Script=Han}/u);
  });
});
