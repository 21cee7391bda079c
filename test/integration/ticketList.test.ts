import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import {
  cardAction,
  groupChat,
  personalConversation,
  users,
  type ConversationRef,
  type TestUser,
} from '../helpers/activities';
import type { ConnectorCall } from '../helpers/connector';
import { cardsOf, findExecuteAction, shownText } from '../helpers/cards';

/**
 * "Show my tickets" through the real server: a person's own tickets newest first (a row click shows
 * the ticket), one ticket answered with its status card, the support queue for agents only, and
 * nothing but a pointer in a shared chat.
 */
let t: BotUnderTest;
const filed: Record<string, string[]> = { alex: [], bea: [] };

async function fileTicket(user: TestUser, problem: string): Promise<string> {
  const conv = personalConversation(user);
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

const rowsOf = (calls: ConnectorCall[]) =>
  calls.flatMap(cardsOf).flatMap((card) => JSON.stringify(card).match(/TKT-\d{6}/g) ?? []);

beforeAll(async () => {
  t = await startBotUnderTest({ RATE_LIMIT_USER_PER_MIN: '10000' });
  filed.alex.push(await fileTicket(users.alex, 'my docking station stopped charging the laptop'));
  filed.alex.push(await fileTicket(users.alex, 'the office printer on floor 2 prints blank pages'));
  filed.bea.push(await fileTicket(users.bea, 'my headset microphone is muffled in calls'));
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

describe('a person asking for their tickets', () => {
  it('"show me my tickets" lists their own, newest first, and no one else\'s', async () => {
    const calls = await t.say(personalConversation(users.alex), 'show me my tickets');
    expect(shownText(calls)).toContain('Your tickets');
    expect([...new Set(rowsOf(calls))]).toEqual([...filed.alex].reverse());
    expect(shownText(calls)).not.toContain('headset');
  });

  it("a row click shows that ticket; a tampered click for someone else's ticket reveals nothing", async () => {
    const conv = personalConversation(users.alex);
    const calls = await t.say(conv, 'which tickets did I open?');
    const show = calls
      .flatMap(cardsOf)
      .map((c) => findExecuteAction(c, 'ticket.showStatus'))
      .find(Boolean);
    expect(show?.data.ticketId).toBe(filed.alex[1]);
    const res = await t.post(cardAction(t.connector.url, conv, 'ticket.showStatus', show!.data));
    expect(JSON.stringify(res.body)).toContain('floor 2 prints blank pages');

    const forged = { ...show!.data, ticketId: filed.bea[0] };
    const refused = await t.post(cardAction(t.connector.url, conv, 'ticket.showStatus', forged));
    expect(JSON.stringify(refused.body)).not.toContain('headset');
    expect(JSON.stringify(refused.body)).toMatch(/couldn't find|not find|找不到/i);
  });

  it('with one ticket, "any update on my ticket?" answers with that ticket\'s status card', async () => {
    const calls = await t.say(personalConversation(users.bea), 'any update on my ticket?', users.bea);
    const shown = shownText(calls);
    expect(shown).toContain(`Ticket ${filed.bea[0]}`);
    expect(shown).toContain('headset microphone');
    expect(shown).not.toContain('Your tickets');
  });

  it('a number typed after the list still means that ticket', async () => {
    const conv = personalConversation(users.alex);
    await t.say(conv, 'what is the status of my ticket?');
    const reply = shownText(await t.say(conv, filed.alex[0]!.replace('TKT-', '').replace(/^0+/, '')));
    expect(reply).toContain(`Ticket ${filed.alex[0]}`);
    expect(reply).toContain('docking station');
  });

  it('a thank-you after the list is answered as such: the list asked nothing', async () => {
    const conv = personalConversation(users.dana);
    await t.say(conv, 'what tickets are open right now?', users.dana);
    const reply = shownText(await t.say(conv, 'thanks!', users.dana));
    expect(reply).not.toMatch(/which ticket/i);
    expect(reply).toMatch(/welcome/i);
  });

  it('someone with no tickets is told how to open one', async () => {
    const calls = await t.say(personalConversation(users.carl), 'show my tickets', users.carl);
    expect(shownText(calls)).toMatch(/You have no support tickets/);
  });

  it('in Chinese the list is in Chinese', async () => {
    const calls = await t.say(personalConversation(users.alex), '我的工单');
    expect(shownText(calls)).toContain('您的工单');
    expect([...new Set(rowsOf(calls))]).toEqual([...filed.alex].reverse());
  });
});

describe('the support queue', () => {
  it("a support agent asking what is open gets everyone's open tickets with who asked", async () => {
    const calls = await t.say(
      personalConversation(users.dana),
      'what tickets are open right now?',
      users.dana,
    );
    const shown = shownText(calls);
    expect(shown).toContain('Open tickets');
    for (const id of [...filed.alex, ...filed.bea]) expect(rowsOf(calls)).toContain(id);
    expect(shown).toContain('Bea');
  });

  it('a customer asking for all open tickets gets only their own, and is told why', async () => {
    const calls = await t.say(personalConversation(users.alex), 'show all open tickets');
    const shown = shownText(calls);
    expect(shown).toMatch(/Only support agents can see the whole queue/);
    expect(rowsOf(calls)).not.toContain(filed.bea[0]);
    expect(shown).not.toContain('headset');
  });
});

describe('in a group chat', () => {
  it('the thread hears only that the list went to the 1:1 chat', async () => {
    const conv: ConversationRef = groupChat();
    const calls = await t.say(conv, 'show my tickets');
    const wire = JSON.stringify(calls.map((c) => c.activity));
    for (const id of filed.alex) expect(wire).not.toContain(id);
    expect(wire).not.toMatch(/docking|printer/);
    expect(shownText(calls)).toMatch(/1:1 chat/);
  });
});
