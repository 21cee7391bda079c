import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import {
  BOT_ID,
  conversationUpdateBotAdded,
  groupChat,
  installationUpdate,
  personalConversation,
  type ConversationRef,
} from '../helpers/activities';
import { turnStateConversationKey } from '../../src/storage';
import { hasHistory, welcomeDecision, WELCOME_REPEAT_AFTER_MS } from '../../src/teams/welcomePolicy';

/**
 * The welcome card is sent again when a conversation with nothing said in it is opened again
 * (Playground reload, reinstall), once per install, and never again where people have talked.
 */
let t: BotUnderTest;

beforeAll(async () => {
  t = await startBotUnderTest();
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

const welcomes = (conv: ConversationRef) =>
  t.connector
    .messages(conv.id)
    .filter((c) => JSON.stringify(c.activity.attachments ?? []).includes('Hi, I am the Service Bot'));

/** Moves the stored welcome back in time, as if the conversation were opened again later. */
async function ageWelcome(conv: ConversationRef, patch: Record<string, unknown> = {}) {
  const key = turnStateConversationKey('msteams', BOT_ID, conv.id);
  const items = await t.bot.stores.storage.read([key]);
  const stored = items[key] as Record<string, unknown>;
  expect(stored.welcomedAt).toBeDefined();
  const earlier = new Date(Date.now() - WELCOME_REPEAT_AFTER_MS - 1000).toISOString();
  await t.bot.stores.storage.write({ [key]: { ...stored, welcomedAt: earlier, ...patch, eTag: '*' } });
}

describe('welcome card', () => {
  it('is sent again when a conversation with no history is opened again', async () => {
    const conv = personalConversation();
    await t.post(conversationUpdateBotAdded(t.connector.url, conv));
    expect(welcomes(conv)).toHaveLength(1);
    await ageWelcome(conv);
    await t.post(conversationUpdateBotAdded(t.connector.url, conv));
    expect(welcomes(conv)).toHaveLength(2);
    await ageWelcome(conv);
    await t.post(installationUpdate(t.connector.url, conv, 'add-upgrade'));
    expect(welcomes(conv)).toHaveLength(3);
  });

  it('is sent once for the two events of one install, in either order', async () => {
    const a = personalConversation();
    await t.post(installationUpdate(t.connector.url, a));
    await t.post(conversationUpdateBotAdded(t.connector.url, a));
    const b = personalConversation();
    await t.post(conversationUpdateBotAdded(t.connector.url, b));
    await t.post(installationUpdate(t.connector.url, b));
    expect(welcomes(a)).toHaveLength(1);
    expect(welcomes(b)).toHaveLength(1);
  });

  it('is not repeated where someone has talked to the bot (a busy group chat)', async () => {
    const conv = groupChat();
    await t.post(conversationUpdateBotAdded(t.connector.url, conv));
    await t.say(conv, 'help');
    await ageWelcome(conv);
    await t.post(conversationUpdateBotAdded(t.connector.url, conv));
    await t.post(installationUpdate(t.connector.url, conv));
    expect(welcomes(conv)).toHaveLength(1);
  });

  it('is sent to a conversation welcomed before welcomedAt existed when nothing was said there', async () => {
    const conv = personalConversation();
    await t.post(conversationUpdateBotAdded(t.connector.url, conv));
    await ageWelcome(conv, { welcomedAt: undefined, welcomed: true });
    await t.post(conversationUpdateBotAdded(t.connector.url, conv));
    expect(welcomes(conv)).toHaveLength(2);
  });

  it('a message is history; the memory of an older conversation is too', () => {
    expect(hasHistory({})).toBe(false);
    expect(hasHistory({ welcomed: true, welcomedAt: new Date().toISOString() })).toBe(false);
    expect(hasHistory({ firstMessageAt: '2026-01-01T00:00:00Z' })).toBe(true);
    expect(hasHistory({ memory: { turns: [] } })).toBe(true);
    expect(hasHistory({ 'memory:00000000-0000-0000-0000-00000000a001': {} })).toBe(true);
    expect(hasHistory({ chat_history: [] })).toBe(true);
  });

  it('within the window, the other event type is the second half of the install; the same type again is a reopening', () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    const recent = new Date(now - 1000).toISOString();
    const old = new Date(now - WELCOME_REPEAT_AFTER_MS).toISOString();
    const afterInstall = { welcomedAt: recent, welcomeEvents: ['installationUpdate'] };
    expect(welcomeDecision(afterInstall, 'conversationUpdate', now)).toEqual({
      send: false,
      eventsSinceWelcome: ['installationUpdate', 'conversationUpdate'],
    });
    expect(welcomeDecision(afterInstall, 'installationUpdate', now).send).toBe(true);
    const afterPair = { welcomedAt: recent, welcomeEvents: ['installationUpdate', 'conversationUpdate'] };
    expect(welcomeDecision(afterPair, 'conversationUpdate', now)).toEqual({
      send: true,
      eventsSinceWelcome: ['conversationUpdate'],
    });
    expect(
      welcomeDecision({ welcomedAt: old, welcomeEvents: ['installationUpdate'] }, 'conversationUpdate', now)
        .send,
    ).toBe(true);
    expect(welcomeDecision({}, 'conversationUpdate', now).send).toBe(true);
    expect(
      welcomeDecision({ welcomedAt: recent, firstMessageAt: recent }, 'installationUpdate', now).send,
    ).toBe(false);
  });

  it('is sent again when the Agents Playground page is reloaded at once (both events again, seconds later)', async () => {
    const conv = personalConversation();
    // What the Playground (0.2.28) posts on every page load, 4 ms apart, same conversation id.
    await t.post(installationUpdate(t.connector.url, conv));
    await t.post(conversationUpdateBotAdded(t.connector.url, conv));
    expect(welcomes(conv)).toHaveLength(1);
    await t.post(installationUpdate(t.connector.url, conv));
    await t.post(conversationUpdateBotAdded(t.connector.url, conv));
    expect(welcomes(conv)).toHaveLength(2);
    // The other order too (Teams does not promise one).
    await t.post(conversationUpdateBotAdded(t.connector.url, conv));
    await t.post(installationUpdate(t.connector.url, conv));
    expect(welcomes(conv)).toHaveLength(3);
  });

  it('a redelivered install event (same activity id) is not a reopening', async () => {
    const conv = personalConversation();
    const install = installationUpdate(t.connector.url, conv);
    await t.post(install);
    await t.post(install);
    expect(welcomes(conv)).toHaveLength(1);
  });
});
