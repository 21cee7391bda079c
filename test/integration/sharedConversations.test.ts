import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import {
  cardAction,
  channelThread,
  groupChat,
  personalConversation,
  users,
  type ConversationRef,
  type TestUser,
} from '../helpers/activities';
import { cardsOf, findExecuteAction } from '../helpers/cards';
import { replies } from '../../src/replies';
import { RESTRICTED_IN_SHARED, SHARED_DETAILS_NOTE } from '../../src/teams/audience';

/**
 * Channels, group chats and meetings are read by every member: through the real server (embedded
 * model), nothing restricted or personal is posted there, and each member's pending question is
 * their own.
 */
let t: BotUnderTest;

beforeAll(async () => {
  t = await startBotUnderTest(freshKnowledgeIndex('shared-'));
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

/** Posts `text` from `user` (with an @mention outside 1:1 chats) and returns what the bot sent for it. */
async function say(conv: ConversationRef, text: string, user: TestUser) {
  const sent = await t.say(conv, text, user);
  expect(sent.length).toBeGreaterThan(0);
  return {
    sent,
    text: sent.map((c) => String(c.activity.text ?? '')).join('\n'),
    wire: JSON.stringify(sent.map((c) => c.activity)),
    cards: sent.flatMap((c) => cardsOf(c)),
  };
}

/** What the bot sent into a member's 1:1 chat (opened proactively during a turn). */
function personalChatOf(user: TestUser) {
  const ids = new Set(
    t.connector.createdConversations
      .filter((c) => (c.parameters.members ?? []).some((m: { id: string }) => m.id === user.id))
      .map((c) => c.id),
  );
  return [...ids].flatMap((id) => t.connector.messages(id));
}

/**
 * The ticket draft card in a shared chat as `user` sees it: Teams sends the card's refresh action
 * (invoke adaptiveCard/action, trigger "automatic") and shows the card the bot answers with.
 */
async function refreshAs(conv: ConversationRef, card: Record<string, any>, user: TestUser) {
  const action = card.refresh?.action;
  expect(action, 'the card has a refresh action').toBeDefined();
  const invoke = cardAction(t.connector.url, conv, action.verb, action.data, user);
  const res = await t.post({ ...invoke, value: { action, trigger: 'automatic' } });
  expect(res.status).toBe(200);
  return res.body?.value as Record<string, any>;
}

describe('restricted knowledge in shared conversations', () => {
  const hrQuestion = 'How many days of annual leave do I get per year?';

  it('an HR user asking an HR question in a channel gets no HR text or citation there: the answer goes to her 1:1 chat', async () => {
    const before = personalChatOf(users.bea).length;
    const reply = await say(channelThread(), hrQuestion, users.bea);
    expect(reply.wire).not.toContain('25 days');
    expect(reply.wire).not.toMatch(/handbook/i);
    expect(reply.text).toBe(replies.answeredPrivately);
    const privately = personalChatOf(users.bea).slice(before);
    expect(privately).toHaveLength(1);
    expect(String(privately[0]!.activity.text)).toContain('25 days');
  });

  it('the same in a group chat: a 1:1 conversation is created with Bea and the answer with its citation sent there', async () => {
    const created = t.connector.createdConversations.length;
    const conv = groupChat();
    const shared = await say(conv, hrQuestion, users.bea);
    expect(shared.wire).not.toContain('25 days');
    expect(shared.text).toBe(replies.answeredPrivately);
    const opened = t.connector.createdConversations.slice(created);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.parameters.members).toEqual([expect.objectContaining({ id: users.bea.id })]);
    const [answer] = t.connector.messages(opened[0]!.id).slice(-1);
    expect(String(answer!.activity.text)).toContain('25 days');
    const citations = answer!.activity.entities?.flatMap((e: { citation?: unknown[] }) => e.citation ?? []);
    expect(JSON.stringify(citations)).toMatch(/handbook/i);
    // The audit transcript of the group chat records the answer and where it went.
    const audit = await t.bot.stores.transcripts.list(conv.id);
    const sentAway = audit.find((e) => e.action?.verb === 'sent_to_1to1_chat');
    expect(sentAway?.text).toContain('25 days');
    expect(sentAway?.action?.data).toMatchObject({ conversationId: opened[0]!.id });
    const personal = await say(personalConversation(users.bea), hrQuestion, users.bea);
    expect(personal.text).toContain('25 days');
  });

  it('when the 1:1 chat cannot be opened, the thread gets the offer and still no HR text', async () => {
    t.connector.failConversationCreates = true;
    try {
      const reply = await say(groupChat(), hrQuestion, users.bea);
      expect(reply.wire).not.toContain('25 days');
      expect(reply.text).toBe(RESTRICTED_IN_SHARED);
    } finally {
      t.connector.failConversationCreates = false;
    }
  });

  it('a question only public documents answer is answered in the channel as before', async () => {
    const reply = await say(
      channelThread(),
      'How long do card refunds take to appear on my statement?',
      users.bea,
    );
    expect(reply.text).toContain('5 to 10 business days');
  });

  it('someone who may not see the restricted document gets no hint that it exists', async () => {
    const reply = await say(channelThread(), hrQuestion, users.alex);
    expect(reply.wire).not.toContain('25 days');
    expect(reply.text).not.toMatch(/1:1 chat/);
  });
});

describe('personal order data in shared conversations', () => {
  // The customer's name is the asker's own display name on the wire (recipient); it is checked
  // in what is shown when someone else (the support agent) looks the order up.
  const personal = ['Wireless keyboard', 'Ergonomic mouse', '59.9', '24.5', 'dhl.com', 'JD0146'];

  it('an order lookup in a group chat posts only the id the asker typed; the card goes to the 1:1 chat', async () => {
    const before = personalChatOf(users.alex).length;
    const reply = await say(groupChat(), 'Where is ORD-10421?', users.alex);
    for (const detail of personal) expect(reply.wire).not.toContain(detail);
    expect(reply.cards).toHaveLength(0);
    // Not even the status: it is the order owner's business, not the thread's.
    expect(reply.text).toBe(`ORD-10421: ${replies.detailsSentPrivately}`);
    const privately = personalChatOf(users.alex).slice(before);
    expect(privately).toHaveLength(1);
    expect(JSON.stringify(cardsOf(privately[0]))).toContain('Wireless keyboard');
  });

  it('when the 1:1 chat cannot be opened, the thread gets the pointer to a 1:1 chat', async () => {
    t.connector.failConversationCreates = true;
    try {
      const reply = await say(groupChat(), 'Where is ORD-10421?', users.alex);
      for (const detail of personal) expect(reply.wire).not.toContain(detail);
      expect(reply.text).toBe(`ORD-10421: ${SHARED_DETAILS_NOTE}`);
    } finally {
      t.connector.failConversationCreates = false;
    }
  });

  it('also when a support agent looks up a customer order in a group chat', async () => {
    const reply = await say(groupChat(), 'Where is ORD-10421?', users.dana);
    for (const detail of personal) expect(reply.wire).not.toContain(detail);
    expect(`${reply.text} ${JSON.stringify(reply.cards)}`).not.toContain('Alex Customer');
    expect(reply.wire).not.toMatch(/shipped/i);
    expect(reply.text).toContain('ORD-10421');
    // The details go to the agent who asked, not to the customer.
    const toDana = personalChatOf(users.dana);
    expect(JSON.stringify(cardsOf(toDana.at(-1)))).toContain('Wireless keyboard');
  });

  it('an order list in a channel names no orders, items or prices: the list goes to the 1:1 chat', async () => {
    const before = personalChatOf(users.alex).length;
    const reply = await say(channelThread(), 'show my orders', users.alex);
    for (const detail of personal) expect(reply.wire).not.toContain(detail);
    expect(reply.wire).not.toMatch(/ORD-\d{5}|order\(s\)/);
    expect(reply.cards).toHaveLength(0);
    expect(reply.text).toBe(replies.detailsSentPrivately);
    const privately = personalChatOf(users.alex).slice(before);
    expect(JSON.stringify(privately.map(cardsOf))).toContain('ORD-10421');
  });

  it('a cancellation asked for in a group chat shows no confirm card with the items: it points to a 1:1 chat', async () => {
    const reply = await say(groupChat(), 'please cancel my order ORD-10422', users.alex);
    expect(reply.cards).toHaveLength(0);
    expect(reply.wire).not.toContain('QHD monitor');
    expect(reply.wire).not.toContain('289');
    expect(reply.text).toMatch(/To cancel ORD-10422, ask me in a 1:1 chat/);
    // Said once: not "… ask me in a 1:1 chat. I've kept the details out …; ask me in a 1:1 chat …".
    expect(reply.text.match(/1:1 chat/g)).toHaveLength(1);
  });

  it('the 1:1 chat still shows the full card', async () => {
    const reply = await say(personalConversation(users.alex), 'Where is ORD-10421?', users.alex);
    expect(JSON.stringify(reply.cards)).toContain('Wireless keyboard');
  });
});

describe("answers built from the asker's own orders in shared conversations", () => {
  it('what they paid, their refund, a warranty, changing an order: the thread hears "sent to your 1:1 chat", the details go there', async () => {
    const cases: [string, RegExp][] = [
      ['how much did I pay for ORD-10421?', /€108\.90/],
      ['is my headset still under warranty?', /ORD-10388 \(Noise-cancelling headset\) was delivered/],
      ['whats the status of my refund', /no refund is on its way/],
      ['can I modify my order?', /ORD-10422 \(27" QHD monitor\) hasn't shipped yet/],
    ];
    for (const [question, detail] of cases) {
      const before = personalChatOf(users.alex).length;
      const reply = await say(groupChat(), question, users.alex);
      expect(reply.text, question).toBe(replies.detailsSentPrivately);
      expect(reply.wire, question).not.toMatch(/ORD-10388|ORD-10422|€|Noise-cancelling|monitor/);
      const privately = personalChatOf(users.alex).slice(before);
      expect(privately, question).toHaveLength(1);
      expect(String(privately[0]!.activity.text), question).toMatch(detail);
    }
  });

  it('when the 1:1 chat cannot be opened, the thread gets the pointer and still no details', async () => {
    t.connector.failConversationCreates = true;
    try {
      const reply = await say(groupChat(), 'how much did I pay for ORD-10421?', users.alex);
      expect(reply.text).toBe(SHARED_DETAILS_NOTE);
      expect(reply.wire).not.toMatch(/€|108\.90|Wireless keyboard/);
    } finally {
      t.connector.failConversationCreates = false;
    }
  });
});

describe('pending questions in group chats are per member', () => {
  it("another member's message does not answer the question the bot asked Alex", async () => {
    const conv = groupChat();
    const asked = await say(conv, 'open a ticket', users.alex);
    expect(asked.text).toMatch(/What's the problem/);

    const bea = await say(conv, 'lunch is at noon in the big room today', users.bea);
    expect(bea.cards).toHaveLength(0);
    expect(bea.wire).not.toContain('lunch is at noon');

    const alex = await say(conv, 'my laptop screen flickers all the time', users.alex);
    expect(alex.cards).toHaveLength(1);
    const draft = JSON.stringify(await refreshAs(conv, alex.cards[0]!, users.alex));
    expect(draft).toContain('flickers');
  });

  it("one member's reset clears only that member's flow", async () => {
    const conv = groupChat();
    expect((await say(conv, 'open a ticket', users.alex)).text).toMatch(/What's the problem/);
    expect((await say(conv, 'open a ticket', users.bea)).text).toMatch(/What's the problem/);

    expect((await say(conv, 'reset', users.bea)).text).toMatch(/other members/);

    const alex = await say(conv, 'the office printer jams on every page', users.alex);
    expect(JSON.stringify(await refreshAs(conv, alex.cards[0]!, users.alex))).toContain('printer jams');
    const bea = await say(conv, 'the coffee machine leaks', users.bea);
    expect(bea.cards).toHaveLength(0);
    expect(bea.wire).not.toContain('coffee machine leaks');
  });
});

describe('ticket draft cards in group chats: each member sees their own view (refresh.userIds)', () => {
  it('the posted card is neutral with refresh.userIds = [requester]; the refresh returns the full draft to the requester only', async () => {
    const conv = groupChat();
    const reply = await say(conv, 'open a ticket: the office printer jams on every page', users.alex);
    expect(reply.cards).toHaveLength(1);
    const posted = reply.cards[0]!;
    expect(posted.refresh.userIds).toEqual([users.alex.id]);
    expect(posted.refresh.action).toMatchObject({ type: 'Action.Execute', verb: 'ticket.refresh' });
    expect(JSON.stringify(posted)).not.toContain('printer jams');
    expect(findExecuteAction(posted, 'ticket.confirm')).toBeUndefined();
    expect(reply.wire).not.toContain('printer jams');

    const mine = await refreshAs(conv, posted, users.alex);
    expect(JSON.stringify(mine)).toContain('printer jams');
    const confirm = findExecuteAction(mine, 'ticket.confirm');
    expect(confirm).toBeDefined();
    expect(mine.refresh.userIds).toEqual([users.alex.id]);

    const theirs = await refreshAs(conv, posted, users.bea);
    expect(JSON.stringify(theirs)).not.toContain('printer jams');
    expect(findExecuteAction(theirs, 'ticket.confirm')).toBeUndefined();

    // Confirmed by Alex: his view is the created ticket, and a refresh by Bea still shows nothing.
    const confirmed = await t.post(
      cardAction(t.connector.url, conv, 'ticket.confirm', confirm!.data, users.alex),
    );
    expect(JSON.stringify(confirmed.body)).toMatch(/TKT-\d{6}/);
    const after = await refreshAs(conv, posted, users.alex);
    expect(JSON.stringify(after)).toMatch(/TKT-\d{6}/);
    expect(JSON.stringify(await refreshAs(conv, posted, users.bea))).not.toMatch(/TKT-\d{6}|printer jams/);
  });

  it('a 1:1 chat still gets the full draft card, without refresh', async () => {
    const reply = await say(
      personalConversation(users.alex),
      'open a ticket: the office printer jams',
      users.alex,
    );
    expect(JSON.stringify(reply.cards)).toContain('printer jams');
    expect(reply.cards[0]!.refresh).toBeUndefined();
  });
});
