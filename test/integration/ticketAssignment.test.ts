import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import {
  cardAction,
  groupChat,
  message,
  personalConversation,
  users,
  type ConversationRef,
  type TestUser,
} from '../helpers/activities';
import { LocalConnector, type ConnectorCall } from '../helpers/connector';
import { cardsOf, findExecuteAction, shownText } from '../helpers/cards';
import type { CreatedTicket } from '../../src/tickets/ticket';

/**
 * Ticket assignment through the real server: agents take a ticket, give it to another agent by
 * @mention (the id comes from the mention and the roster, never the name), unassign it, and see
 * "my tickets" / "unassigned tickets"; requesters cannot assign; the ticket card's buttons refuse
 * tampered and stale clicks and apply a double click once; requester and assignee are told.
 */
const erin: TestUser = {
  id: '29:erin',
  aadObjectId: '00000000-0000-0000-0000-00000000a005',
  name: 'Erin Agent',
};

let t: BotUnderTest;
const filed: Record<'alex' | 'bea', string[]> = { alex: [], bea: [] };
const alexChats: ConversationRef[] = [];

async function fileTicket(user: TestUser, problem: string): Promise<string> {
  const conv = personalConversation(user);
  if (user === users.alex) alexChats.push(conv);
  const calls = await t.say(conv, `open a ticket: ${problem}`, user);
  const confirm = calls
    .flatMap(cardsOf)
    .map((c) => findExecuteAction(c, 'ticket.confirm'))
    .find(Boolean);
  if (!confirm) throw new Error(`no draft card for "${problem}"`);
  const res = await t.post(cardAction(t.connector.url, conv, 'ticket.confirm', confirm.data, user));
  const id = /TKT-\d{6}/.exec(JSON.stringify(res.body))?.[0];
  if (!id) throw new Error(`"${problem}" was not filed`);
  return id;
}

async function stored(ticketId: string): Promise<CreatedTicket> {
  const doc = await t.bot.business.tickets.getForViewer(ticketId, { aadObjectId: 'test', canViewAll: true });
  if (!doc) throw new Error(`${ticketId} is not stored`);
  return doc as CreatedTicket;
}

const assignments = (doc: CreatedTicket) => (doc.updates ?? []).filter((u) => u.assignment);
const rowsOf = (calls: ConnectorCall[]) => [
  ...new Set(calls.flatMap(cardsOf).flatMap((card) => JSON.stringify(card).match(/TKT-\d{6}/g) ?? [])),
];

/** A message in `conv` @mentioning the bot and `others`, as Teams sends it (mention entities with 29: ids). */
async function sayMentioning(conv: ConversationRef, text: string, user: TestUser, others: TestUser[]) {
  const activity = message(t.connector.url, conv, text, { user, mention: true, extraMentions: others });
  const res = await t.post(activity);
  expect(res.status).toBe(200);
  return t.connector.messages(conv.id).filter((c) => c.activityId === activity.id);
}

beforeAll(async () => {
  // Erin is a second support agent (by object id, as RBAC_SUPPORT_AGENT_IDS names them).
  t = await startBotUnderTest({ RATE_LIMIT_USER_PER_MIN: '10000', RBAC_SUPPORT_AGENT_IDS: erin.aadObjectId });
  filed.alex.push(await fileTicket(users.alex, 'the meeting room display shows no signal'));
  filed.alex.push(await fileTicket(users.alex, 'my badge no longer opens the car park gate'));
  filed.alex.push(await fileTicket(users.alex, 'the conference phone in room 4 has no dial tone'));
  filed.bea.push(await fileTicket(users.bea, 'my second monitor flickers every few minutes'));
}, 240_000);
afterAll(async () => {
  await t?.stop();
});

describe('an agent takes a ticket', () => {
  it('"assign TKT-… to me" stores the agent as assignee with a history event and tells the requester', async () => {
    const id = filed.alex[0]!;
    const calls = await t.say(personalConversation(users.dana), `assign ${id} to me`, users.dana);
    expect(shownText(calls)).toContain(`${id} is now assigned to you.`);
    const doc = await stored(id);
    expect(doc.assignee?.aadObjectId).toBe(users.dana.aadObjectId);
    expect(assignments(doc)).toHaveLength(1);
    expect(assignments(doc)[0]!.assignment?.to?.aadObjectId).toBe(users.dana.aadObjectId);
    expect(doc.status).toBe('open');
    // The requester hears who is working on it, in the chat the ticket came from.
    const told = await t.connector.waitFor((all) =>
      all.some(
        (c) =>
          c.conversationId === alexChats[0]!.id && JSON.stringify(c.activity).includes('is being handled'),
      ),
    );
    const notice = told.find((c) => JSON.stringify(c.activity).includes('is being handled'))!;
    expect(JSON.stringify(notice.activity)).toContain('Dana Support');
  });

  it('"I\'ll take …" in other words does the same; saying it again changes nothing', async () => {
    const id = filed.alex[1]!;
    const conv = personalConversation(users.dana);
    expect(shownText(await t.say(conv, `I'll take ${id}`, users.dana))).toContain('is now assigned to you');
    expect(shownText(await t.say(conv, `assign ${id} to me`, users.dana))).toContain(
      'already assigned to you',
    );
    expect(assignments(await stored(id))).toHaveLength(1);
  });

  it('an agent\'s "my tickets" shows the tickets assigned to them; the requester\'s shows their own', async () => {
    const mine = await t.say(personalConversation(users.dana), 'show my tickets', users.dana);
    expect(shownText(mine)).toContain('Assigned to you');
    expect(rowsOf(mine).sort()).toEqual([filed.alex[0]!, filed.alex[1]!].sort());
    const alex = await t.say(personalConversation(users.alex), 'show my tickets');
    expect(rowsOf(alex).sort()).toEqual([...filed.alex].sort());
  });

  it('"unassigned tickets" lists the open ones nobody has, with an Assign to me button; customers get their own', async () => {
    const calls = await t.say(personalConversation(users.dana), 'any unassigned tickets?', users.dana);
    expect(shownText(calls)).toContain('Unassigned tickets');
    const rows = rowsOf(calls);
    expect(rows).toContain(filed.alex[2]);
    expect(rows).toContain(filed.bea[0]);
    expect(rows).not.toContain(filed.alex[0]);
    expect(rows).not.toContain(filed.alex[1]);
    expect(calls.flatMap(cardsOf).some((c) => findExecuteAction(c, 'ticket.assignToMe'))).toBe(true);

    const customer = await t.say(personalConversation(users.bea), 'show unassigned tickets', users.bea);
    expect(shownText(customer)).toMatch(/Only support agents can see the whole queue/);
    expect(rowsOf(customer)).toEqual([filed.bea[0]]);
  });

  it('a requester cannot assign: the refusal is clear and nothing is stored', async () => {
    const id = filed.alex[2]!;
    const calls = await t.say(personalConversation(users.alex), `assign ${id} to me`);
    expect(shownText(calls)).toContain('Only support agents can assign tickets.');
    expect((await stored(id)).assignee).toBeUndefined();
  });

  it('unassigning puts the ticket back in the queue with an event of its own', async () => {
    const id = filed.alex[1]!;
    const calls = await t.say(personalConversation(users.dana), `unassign ${id}`, users.dana);
    expect(shownText(calls)).toContain(`${id} is unassigned and back in the queue.`);
    const doc = await stored(id);
    expect(doc.assignee).toBeUndefined();
    expect(assignments(doc).at(-1)?.assignment).toEqual({
      from: { aadObjectId: users.dana.aadObjectId, name: users.dana.name },
    });
  });
});

describe('assigning to another agent by @mention', () => {
  it('the mentioned agent (id from the roster, not the name) gets it and a 1:1 notice', async () => {
    const id = filed.bea[0]!;
    const conv = groupChat();
    t.connector.setMembers(conv.id, [
      { id: erin.id, aadObjectId: erin.aadObjectId, name: erin.name },
      { id: users.dana.id, aadObjectId: users.dana.aadObjectId, name: users.dana.name },
    ]);
    const calls = await sayMentioning(conv, `give ${id} to`, users.dana, [erin]);
    const line = shownText(calls);
    expect(line).toContain(`${id} is now assigned to Erin Agent.`);
    // The thread reads it: no title, no requester.
    expect(line).not.toMatch(/monitor|Bea/);
    expect((await stored(id)).assignee?.aadObjectId).toBe(erin.aadObjectId);
    const opened = await t.connector.waitFor(() =>
      t.connector.createdConversations.some((c) => c.parameters.members?.[0]?.id === erin.id),
    );
    expect(opened.length).toBeGreaterThan(0);
    const notice = await t.connector.waitFor((all) =>
      all.some(
        (c) =>
          c.conversationId === `a:personal-${erin.id}` &&
          JSON.stringify(c.activity).includes('was assigned to you'),
      ),
    );
    const card = notice.find((c) => c.conversationId === `a:personal-${erin.id}`)!;
    expect(JSON.stringify(card.activity)).toContain('Assigned by Dana Support');
  });

  it('someone who is not an agent, or who cannot be identified, is refused and nothing changes', async () => {
    const id = filed.alex[2]!;
    const conv = groupChat();
    t.connector.setMembers(conv.id, [
      { id: users.carl.id, aadObjectId: users.carl.aadObjectId, name: users.carl.name },
    ]);
    const notAgent = await sayMentioning(conv, `assign ${id} to`, users.dana, [users.carl]);
    expect(shownText(notAgent)).toContain(
      `Carl Legal is not a support agent, so I can’t assign ${id} to them.`,
    );
    // A display name that says "Erin Agent" is no identity: not in the roster, so not resolved.
    const impostor: TestUser = { id: '29:someone-else', aadObjectId: '', name: erin.name };
    const unknown = await sayMentioning(conv, `assign ${id} to`, users.dana, [impostor]);
    expect(shownText(unknown)).toMatch(/couldn't tell who Erin Agent is/);
    expect((await stored(id)).assignee).toBeUndefined();
  });
});

describe('the ticket card buttons', () => {
  async function statusCard(id: string, user: TestUser) {
    const conv = personalConversation(user);
    const calls = await t.say(conv, `status of ${id}`, user);
    return { conv, card: calls.flatMap(cardsOf)[0] };
  }

  it('"Assign to me" assigns once: a double click shows the same outcome; a stale card changes nothing', async () => {
    const id = filed.alex[2]!;
    const { conv, card } = await statusCard(id, users.dana);
    const take = findExecuteAction(card, 'ticket.assignToMe');
    expect(take?.data).toMatchObject({ ticketId: id, expected: '' });
    const first = await t.post(
      cardAction(t.connector.url, conv, 'ticket.assignToMe', take!.data, users.dana),
    );
    expect(JSON.stringify(first.body)).toContain(`${id} is now assigned to you.`);
    // The card that replaces it offers Unassign now.
    expect(JSON.stringify(first.body)).toContain('ticket.unassign');
    const again = await t.post(
      cardAction(t.connector.url, conv, 'ticket.assignToMe', take!.data, users.dana),
    );
    expect(JSON.stringify(again.body)).toContain(`${id} is already assigned to you.`);
    expect(assignments(await stored(id))).toHaveLength(1);

    // Erin clicks the same (now stale) button on her copy: Dana keeps the ticket.
    const erinConv = personalConversation(erin);
    const stale = await t.post(cardAction(t.connector.url, erinConv, 'ticket.assignToMe', take!.data, erin));
    expect(JSON.stringify(stale.body)).toContain(`${id} was assigned to Dana Support in the meantime`);
    expect((await stored(id)).assignee?.aadObjectId).toBe(users.dana.aadObjectId);
  });

  it('a customer never sees the buttons, and a forged click by one is refused', async () => {
    const id = filed.alex[0]!;
    const { conv, card } = await statusCard(id, users.alex);
    expect(findExecuteAction(card, 'ticket.assignToMe')).toBeUndefined();
    expect(findExecuteAction(card, 'ticket.unassign')).toBeUndefined();
    const forged = { ticketId: id, expected: users.dana.aadObjectId };
    const res = await t.post(cardAction(t.connector.url, conv, 'ticket.unassign', forged));
    expect(JSON.stringify(res.body)).toContain(
      'Only support agents can assign tickets; nothing was changed.',
    );
    expect((await stored(id)).assignee?.aadObjectId).toBe(users.dana.aadObjectId);
  });

  it('tampered data (an unknown ticket, a malformed id) is refused without a change', async () => {
    const conv = personalConversation(users.dana);
    const unknown = await t.post(
      cardAction(
        t.connector.url,
        conv,
        'ticket.assignToMe',
        { ticketId: 'TKT-999999', expected: '' },
        users.dana,
      ),
    );
    expect(JSON.stringify(unknown.body)).toMatch(/couldn't find|not find/i);
    const malformed = await t.post(
      cardAction(
        t.connector.url,
        conv,
        'ticket.assignToMe',
        { ticketId: 'TKT-1; drop', expected: '' },
        users.dana,
      ),
    );
    expect(JSON.stringify(malformed.body)).toMatch(/card|invalid|not valid/i);
    expect(JSON.stringify(malformed.body)).not.toContain('assigned to you');
  });
});

describe('in other words and in Chinese', () => {
  it('wording the rules do not know goes through the trained intent ("can you put … on my plate?")', async () => {
    const conv = personalConversation(erin);
    const calls = await t.say(
      conv,
      `could you put ticket ${Number(filed.alex[1]!.slice(4))} on my plate?`,
      erin,
    );
    expect(shownText(calls)).toContain(`${filed.alex[1]} is now assigned to you.`);
    expect((await stored(filed.alex[1]!)).assignee?.aadObjectId).toBe(erin.aadObjectId);
  });

  it('"who is working on …?" is a question: the card says who, nothing is assigned', async () => {
    const id = filed.alex[0]!;
    const calls = await t.say(personalConversation(erin), `who is working on ${id}?`, erin);
    expect(shownText(calls)).toContain('Dana Support');
    expect((await stored(id)).assignee?.aadObjectId).toBe(users.dana.aadObjectId);
  });

  it('把工单…分配给我 takes it, answered in Chinese', async () => {
    const id = filed.alex[0]!;
    const calls = await t.say(personalConversation(erin), `把工单${id}分配给我`, erin);
    expect(shownText(calls)).toContain(`${id} 现已分配给您。`);
    expect((await stored(id)).assignee?.aadObjectId).toBe(erin.aadObjectId);
  });
});

describe('"Take it" on the handoff notice in the support channel', () => {
  const SUPPORT = '19:support-desk@thread.tacv2';
  let support: LocalConnector;
  let b: BotUnderTest;
  beforeAll(async () => {
    support = await new LocalConnector().start();
    b = await startBotUnderTest({ SUPPORT_CONVERSATION_ID: SUPPORT, SUPPORT_SERVICE_URL: support.url });
  }, 120_000);
  afterAll(async () => {
    await b?.stop();
    await support?.stop();
  });

  it('the agent who clicks takes the ticket; a customer clicking is refused', async () => {
    const sent = await b.say(personalConversation(users.alex), 'I want to talk to a real person please');
    const ticketId = /TKT-\d{6}/.exec(shownText(sent))?.[0];
    expect(ticketId).toBeDefined();
    const notice = cardsOf(support.messages(SUPPORT)[0])[0];
    const take = findExecuteAction(notice, 'ticket.assignToMe');
    expect(take?.data).toEqual({ ticketId, expected: '' });
    const channel: ConversationRef = { kind: 'channel', id: SUPPORT };
    const refused = await b.post(
      cardAction(support.url, channel, 'ticket.assignToMe', take!.data, users.alex),
    );
    expect(JSON.stringify(refused.body)).toContain('Only support agents can assign tickets');
    const taken = await b.post(cardAction(support.url, channel, 'ticket.assignToMe', take!.data, users.dana));
    expect(JSON.stringify(taken.body)).toContain(`${ticketId} is now assigned to you.`);
    const doc = await b.bot.business.tickets.getForViewer(ticketId!, { aadObjectId: 'x', canViewAll: true });
    expect(doc?.assignee?.aadObjectId).toBe(users.dana.aadObjectId);
  });
});

describe('a ticket named by its place in the list just shown', () => {
  it('"I\'ll take the second one" takes that row; "that ticket" is the one then shown; no list, no guess', async () => {
    await fileTicket(users.bea, 'the coffee machine on floor 2 leaks water');
    await fileTicket(users.bea, 'the projector in room 4 flickers');
    const conv = personalConversation(erin);
    const rows = rowsOf(await t.say(conv, 'show me the unassigned tickets', erin));
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const before = (await stored(rows[0]!)).assignee;

    const taken = await t.say(conv, "I'll take the second one", erin);
    expect(shownText(taken)).toContain(`${rows[1]} is now assigned to you.`);
    expect((await stored(rows[1]!)).assignee?.aadObjectId).toBe(erin.aadObjectId);
    expect((await stored(rows[0]!)).assignee).toEqual(before);

    const status = await t.say(conv, "what's the latest on that ticket?", erin);
    expect(rowsOf(status)).toEqual([rows[1]]);
    // "mark it as resolved: …" updates the ticket on the card just shown.
    await t.say(conv, 'mark it as resolved: replaced the bulb', erin);
    expect((await stored(rows[1]!)).status).toBe('resolved');
    expect((await stored(rows[0]!)).status).not.toBe('resolved');

    // A new chat has shown no list: nothing is assigned by guessing.
    const fresh = await t.say(personalConversation(erin), "I'll take the first one", erin);
    expect(shownText(fresh)).not.toMatch(/is now assigned to you/);
    expect((await stored(rows[0]!)).assignee).toEqual(before);
  });
});
