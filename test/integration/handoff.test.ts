import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import {
  cardAction,
  channelThread,
  groupChat,
  message,
  personalConversation,
  users,
  type ConversationRef,
  type TestUser,
} from '../helpers/activities';
import { LocalConnector, type ConnectorCall } from '../helpers/connector';
import { cardsOf, cardText, findExecuteAction } from '../helpers/cards';

/**
 * request_human end to end in embedded mode: the intent model's tool call, the handoff ticket in
 * Cosmos with the transcript, the notice at the support conversation's connector, the reply with
 * the ticket id and the contact details the knowledge base states; `register support channel`
 * (support agents only, kept across a restart); the frustration offer.
 */
const PHONE = '1-800-555-0142';
const SUPPORT_CONVERSATION = '19:support-desk@thread.tacv2';

const allText = (calls: ConnectorCall[]) =>
  calls.map((c) => `${String(c.activity.text ?? '')} ${cardsOf(c).map(cardText).join(' ')}`).join('\n');

async function ticketsOf(t: BotUnderTest, conversationId: string): Promise<Record<string, any>[]> {
  const { resources } = await t.bot.stores.containers.tickets.items
    .query({
      query: "SELECT * FROM c WHERE c.type = 'ticket' AND c.conversationId = @cid",
      parameters: [{ name: '@cid', value: conversationId }],
    })
    .fetchAll();
  return resources;
}

describe('request_human with a configured support conversation', () => {
  let support: LocalConnector;
  let t: BotUnderTest;
  beforeAll(async () => {
    support = await new LocalConnector().start();
    t = await startBotUnderTest({
      ...freshKnowledgeIndex('kb-handoff-'),
      SUPPORT_CONVERSATION_ID: SUPPORT_CONVERSATION,
      SUPPORT_SERVICE_URL: support.url,
    });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await support?.stop();
  });

  it('opens a handoff ticket with the transcript, notifies support once, and tells the user how to reach us', async () => {
    const conv = personalConversation();
    await t.say(conv, 'where is order ORD-10421?');
    const sent = await t.say(conv, 'I want to talk to a real person please');
    const reply = allText(sent);
    const ticketId = /TKT-\d{6}/.exec(reply)?.[0];
    expect(ticketId, reply).toBeDefined();
    expect(reply).toContain(PHONE);
    expect(reply).toMatch(/Monday to Friday from 8 am to 8 pm/);
    expect(reply).toContain('support@contoso-outfitters.example');
    expect(reply).toMatch(/support team has been notified/);

    const [ticket, ...others] = await ticketsOf(t, conv.id);
    expect(others).toHaveLength(0);
    expect(ticket).toMatchObject({
      ticketId,
      category: 'handoff',
      status: 'open',
      handoff: { notice: 'sent' },
    });
    expect(ticket.requester.aadObjectId).toBe(users.alex.aadObjectId);
    const lines = ticket.transcript as { role: string; text: string }[];
    expect(lines.some((l) => l.role === 'user' && /where is order ORD-10421/.test(l.text))).toBe(true);
    expect(lines.some((l) => l.role === 'bot')).toBe(true);

    // Exactly one notice, at the configured conversation of the configured connector.
    const notices = support.messages(SUPPORT_CONVERSATION);
    expect(notices).toHaveLength(1);
    const notice = cardText(cardsOf(notices[0])[0]);
    expect(notice).toContain(ticketId);
    expect(notice).toContain('Alex Customer');
    // The bot's answers (the order card: items, carrier) never go into the support channel.
    expect(notice).not.toMatch(/Shipped|Total|Carrier/);

    // Asking again while the ticket is open reuses it: no second ticket, no second notice.
    const again = allText(await t.say(conv, 'could I have an agent, please'));
    expect(again).toContain(ticketId);
    expect(again).toMatch(/still open/);
    expect(await ticketsOf(t, conv.id)).toHaveLength(1);
    expect(support.messages(SUPPORT_CONVERSATION)).toHaveLength(1);
  });

  it("attaches only the asking member's turns in a group chat", async () => {
    const conv = groupChat();
    await t.say(conv, 'what is the return policy?', users.bea);
    await t.say(conv, 'show my orders', users.alex);
    const sent = await t.say(conv, 'can someone from customer service call me', users.alex);
    expect(allText(sent)).toMatch(/TKT-\d{6}/);
    const [ticket] = await ticketsOf(t, conv.id);
    const lines = ticket.transcript as { role: string; text: string }[];
    expect(lines.some((l) => /show my orders/.test(l.text))).toBe(true);
    expect(lines.some((l) => /return policy/.test(l.text))).toBe(false);
  });

  it('offers a person when the user is frustrated, and opens a ticket only when they accept', async () => {
    const conv = personalConversation(users.carl);
    const sent = await t.say(conv, "this is useless, you're not helping at all", users.carl);
    const card = cardsOf(sent.find((c) => cardsOf(c).length))[0];
    const offer = findExecuteAction(card, 'handoff.request');
    expect(offer, allText(sent)).toBeDefined();
    // The offer is said once: in the message text, not again inside the card above its button.
    const offerMessage = sent.find((c) => cardsOf(c).length)!;
    expect(String(offerMessage.activity.text)).toMatch(/Would you like to talk to a person\?/);
    expect(JSON.stringify(card)).not.toMatch(/Would you like to talk to a person/);
    expect(sent.some((c) => c.activity.suggestedActions?.actions?.[0]?.value === 'talk to a person')).toBe(
      true,
    );
    expect(await ticketsOf(t, conv.id)).toHaveLength(0);

    const before = support.messages(SUPPORT_CONVERSATION).length;
    const res = await t.post(cardAction(t.connector.url, conv, 'handoff.request', offer!.data, users.carl));
    expect(res.status).toBe(200);
    const shown = JSON.stringify(res.body);
    expect(shown).toMatch(/TKT-\d{6}/);
    expect(shown).toContain(PHONE);
    const [ticket] = await ticketsOf(t, conv.id);
    expect(ticket).toMatchObject({ category: 'handoff', status: 'open' });
    expect(support.messages(SUPPORT_CONVERSATION)).toHaveLength(before + 1);

    // The same click again (or Teams retrying the invoke): the same ticket, no second notice.
    const again = await t.post(cardAction(t.connector.url, conv, 'handoff.request', offer!.data, users.carl));
    expect(JSON.stringify(again.body)).toContain(ticket.ticketId);
    expect(await ticketsOf(t, conv.id)).toHaveLength(1);
    expect(support.messages(SUPPORT_CONVERSATION)).toHaveLength(before + 1);
  });

  it('does not offer a person for an ordinary question', async () => {
    const sent = await t.say(personalConversation(), 'what are your opening hours?');
    expect(sent.some((c) => cardsOf(c).some((card) => findExecuteAction(card, 'handoff.request')))).toBe(
      false,
    );
  });
});

describe('support channel registration (no configured conversation)', () => {
  let dataDir: string;
  let kb: { KNOWLEDGE_INDEX_PATH: string };
  const running = new Set<BotUnderTest>();
  const start = async () => {
    const bot = await startBotUnderTest({ EMBEDDED_DATA_DIR: dataDir, ...kb });
    running.add(bot);
    return bot;
  };
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'handoff-restart-'));
    kb = freshKnowledgeIndex('kb-handoff-reg-');
  });
  afterAll(async () => {
    await Promise.all([...running].map((b) => b.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('still opens the ticket and says honestly that nobody was notified', async () => {
    const t = await start();
    const conv = personalConversation();
    const reply = allText(await t.say(conv, 'I would like to talk with a human'));
    expect(reply).toMatch(/TKT-\d{6}/);
    expect(reply).toMatch(/No support channel is set up/);
    expect(reply).toContain(PHONE);
    const [ticket] = await ticketsOf(t, conv.id);
    expect(ticket).toMatchObject({
      category: 'handoff',
      status: 'open',
      handoff: { notice: 'not_configured' },
    });
    await t.stop();
    running.delete(t);
  });

  it('refuses a non-agent, accepts the support agent, and keeps the channel across a restart', async () => {
    const a = await start();
    // The channel's connector (its serviceUrl) outlives the bot's restarts, as Teams' does.
    const teams = await new LocalConnector().start();
    const channel: ConversationRef = channelThread();
    const root = channel.id.split(';messageid=')[0]!;
    const inChannel = async (bot: BotUnderTest, text: string, user: TestUser) => {
      const activity = message(teams.url, channel, text, { user, mention: true });
      expect((await bot.post(activity)).status).toBe(200);
      return teams.messages(channel.id).filter((c) => c.activityId === activity.id);
    };

    const refused = allText(await inChannel(a, 'register support channel', users.alex));
    expect(refused).toMatch(/Only support agents/);
    const { resources: none } = await a.bot.stores.containers.state.items
      .query("SELECT * FROM c WHERE c.id = 'support-channel'")
      .fetchAll();
    expect(none).toHaveLength(0);

    const accepted = allText(await inChannel(a, 'register support channel', users.dana));
    expect(accepted).toMatch(/now the support channel/);

    const conv = personalConversation(users.bea);
    expect(allText(await a.say(conv, 'please get a person to look at my order', users.bea))).toMatch(
      /support team has been notified/,
    );
    // A new post in the channel (not a reply in the thread the command was sent in).
    expect(teams.messages(root)).toHaveLength(1);
    await a.stop();
    running.delete(a);

    const b = await start();
    const later = personalConversation(users.carl);
    const reply = allText(await b.say(later, 'can you put me through to somebody?', users.carl));
    const ticketId = /TKT-\d{6}/.exec(reply)?.[0];
    expect(reply).toMatch(/support team has been notified/);
    const notices = teams.messages(root);
    expect(notices).toHaveLength(2);
    expect(cardText(cardsOf(notices[1])[0])).toContain(ticketId);
    await teams.stop();
  });
});
