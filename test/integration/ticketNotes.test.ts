import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import {
  cardAction,
  personalConversation,
  users,
  type ConversationRef,
  type TestUser,
} from '../helpers/activities';
import type { ConnectorCall } from '../helpers/connector';
import { cardsOf, findExecuteAction, shownText } from '../helpers/cards';
import type { CreatedTicket } from '../../src/tickets/ticket';

/**
 * Notes on tickets and "which ticket?" through the real server: a support agent adds a note that
 * keeps the ticket's status ("add a note to the first one: …", "note on it: …", ids typed loosely),
 * the requester is told in the chat the ticket came from and the card shows the note; a write
 * without its ticket ("mark it as resolved" in a fresh chat) asks which ticket and keeps the
 * request through a digression and a list asked for in between; RBAC decides who may note what.
 */
let t: BotUnderTest;
const chats = new Map<string, ConversationRef>();

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
  chats.set(id, conv);
  return id;
}

async function stored(ticketId: string): Promise<CreatedTicket> {
  const doc = await t.bot.business.tickets.getForViewer(ticketId, { aadObjectId: 'test', canViewAll: true });
  if (!doc) throw new Error(`${ticketId} is not stored`);
  return doc as CreatedTicket;
}

const notes = async (ticketId: string) =>
  ((await stored(ticketId)).updates ?? []).filter((u) => u.comment).map((u) => u.comment);
const rowsOf = (calls: ConnectorCall[]) => [
  ...new Set(calls.flatMap(cardsOf).flatMap((card) => JSON.stringify(card).match(/TKT-\d{6}/g) ?? [])),
];
const numberOf = (ticketId: string) => String(Number(ticketId.slice(4)));

/** The requester's chat got a proactive card about their ticket containing `text`. */
const toldInChat = (ticketId: string, text: string) =>
  t.connector.waitFor((all) =>
    all.some(
      (c) => c.conversationId === chats.get(ticketId)!.id && JSON.stringify(c.activity).includes(text),
    ),
  );

const dana = users.dana;
let printer: string;
let charger: string;
let badge: string;

beforeAll(async () => {
  t = await startBotUnderTest({ RATE_LIMIT_USER_PER_MIN: '10000' });
  printer = await fileTicket(users.alex, 'the printer on floor 3 jams constantly');
  charger = await fileTicket(users.alex, 'my laptop charger is broken');
  badge = await fileTicket(users.bea, 'my badge no longer opens the car park gate');
}, 240_000);
afterAll(async () => {
  await t?.stop();
});

describe('an agent adds a note to a ticket', () => {
  it('"add a note to the first one: …" after the queue: stored, status kept, requester told, card shows it', async () => {
    const conv = personalConversation(dana);
    const rows = rowsOf(await t.say(conv, 'show me open tickets', dana));
    expect(rows.slice(0, 3)).toEqual([badge, charger, printer]);
    const calls = await t.say(conv, 'add a note to the second one: customer called back', dana);
    const shown = shownText(calls);
    expect(shown).toContain(
      `I added your note to ticket ${charger}; it stays open. I have let the requester know.`,
    );
    expect(shown).toContain('Latest note: customer called back');
    expect((await stored(charger)).status).toBe('open');
    expect(await notes(charger)).toEqual(['customer called back']);
    expect(await notes(badge)).toEqual([]);
    // Alex hears it in the chat the ticket came from, as for a status change.
    const told = await toldInChat(charger, 'has a new note');
    const notice = told.find((c) => JSON.stringify(c.activity).includes('has a new note'))!;
    expect(JSON.stringify(notice.activity)).toContain('customer called back');

    // "note on it" is the ticket on the card; "the third one" still counts in the list shown before.
    await t.say(conv, 'note on it: waiting for the courier', dana);
    await t.say(conv, 'comment on the third one: toner ordered', dana);
    expect(await notes(charger)).toEqual(['customer called back', 'waiting for the courier']);
    expect(await notes(printer)).toEqual(['toner ordered']);

    // Asking what the notes say gets the card: the newest note, then the ones before it.
    const read = shownText(await t.say(conv, `what does the note on ${charger} say?`, dana));
    expect(read).toContain('Latest note: waiting for the courier');
    expect(read).toMatch(/Earlier note \(\d{4}-\d{2}-\d{2}\): customer called back/);
  });

  it('ids typed loosely and small typos: "pls add a ntoe to tkt-…", "comment on ticket 7 saying …"', async () => {
    const conv = personalConversation(dana);
    await t.say(conv, `pls add a ntoe to tkt-${numberOf(badge)} - gate controller replaced`, dana);
    await t.say(conv, `can you add a coment on ticket #${numberOf(badge)} saying badge re-encoded`, dana);
    expect(await notes(badge)).toEqual(['gate controller replaced', 'badge re-encoded']);
    expect((await stored(badge)).status).toBe('open');
  });

  it('in Chinese: 给 TKT-… 加备注:… adds the note and answers in Chinese', async () => {
    const conv = personalConversation(dana);
    const calls = await t.say(conv, `给 ${badge} 加备注:客户已回电`, dana);
    expect(shownText(calls)).toContain(`我已把您的备注加到工单 ${badge}`);
    expect((await notes(badge)).at(-1)).toBe('客户已回电');
  });

  it('an id inside the note does not choose the ticket; an internal note is refused, nothing stored', async () => {
    const conv = personalConversation(dana);
    await t.say(conv, `status of ${printer}`, dana);
    await t.say(conv, `note on it: same fault as ${charger}`, dana);
    expect((await notes(printer)).at(-1)).toBe(`same fault as ${charger}`);
    expect(await notes(charger)).not.toContain(`same fault as ${charger}`);
    // A note's text may read like a second request or a question: it is all the note.
    await t.say(
      conv,
      'note on it: customer called again. Can you check whether the order ORD-10421 can be returned?',
      dana,
    );
    expect((await notes(printer)).at(-1)).toBe(
      'customer called again. Can you check whether the order ORD-10421 can be returned?',
    );
    // What to tell the customer is a note on the ticket shown.
    await t.say(conv, 'tell the customer we are sending a replacement', dana);
    expect((await notes(printer)).at(-1)).toBe('we are sending a replacement');
    const internal = await t.say(conv, 'add an internal note to it: vip customer', dana);
    expect(shownText(internal)).toMatch(/no internal notes here, so I added nothing/);
    expect(await notes(printer)).not.toContain('vip customer');
  });
});

describe('who may add a note', () => {
  it('the requester notes their own ticket; someone else’s ticket reads as unknown', async () => {
    const own = await t.say(
      personalConversation(users.alex),
      `add a note to ${printer}: I am in the office after 2pm`,
    );
    expect(shownText(own)).toContain(`I added your note to ticket ${printer}; it stays open.`);
    expect((await notes(printer)).at(-1)).toBe('I am in the office after 2pm');
    const foreign = await t.say(
      personalConversation(users.bea),
      `add a note to ${printer}: hello`,
      users.bea,
    );
    expect(shownText(foreign)).not.toContain('I added your note');
    expect(await notes(printer)).not.toContain('hello');
  });
});

describe('"which ticket?" when a write names none', () => {
  it('"mark it as resolved: …" in a fresh chat asks, answers a question in between, and completes from the list', async () => {
    const conv = personalConversation(dana);
    const asked = await t.say(conv, 'mark it as resolved: replacement sent', dana);
    expect(shownText(asked)).toMatch(/^Which ticket\?/);
    expect((await stored(charger)).status).toBe('open');
    const digression = shownText(await t.say(conv, 'how long do refunds take?', dana));
    expect(digression).toMatch(/business days/);
    expect(digression).toMatch(/Now, which ticket\?/);
    const rows = rowsOf(await t.say(conv, 'show me open tickets', dana));
    expect(rows[1]).toBe(charger);
    await t.say(conv, 'the second one', dana);
    const doc = await stored(charger);
    expect(doc.status).toBe('resolved');
    expect(doc.updates?.at(-1)?.comment).toBe('replacement sent');
    expect((await stored(badge)).status).toBe('open');
  });

  it('a bare number answers it ("note on it: …", then "1234")', async () => {
    const conv = personalConversation(dana);
    expect(shownText(await t.say(conv, 'note on it: courier booked for Monday', dana))).toMatch(
      /^Which ticket\?/,
    );
    await t.say(conv, numberOf(badge), dana);
    expect((await notes(badge)).at(-1)).toBe('courier booked for Monday');
  });

  it('"I\'ll take the first one" with no list asks which, and the id typed next assigns it', async () => {
    const conv = personalConversation(dana);
    const asked = await t.say(conv, "I'll take the first one", dana);
    expect(shownText(asked)).toMatch(/^Which ticket\?/);
    expect((await stored(printer)).assignee).toBeUndefined();
    const taken = await t.say(conv, printer.toLowerCase(), dana);
    expect(shownText(taken)).toContain(`${printer} is now assigned to you.`);
    expect((await stored(printer)).assignee?.aadObjectId).toBe(dana.aadObjectId);
  });

  it('a longer message naming a ticket is a new request: the waiting write is not applied to it', async () => {
    const conv = personalConversation(dana);
    await t.say(conv, 'close it', dana);
    const status = await t.say(conv, `what's the status of ${badge} at the moment?`, dana);
    expect(rowsOf(status)).toEqual([badge]);
    expect((await stored(badge)).status).toBe('open');
  });
});
