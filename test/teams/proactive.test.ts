import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressOf } from '../../src/teams/proactive';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { BOT_ID, TENANT_ID, groupChat, message, users } from '../helpers/activities';

describe('ProactiveMessenger (real server, local connector)', () => {
  let t: BotUnderTest;
  beforeAll(async () => {
    t = await startBotUnderTest();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('sends into a stored conversation address outside any turn', async () => {
    const conv = groupChat();
    const address = addressOf(message(t.connector.url, conv, 'hello', { user: users.alex, mention: true }));
    expect(address).toMatchObject({ conversationId: conv.id, conversationType: 'groupChat', botId: BOT_ID });
    const id = await t.bot.proactive.send(address, {
      type: 'message',
      text: 'Ticket TKT-000001 is resolved.',
    });
    expect(id).toMatch(/^reply-/);
    const sent = t.connector.messages(conv.id);
    expect(sent).toHaveLength(1);
    expect(sent[0].activity.text).toBe('Ticket TKT-000001 is resolved.');
    expect(sent[0].activityId).toBeUndefined(); // a new message, not a reply to anything
  });

  it('opens a 1:1 chat with a user in the same tenant and writes there', async () => {
    const from = addressOf(message(t.connector.url, groupChat(), 'hi', { user: users.bea, mention: true }));
    const personal = await t.bot.proactive.openPersonalChat(from, users.bea.id);
    expect(personal.conversationType).toBe('personal');
    const created = t.connector.createdConversations.at(-1)!;
    expect(created.id).toBe(personal.conversationId);
    expect(created.parameters.members).toEqual([expect.objectContaining({ id: users.bea.id })]);
    expect(created.parameters.tenantId ?? created.parameters.channelData?.tenant?.id).toBe(TENANT_ID);
    await t.bot.proactive.send(personal, { type: 'message', text: 'Here is your answer.' });
    expect(t.connector.messages(personal.conversationId).map((c) => c.activity.text)).toEqual([
      'Here is your answer.',
    ]);
  });

  it('rejects when the connector refuses the message (the bot was removed), instead of looking sent', async () => {
    const conv = groupChat();
    const address = addressOf(message(t.connector.url, conv, 'hello', { user: users.alex, mention: true }));
    t.connector.refuseActivitiesWith = 403;
    try {
      await expect(t.bot.proactive.send(address, { type: 'message', text: 'Update' })).rejects.toThrow();
    } finally {
      t.connector.refuseActivitiesWith = undefined;
    }
    expect(t.connector.messages(conv.id)).toHaveLength(0);
  });

  it('refuses an activity without a service URL', () => {
    expect(() => addressOf({ conversation: { id: 'x' } as never })).toThrow(/serviceUrl/);
  });
});
