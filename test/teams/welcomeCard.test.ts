import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { personalConversation, users } from '../helpers/activities';
import { WELCOME_EXAMPLES_BY_LANGUAGE } from '../../src/teams/welcomeCard';

/** Every example the welcome card suggests gets a real answer for the default Playground user (Alex). */
let t: BotUnderTest;

beforeAll(async () => {
  t = await startBotUnderTest(freshKnowledgeIndex('welcome-'));
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

function visibleText(activity: any): string {
  const cards = (activity.attachments ?? []).map((a: any) => JSON.stringify(a.content ?? ''));
  return [String(activity.text ?? ''), ...cards].join(' ');
}

describe('welcome card examples', () => {
  const examples = Object.values(WELCOME_EXAMPLES_BY_LANGUAGE.en).flat();
  it.each(examples)('"%s" is understood and answered', async (example) => {
    const conv = personalConversation(users.alex);
    const replies = await t.say(conv, example);
    expect(replies.length).toBeGreaterThan(0);
    const text = replies.map((r) => visibleText(r.activity)).join(' ');
    expect(text).not.toMatch(/couldn.t find (that|anything)|went wrong|I can help with orders/i);
  });

  const zhExamples = Object.values(WELCOME_EXAMPLES_BY_LANGUAGE['zh-CN']).flat();
  it.each(zhExamples)('the Chinese example "%s" is understood and answered in Chinese', async (example) => {
    const conv = personalConversation(users.alex);
    const replies = await t.say(conv, example);
    expect(replies.length).toBeGreaterThan(0);
    const text = replies.map((r) => visibleText(r.activity)).join(' ');
    expect(text).toMatch(/[\u4e00-\u9fff]/u);
    expect(text).not.toMatch(/知识库中没有找到|出了点问题|这个我做不到|我可以帮您处理订单、支持工单/);
  });
});
