import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { groupChat, personalConversation, users } from '../helpers/activities';
import { shownText } from '../helpers/cards';

/**
 * A follow-up ("and on sundays?") leans on the question before it, which the conversation state
 * keeps (Cosmos, per member in shared chats), not the process: it still does after a restart of the
 * bot on the same data directory, as it would on another instance.
 */
let dataDir: string;
let kbDir: string;
const running = new Set<BotUnderTest>();

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'follow-up-restart-'));
  kbDir = mkdtempSync(join(tmpdir(), 'follow-up-restart-kb-'));
});
afterAll(async () => {
  await Promise.all([...running].map((b) => b.stop()));
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(kbDir, { recursive: true, force: true });
});

async function start(): Promise<BotUnderTest> {
  const bot = await startBotUnderTest({
    EMBEDDED_DATA_DIR: dataDir,
    KNOWLEDGE_INDEX_PATH: join(kbDir, 'index.json'),
  });
  running.add(bot);
  return bot;
}

const STORE_SUNDAY = /Sunday from 11 am to 6 pm/;
const PHONE_SUNDAY = /Phone support is closed on Sundays/;

describe('follow-up questions across a restart', () => {
  it('answers "and on sundays?" about the stores after the bot restarted', async () => {
    const conv = personalConversation(users.dana);
    const group = groupChat();
    const a = await start();
    expect(shownText(await a.say(conv, 'what are the store opening hours?', users.dana))).toMatch(
      /stores are open/i,
    );
    // In a group chat the topic is each member's own: Alex asked about the stores, Carl did not.
    await a.say(group, 'what are the store opening hours?', users.alex);
    await a.stop();
    running.delete(a);

    const b = await start();
    const followUp = shownText(await b.say(conv, 'and on sundays?', users.dana));
    expect(followUp).toMatch(STORE_SUNDAY);
    expect(followUp).not.toMatch(PHONE_SUNDAY);
    expect(shownText(await b.say(group, 'and on sundays?', users.alex))).toMatch(STORE_SUNDAY);
    // Carl asked nothing before: the same words are answered from the documents alone.
    expect(shownText(await b.say(group, 'and on sundays?', users.carl))).toMatch(PHONE_SUNDAY);
    // A new conversation has no topic either.
    expect(shownText(await b.say(personalConversation(users.dana), 'and on sundays?', users.dana))).toMatch(
      PHONE_SUNDAY,
    );
  }, 300_000); // two bot start-ups (intent model training): slow on a loaded machine
});
