import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { message, personalConversation, users } from '../helpers/activities';
import { WELCOME_EXAMPLES } from '../../src/teams/welcomeCard';

/** Every example the welcome card suggests gets a real answer for the default Playground user (Alex). */
let t: BotUnderTest;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'welcome-'));
  t = await startBotUnderTest({ KNOWLEDGE_INDEX_PATH: path.join(dir, 'index.json') });
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
    const activity = message(t.connector.url, conv, example, { user: users.alex });
    expect((await t.post(activity)).status).toBe(200);
    const replies = t.connector.messages(conv.id).filter((c) => c.activityId === activity.id);
    expect(replies.length).toBeGreaterThan(0);
    const text = replies.map((r) => visibleText(r.activity)).join(' ');
    expect(text).not.toMatch(/couldn.t find (that|anything)|went wrong|I can help with orders/i);
  });
});
