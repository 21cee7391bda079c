import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { personalConversation, users } from '../helpers/activities';

/** A refused tool call reaches the user as a plain sentence through the real server. */
let t: BotUnderTest;

beforeAll(async () => {
  t = await startBotUnderTest(freshKnowledgeIndex('toolreplies-'));
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

describe('tool refusals', () => {
  it.each([
    ['Where is order ORD-99999?', /ORD-99999/],
    ['What is the status of TKT-999999?', /TKT-999999/],
  ])('"%s" gets a sentence without an "Error:" prefix', async (text, mentions) => {
    const conv = personalConversation(users.alex);
    const replies = await t.say(conv, text);
    const reply = String(replies.at(-1)?.activity.text ?? '');
    expect(reply).toMatch(mentions);
    expect(reply).not.toMatch(/^\s*Error\b/i);
  });
});
