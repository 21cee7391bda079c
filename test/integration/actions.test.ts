import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import {
  cardAction,
  message,
  personalConversation,
  users,
  type ConversationRef,
} from '../helpers/activities';
import { cardsOf, cardText, findExecuteAction } from '../helpers/cards';
import { WebhookReceiver } from '../fakes/webhookReceiver';

/**
 * Orders and tickets end to end in embedded mode: real activities in over HTTP, the embedded
 * intent model's tool calls through the teams-ai planner, cards out through the connector,
 * ticket webhooks to a local receiver.
 */
const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';
let t: BotUnderTest;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  t = await startBotUnderTest({ TICKETS_WEBHOOK_URL: receiver.url, TICKETS_WEBHOOK_SECRET: WEBHOOK_SECRET });
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await receiver?.stop();
});
beforeEach(() => t.connector.reset());

const say = (conv: ConversationRef, text: string, user = users.alex) => t.say(conv, text, user);
const textOf = (calls: { activity: Record<string, any> }[]) =>
  calls.map((c) => String(c.activity.text ?? '')).join('\n');

describe('order status', () => {
  it('shows the card for the user’s own order, with an Open-ticket button', async () => {
    const conv = personalConversation();
    const sent = await say(conv, 'where is my order ORD-10421?');
    const card = cardsOf(sent.find((c) => cardsOf(c).length))[0];
    expect(card).toBeDefined();
    expect(cardText(card)).toContain('ORD-10421');
    expect(cardText(card).toLowerCase()).toContain('shipped');
    expect(findExecuteAction(card, 'ticket.draftFromOrder')).toBeDefined();
  });

  it('asks for the order number when it is missing, then answers (slot filling)', async () => {
    const conv = personalConversation();
    const first = await say(conv, 'where is my order?');
    expect(textOf(first)).toMatch(/Which order number/);
    const second = await say(conv, 'ORD-10421');
    expect(cardText(cardsOf(second.find((c) => cardsOf(c).length))[0])).toContain('ORD-10421');
  });

  it('cancel leaves the slot-filling flow', async () => {
    const conv = personalConversation();
    await say(conv, 'can you check the status of my order');
    const cancelled = await say(conv, 'cancel');
    expect(textOf(cancelled)).toMatch(/stopped that/);
  });

  it('refuses someone else’s order without leaking its status', async () => {
    const conv = personalConversation(users.bea);
    const sent = await say(conv, 'status of order ORD-10421', users.bea);
    const all = JSON.stringify(sent.map((c) => c.activity));
    expect(all).toMatch(/couldn.t find/i);
    expect(all.toLowerCase()).not.toContain('shipped');
    expect(all).not.toMatch(/tracking/i);
  });

  it('answers an unknown order the same way', async () => {
    const conv = personalConversation();
    const sent = await say(conv, 'where is order ORD-99999?');
    expect(JSON.stringify(sent.map((c) => c.activity))).toMatch(/couldn.t find/i);
  });

  it('lets a support agent see any order', async () => {
    const conv = personalConversation(users.dana);
    const sent = await say(conv, 'status of order ORD-10421', users.dana);
    expect(cardText(cardsOf(sent.find((c) => cardsOf(c).length))[0]).toLowerCase()).toContain('shipped');
  });

  it('lists my orders', async () => {
    const conv = personalConversation();
    const sent = await say(conv, 'show me all my orders');
    const card = cardsOf(sent.find((c) => cardsOf(c).length))[0];
    expect(cardText(card)).toContain('ORD-10421');
    expect(cardText(card)).toContain('ORD-10422');
    expect(cardText(card)).not.toContain('ORD-10430');
  });
});

describe('tickets', () => {
  async function draft(conv: ConversationRef, user = users.alex) {
    const sent = await say(
      conv,
      'please open a ticket: my laptop screen flickers and goes black, it is urgent',
      user,
    );
    const card = cardsOf(sent.find((c) => cardsOf(c).length))[0];
    expect(card).toBeDefined();
    const confirm = findExecuteAction(card, 'ticket.confirm');
    const cancel = findExecuteAction(card, 'ticket.cancel');
    expect(confirm).toBeDefined();
    expect(cancel).toBeDefined();
    return { card, confirm: confirm!, cancel: cancel! };
  }

  async function invoke(
    conv: ConversationRef,
    verb: string,
    data: Record<string, unknown>,
    user = users.alex,
  ) {
    const res = await t.post(cardAction(t.connector.url, conv, verb, data, user));
    return res;
  }

  it('drafts, confirms (card refreshed in place with the ticket id) and sends a signed webhook', async () => {
    const conv = personalConversation();
    const { confirm } = await draft(conv);
    const before = receiver.deliveries.length;
    const res = await invoke(conv, 'ticket.confirm', { ...confirm.data, priority: 'urgent' });
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const refreshed = JSON.stringify(res.body.value);
    const id = /TKT-\d{6}/.exec(refreshed)?.[0];
    expect(id).toBeDefined();

    await expect.poll(() => receiver.deliveries.length, { timeout: 10_000 }).toBeGreaterThan(before);
    const delivery = receiver.deliveries.find((d) => d.raw.includes(id!))!;
    expect(delivery).toBeDefined();
    const ts = String(delivery.headers['x-signature-timestamp']);
    const expected =
      'sha256=' + createHmac('sha256', WEBHOOK_SECRET).update(`${ts}.${delivery.raw}`).digest('hex');
    expect(delivery.headers['x-signature-256']).toBe(expected);
    expect(JSON.parse(delivery.raw)).toMatchObject({ ticket: { priority: 'urgent' } });

    // The status is then visible to the requester.
    const status = await say(conv, `what is the status of ${id}?`);
    expect(JSON.stringify(status.map((c) => c.activity))).toContain(id!);
  });

  it('the same Confirm delivered twice creates one ticket', async () => {
    const conv = personalConversation();
    const { confirm } = await draft(conv);
    const [a, b] = await Promise.all([
      invoke(conv, 'ticket.confirm', confirm.data),
      invoke(conv, 'ticket.confirm', confirm.data),
    ]);
    const idA = /TKT-\d{6}/.exec(JSON.stringify(a.body))?.[0];
    const idB = /TKT-\d{6}/.exec(JSON.stringify(b.body))?.[0];
    expect(idA).toBeDefined();
    expect(idB).toBe(idA);
    const { resources } = await t.bot.stores.containers.tickets.items
      .query({
        query: 'SELECT c.id FROM c WHERE c.ticketNumber = @id OR c.id = @id',
        parameters: [{ name: '@id', value: idA! }],
      })
      .fetchAll();
    expect(resources.length).toBeLessThanOrEqual(1);
  });

  it('cancel discards the draft', async () => {
    const conv = personalConversation();
    const { cancel } = await draft(conv);
    const res = await invoke(conv, 'ticket.cancel', cancel.data);
    expect(JSON.stringify(res.body)).toMatch(/cancel/i);
    const again = await invoke(conv, 'ticket.confirm', { ...cancel.data });
    expect(JSON.stringify(again.body)).not.toMatch(/TKT-\d{6}/);
  });

  it('refuses a Confirm from someone other than the requester and writes nothing', async () => {
    const conv = personalConversation();
    const { confirm } = await draft(conv);
    const res = await invoke(conv, 'ticket.confirm', confirm.data, users.bea);
    expect(JSON.stringify(res.body)).not.toMatch(/TKT-\d{6}/);
    // The requester can still confirm: the foreign click changed nothing.
    const ok = await invoke(conv, 'ticket.confirm', confirm.data);
    expect(JSON.stringify(ok.body)).toMatch(/TKT-\d{6}/);
  });

  it('refuses tampered card data', async () => {
    const conv = personalConversation();
    const { confirm } = await draft(conv);
    const tampered = { ...confirm.data, sig: 'AAAA' + String(confirm.data.sig ?? '').slice(4) };
    const res = await invoke(conv, 'ticket.confirm', tampered);
    expect(JSON.stringify(res.body)).not.toMatch(/TKT-\d{6}/);
    const junk = await invoke(conv, 'ticket.confirm', { draftId: '<script>alert(1)</script>', sig: 1 });
    expect(junk.status).toBe(200);
    expect(JSON.stringify(junk.body)).not.toMatch(/TKT-\d{6}/);
  });

  it('answers a policy question asked while it waits for the ticket description, then drafts', async () => {
    const conv = personalConversation();
    expect(textOf(await say(conv, 'I want to open a ticket'))).toMatch(/What's the problem/);
    const digression = await say(conv, 'what are the phone support hours?');
    expect(digression.some((c) => cardsOf(c).length)).toBe(false);
    expect(textOf(digression)).not.toMatch(/What's the problem/);
    const second = await say(conv, 'The parcel arrived with a broken handle on the mug');
    expect(
      findExecuteAction(cardsOf(second.find((c) => cardsOf(c).length))[0], 'ticket.confirm'),
    ).toBeDefined();
  });

  it('asks what the problem is when the request has no details', async () => {
    const conv = personalConversation();
    const first = await say(conv, 'I want to open a ticket');
    expect(textOf(first)).toMatch(/What's the problem/);
    const second = await say(conv, 'The parcel arrived with a broken handle on the mug');
    expect(
      findExecuteAction(cardsOf(second.find((c) => cardsOf(c).length))[0], 'ticket.confirm'),
    ).toBeDefined();
  });
});

describe('callers without an Entra object id (e.g. anonymous meeting guests)', () => {
  const guestA = { id: '29:guest-a', aadObjectId: '', name: 'Guest A' };
  const guestB = { id: '29:guest-b', aadObjectId: '', name: 'Guest B' };
  function withoutObjectId<T extends { from: Record<string, unknown> }>(activity: T): T {
    delete activity.from.aadObjectId;
    return activity;
  }
  async function guestSays(conv: ConversationRef, text: string, user = guestA) {
    const activity = withoutObjectId(message(t.connector.url, conv, text, { user }));
    expect((await t.post(activity)).status).toBe(200);
    return t.connector.messages(conv.id).filter((c) => c.activityId === activity.id);
  }

  it('refuses orders, tickets and drafts with a short message, and still answers public knowledge', async () => {
    const conv = personalConversation();
    for (const ask of [
      'please open a ticket: my laptop screen flickers and goes black, it is urgent',
      'show my orders',
      'where is ORD-10421?',
    ]) {
      const sent = await guestSays(conv, ask);
      expect(sent.some((c) => cardsOf(c).length)).toBe(false);
      expect(textOf(sent)).toMatch(/can't tell who you are/);
    }
    const { resources } = await t.bot.stores.containers.tickets.items
      .query({ query: 'SELECT * FROM c WHERE c.pk = ""' })
      .fetchAll();
    expect(resources).toHaveLength(0);
    expect(textOf(await guestSays(conv, 'How do I return an item?'))).toMatch(/return/i);
  });

  it('refuses a card click (confirm) from a guest with an error card, writing nothing', async () => {
    const conv = personalConversation();
    const sent = await say(conv, 'please open a ticket: my laptop screen flickers, it is urgent');
    const confirm = findExecuteAction(cardsOf(sent.find((c) => cardsOf(c).length))[0], 'ticket.confirm')!;
    const res = await t.post(
      withoutObjectId(cardAction(t.connector.url, conv, 'ticket.confirm', confirm.data, guestB)),
    );
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toMatch(/can't tell who you are/);
    expect(JSON.stringify(res.body)).not.toMatch(/TKT-\d{6}/);
  });
});
