import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { message, personalConversation, users } from '../helpers/activities';

/** A refused tool call reaches the user as a plain sentence through the real server. */
let t: BotUnderTest;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'toolreplies-'));
  t = await startBotUnderTest({ KNOWLEDGE_INDEX_PATH: path.join(dir, 'index.json') });
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
    const activity = message(t.connector.url, conv, text, { user: users.alex });
    expect((await t.post(activity)).status).toBe(200);
    const replies = t.connector.messages(conv.id).filter((c) => c.activityId === activity.id);
    const reply = String(replies.at(-1)?.activity.text ?? '');
    expect(reply).toMatch(mentions);
    expect(reply).not.toMatch(/^\s*Error\b/i);
  });
});
