import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { personalConversation, users } from '../helpers/activities';
import { WELCOME_EXAMPLES } from '../../src/teams/welcomeCard';

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
  const examples = Object.values(WELCOME_EXAMPLES).flat();
  it.each(examples)('"%s" is understood and answered', async (example) => {
    const conv = personalConversation(users.alex);
    const replies = await t.say(conv, example);
    expect(replies.length).toBeGreaterThan(0);
    const text = replies.map((r) => visibleText(r.activity)).join(' ');
    expect(text).not.toMatch(/couldn.t find (that|anything)|went wrong|I can help with orders/i);
  });
});
