import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import {
  activityOfType,
  channelThread,
  conversationUpdateBotAdded,
  groupChat,
  installationUpdate,
  message,
  personalConversation,
  users,
} from '../helpers/activities';

/**
 * The bot as Teams sees it: real activities over HTTP to /api/messages on a loopback port,
 * replies observed at a local connector that plays the Teams service URL.
 */
let t: BotUnderTest;

beforeAll(async () => {
  t = await startBotUnderTest();
});
afterAll(async () => {
  await t.stop();
});
beforeEach(() => t.connector.reset());

const textOf = (a: Record<string, any>) => String(a.text ?? '');
const isCard = (a: Record<string, any>) =>
  (a.attachments ?? []).some((x: any) => x.contentType === 'application/vnd.microsoft.card.adaptive');

describe('personal chat', () => {
  it('answers a message in the same conversation, as a reply to it', async () => {
    const conv = personalConversation();
    const activity = message(t.connector.url, conv, 'help');
    const res = await t.post(activity);
    expect(res.status).toBe(200);
    const replies = t.connector.messages(conv.id);
    expect(replies).toHaveLength(1);
    expect(replies[0].activityId).toBe(activity.id);
    expect(replies[0].activity.replyToId).toBe(activity.id);
    expect(textOf(replies[0].activity)).toMatch(/orders/i);
    expect(replies[0].activity.from.id).toBe(activity.recipient.id);
  });

  it('records the turn in the transcript as one document: the message and the reply', async () => {
    const conv = personalConversation();
    const activity = message(t.connector.url, conv, 'help');
    await t.post(activity);
    const { resources } = await t.bot.stores.containers.transcripts.items
      .query({
        query: 'SELECT * FROM c WHERE c.conversationId = @c',
        parameters: [{ name: '@c', value: conv.id }],
      })
      .fetchAll();
    expect(resources).toHaveLength(1);
    expect(resources[0].activityId).toBe(activity.id);
    expect(resources[0].entries.map((e: { kind: string }) => e.kind)).toEqual(['user_message', 'bot_reply']);
    const listed = await t.bot.stores.transcripts.list(conv.id);
    expect(listed.map((e) => [e.kind, e.text])).toEqual([
      ['user_message', 'help'],
      ['bot_reply', expect.stringMatching(/I can help with orders/)],
    ]);
  });

  it('answers an empty message with the help text', async () => {
    const conv = personalConversation();
    await t.post(message(t.connector.url, conv, '   '));
    expect(textOf(t.connector.messages(conv.id)[0].activity)).toMatch(/I can help with orders/);
  });

  it('reset clears this conversation state (the welcome is sent again after reset)', async () => {
    const conv = personalConversation();
    await t.post(installationUpdate(t.connector.url, conv));
    await t.post(message(t.connector.url, conv, 'help'));
    // Opened again after something was said: no second welcome (see test/teams/welcome.test.ts).
    await t.post(installationUpdate(t.connector.url, conv));
    expect(t.connector.messages(conv.id).filter((c) => isCard(c.activity))).toHaveLength(1);
    await t.post(message(t.connector.url, conv, 'reset'));
    expect(textOf(t.connector.messages(conv.id).at(-1)!.activity)).toMatch(/cleared this conversation/);
    await t.post(installationUpdate(t.connector.url, conv));
    expect(t.connector.messages(conv.id).filter((c) => isCard(c.activity))).toHaveLength(2);
  });

  it('reset asked in other words goes through the model reset tool to the same reset', async () => {
    const conv = personalConversation();
    await t.post(message(t.connector.url, conv, 'open a ticket'));
    expect(textOf(t.connector.messages(conv.id).at(-1)!.activity)).toMatch(/problem|describe|what/i);
    await t.post(message(t.connector.url, conv, "let's start from scratch"));
    expect(textOf(t.connector.messages(conv.id).at(-1)!.activity)).toMatch(/cleared this conversation/);
    // The pending question went with the state: this is no longer taken as the ticket's problem.
    await t.post(message(t.connector.url, conv, 'the weather is nice today'));
    expect(t.connector.messages(conv.id).filter((c) => isCard(c.activity))).toHaveLength(0);
  });

  it('refuses an over-long message with a short explanation', async () => {
    const conv = personalConversation();
    await t.post(message(t.connector.url, conv, 'x'.repeat(t.config.limits.maxMessageChars + 1)));
    expect(textOf(t.connector.messages(conv.id)[0].activity)).toMatch(/too long/);
  });

  it('counts user-perceived characters: emoji within the limit are accepted, past it refused', async () => {
    const max = t.config.limits.maxMessageChars;
    const within = personalConversation();
    // Each emoji is two UTF-16 code units (a family emoji is 11), but one character to the user.
    await t.post(message(t.connector.url, within, '😀'.repeat(max - 1) + '👨‍👩‍👧'));
    expect(t.connector.messages(within.id)).toHaveLength(1);
    expect(textOf(t.connector.messages(within.id)[0].activity)).not.toMatch(/too long/);
    const over = personalConversation();
    await t.post(message(t.connector.url, over, '😀'.repeat(max + 1)));
    expect(textOf(t.connector.messages(over.id)[0].activity)).toMatch(/too long/);
  });

  it('notes that file attachments are ignored', async () => {
    const conv = personalConversation();
    const activity = {
      ...message(t.connector.url, conv, ''),
      attachments: [{ contentType: 'image/png', contentUrl: 'https://example.invalid/x.png' }],
    };
    await t.post(activity);
    expect(textOf(t.connector.messages(conv.id)[0].activity)).toMatch(/attachments/);
  });
});

describe('channels and group chats', () => {
  it('ignores a channel message that does not mention the bot (no reply, no typing)', async () => {
    const conv = channelThread();
    const res = await t.post(message(t.connector.url, conv, 'help', { mention: false }));
    expect(res.status).toBe(200);
    expect(t.connector.calls).toHaveLength(0);
  });

  it('ignores a channel message that mentions only someone else', async () => {
    const conv = channelThread();
    await t.post(message(t.connector.url, conv, 'help', { mention: false, extraMentions: [users.bea] }));
    expect(t.connector.calls).toHaveLength(0);
  });

  it('answers a channel message that mentions the bot, in the same thread', async () => {
    const conv = channelThread('1700000000000');
    const activity = message(t.connector.url, conv, 'help', { mention: true });
    await t.post(activity);
    const replies = t.connector.messages(conv.id);
    expect(replies).toHaveLength(1);
    // The thread lives in the conversation id (…;messageid=root), URL-encoded on the wire.
    expect(replies[0].conversationId).toBe(conv.id);
    expect(replies[0].conversationId).toContain(';messageid=1700000000000');
    expect(replies[0].activityId).toBe(activity.id);
    expect(textOf(replies[0].activity)).toMatch(/I can help with orders/);
  });

  it('strips only its own mention: a mention of the bot plus help is understood as help', async () => {
    const conv = groupChat();
    await t.post(message(t.connector.url, conv, 'reset', { mention: true }));
    // In a group chat `reset` clears only the asking member's requests.
    expect(textOf(t.connector.messages(conv.id)[0].activity)).toMatch(/cleared what you and I had going/);
  });

  it('keeps other people’s mentions in the text', async () => {
    const conv = groupChat();
    await t.post(message(t.connector.url, conv, 'please ask', { mention: true, extraMentions: [users.bea] }));
    const entries = await t.bot.stores.transcripts.list(conv.id);
    const said = entries.find((e) => e.kind === 'user_message')?.text ?? '';
    expect(said).toContain(`<at>${users.bea.name}</at>`);
    expect(said).not.toContain('Service Bot');
  });

  it('answers a message that is only a mention with the help text', async () => {
    const conv = groupChat();
    await t.post(message(t.connector.url, conv, '', { mention: true }));
    expect(textOf(t.connector.messages(conv.id)[0].activity)).toMatch(/I can help with orders/);
  });

  it('ignores an unmentioned group chat message', async () => {
    const conv = groupChat();
    await t.post(message(t.connector.url, conv, 'help'));
    expect(t.connector.calls).toHaveLength(0);
  });
});

describe('installation', () => {
  it('sends a welcome card when added to a team (conversationUpdate)', async () => {
    const conv = channelThread();
    await t.post(conversationUpdateBotAdded(t.connector.url, conv));
    const sent = t.connector.messages(conv.id);
    expect(sent).toHaveLength(1);
    expect(isCard(sent[0].activity)).toBe(true);
    expect(JSON.stringify(sent[0].activity.attachments[0].content)).toMatch(/Mention me/);
  });

  it('sends a welcome card on installationUpdate add, once even when conversationUpdate follows', async () => {
    const conv = personalConversation();
    await t.post(installationUpdate(t.connector.url, conv));
    await t.post(conversationUpdateBotAdded(t.connector.url, conv));
    const cards = t.connector.messages(conv.id).filter((c) => isCard(c.activity));
    expect(cards).toHaveLength(1);
  });

  it('says nothing when someone else joins', async () => {
    const conv = groupChat();
    const activity = {
      ...conversationUpdateBotAdded(t.connector.url, conv),
      membersAdded: [{ id: users.bea.id }],
    };
    await t.post(activity);
    expect(t.connector.calls).toHaveLength(0);
  });

  it('says nothing on uninstall', async () => {
    const conv = personalConversation();
    await t.post(installationUpdate(t.connector.url, conv, 'remove'));
    expect(t.connector.calls).toHaveLength(0);
  });
});

describe('bad input', () => {
  it('acknowledges and ignores an unknown activity type', async () => {
    const conv = personalConversation();
    const res = await t.post(activityOfType(t.connector.url, conv, 'messageReaction'));
    expect(res.status).toBe(200);
    const res2 = await t.post(activityOfType(t.connector.url, conv, 'somethingNew'));
    expect(res2.status).toBe(200);
    expect(t.connector.calls).toHaveLength(0);
  });

  it.each([
    ['malformed JSON', '{"type": "message", '],
    ['a JSON array', '[1,2,3]'],
    ['a JSON string', '"hello"'],
    ['an object without type', '{"text":"hi"}'],
    ['a non-string type', '{"type": 42}'],
    ['a non-object conversation', '{"type":"message","conversation":"c1"}'],
  ])('rejects %s with 400 and a JSON error, processing nothing', async (_name, body) => {
    const res = await t.post(body);
    expect(res.status).toBe(400);
    expect(typeof res.body).toBe('object');
    expect(JSON.stringify(res.body)).toMatch(/message/i);
    expect(t.connector.calls).toHaveLength(0);
  });

  it('rejects a body over the size limit with 413', async () => {
    const conv = personalConversation();
    const huge = message(t.connector.url, conv, 'y'.repeat(t.config.limits.maxBodyBytes + 10));
    const res = await t.post(huge);
    expect(res.status).toBe(413);
    expect(t.connector.calls).toHaveLength(0);
  });

  it('stays up and healthy after all of the above', async () => {
    const res = await fetch(`${t.bot.url}/healthz`);
    expect(res.status).toBe(200);
    const ready = await fetch(`${t.bot.url}/readyz`);
    const body = (await ready.json()) as { ready: boolean; dependencies: Record<string, unknown> };
    expect(ready.status).toBe(200);
    expect(body.ready).toBe(true);
    expect(Object.keys(body.dependencies).length).toBeGreaterThan(0);
  });
});
