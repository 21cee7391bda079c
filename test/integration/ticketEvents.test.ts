import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../src/tickets/webhook/webhookSignature';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/storage';
import type { TicketDocument } from '../../src/tickets';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import {
  cardAction,
  groupChat,
  personalConversation,
  users,
  type ConversationRef,
  type TestUser,
} from '../helpers/activities';
import { cardsOf, findExecuteAction } from '../helpers/cards';
import { WebhookReceiver } from '../fakes/webhookReceiver';
import { verifyWebhookSignature } from '../../src/tickets/webhook/webhookSignature';

/**
 * The ticket system's inbound events (POST /api/tickets/events) through the real server: HMAC over
 * `timestamp.body`, a 5-minute window, replay protection in Cosmos, the stored ticket read back
 * from Cosmos and the requester's one proactive message at the local connector.
 */
const SECRET = 'inbound-ticket-events-secret-0123456789';
const kb = freshKnowledgeIndex('ticket-events-kb-');

type EventResponse = { status: number; body: any };

async function postEvent(
  bot: BotUnderTest,
  body: string,
  headers: Record<string, string>,
): Promise<EventResponse> {
  const res = await fetch(`${bot.bot.url}/api/tickets/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

function signedHeaders(body: string, opts: { ts?: number; secret?: string } = {}): Record<string, string> {
  const ts = String(opts.ts ?? Math.floor(Date.now() / 1000));
  return { 'x-timestamp': ts, 'x-signature': signWebhook(opts.secret ?? SECRET, ts, body) };
}

async function sendEvent(bot: BotUnderTest, event: Record<string, unknown>) {
  const body = JSON.stringify(event);
  const headers = signedHeaders(body);
  return { res: await postEvent(bot, body, headers), body, headers };
}

/** Drafts and confirms a ticket through the bot (card and click as in Teams); returns its TKT id. */
async function createTicket(bot: BotUnderTest, conv: ConversationRef, user: TestUser = users.alex) {
  const sent = await bot.say(
    conv,
    'please open a ticket: my laptop screen flickers and goes black, it is urgent',
    user,
  );
  let card = cardsOf(sent.find((c) => cardsOf(c).length))[0] as Record<string, any>;
  if (card?.refresh?.action) {
    // A shared chat posts the neutral view; the requester's client refreshes it to the draft.
    const { action } = card.refresh;
    const invoke = cardAction(bot.connector.url, conv, action.verb, action.data, user);
    card = (await bot.post({ ...invoke, value: { action, trigger: 'automatic' } })).body?.value;
  }
  const confirm = findExecuteAction(card, 'ticket.confirm');
  expect(confirm).toBeDefined();
  const res = await bot.post(cardAction(bot.connector.url, conv, 'ticket.confirm', confirm!.data, user));
  const id = /TKT-\d{6}/.exec(JSON.stringify(res.body))?.[0];
  expect(id).toBeDefined();
  return id!;
}

async function readTicket(bot: BotUnderTest, ticketId: string): Promise<TicketDocument> {
  const { resources } = await bot.bot.stores.containers.tickets.items
    .query<TicketDocument>({
      query: 'SELECT * FROM c WHERE c.ticketId = @id',
      parameters: [{ name: '@id', value: ticketId }],
    })
    .fetchAll();
  expect(resources).toHaveLength(1);
  return resources[0];
}

/** The proactive ticket-update messages about `ticketId` the connector received. */
function updateMessages(bot: BotUnderTest, ticketId: string) {
  return bot.connector
    .messages()
    .filter(
      (c) =>
        c.activity.summary === `Ticket ${ticketId} update` ||
        String(c.activity.text ?? '').startsWith(`There is an update on ticket ${ticketId}`),
    );
}

/** Runs the notification dispatcher's pass now (waits for any pass already running). */
async function flushNotifications(bot: BotUnderTest) {
  await bot.bot.business.notifier!.flush();
}

describe('POST /api/tickets/events', () => {
  let t: BotUnderTest;
  beforeAll(async () => {
    t = await startBotUnderTest({ TICKETS_WEBHOOK_SECRET: SECRET, ...kb });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('a ticket drafted in Chinese gets its update card in Chinese', async () => {
    const conv = personalConversation();
    const sent = await t.say(conv, '帮我开个工单:我的显示器一直闪屏,很紧急');
    const confirm = findExecuteAction(cardsOf(sent.find((c) => cardsOf(c).length))[0], 'ticket.confirm');
    const res = await t.post(cardAction(t.connector.url, conv, 'ticket.confirm', confirm!.data));
    const id = /TKT-\d{6}/.exec(JSON.stringify(res.body))![0];
    expect((await readTicket(t, id)).address).toMatchObject({ language: 'zh-CN' });
    expect((await sendEvent(t, { ticketId: id, status: 'in_progress' })).res.status).toBe(200);
    await flushNotifications(t);
    const update = t.connector.messages(conv.id).find((c) => c.activity.summary === `工单 ${id} 有更新`);
    const card = JSON.stringify(cardsOf(update)[0]);
    expect(card).toContain(`工单 ${id} 已更新`);
    expect(card).toContain('处理中');
    expect(card).not.toContain('In progress');
  });

  it('a valid signed event updates the stored ticket and sends the requester exactly one message in that chat', async () => {
    const conv = personalConversation();
    const id = await createTicket(t, conv);
    const { res } = await sendEvent(t, {
      ticketId: id,
      status: 'in_progress',
      comment: 'A technician picks up your laptop **today** <b>at 3</b> [here](http://evil.example)',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ticketId: id, status: 'in_progress', changed: true, seq: 1 });

    const stored = await readTicket(t, id);
    expect(stored.status).toBe('in_progress');
    expect(stored.updates).toEqual([
      expect.objectContaining({ seq: 1, status: 'in_progress', previousStatus: 'open', by: 'webhook' }),
    ]);
    expect(stored.address).toMatchObject({ conversationId: conv.id, conversationType: 'personal' });

    await flushNotifications(t);
    const sent = updateMessages(t, id);
    expect(sent).toHaveLength(1);
    expect(sent[0].conversationId).toBe(conv.id);
    expect(sent[0].activityId).toBeUndefined(); // a new message, not a reply
    const card = JSON.stringify(cardsOf(sent[0])[0]);
    expect(card).toContain(`Ticket ${id} updated`);
    expect(card).toContain('In progress');
    // Markdown and HTML in the comment are shown as typed, never rendered.
    expect(card).toContain('\\\\*\\\\*today\\\\*\\\\*');
    expect(card).toContain('\\\\<b\\\\>');
    expect(card).toContain('\\\\[here\\\\]\\\\(http://evil.example\\\\)');

    // The next pass sends nothing more.
    await flushNotifications(t);
    expect(updateMessages(t, id)).toHaveLength(1);
  });

  it('a handoff ticket ("talk to a human") reports back in the chat it came from: exactly one message', async () => {
    // Before the fix, request_human stored no conversation on its ticket: the event was applied but
    // no notification was queued (what the Playground showed).
    const conv = personalConversation();
    const reply = JSON.stringify((await t.say(conv, 'I want to talk to a human')).map((c) => c.activity));
    const id = /TKT-\d{6}/.exec(reply)?.[0];
    expect(id, reply).toBeDefined();
    const stored = await readTicket(t, id!);
    expect(stored).toMatchObject({ category: 'handoff' });
    expect(stored.address).toMatchObject({
      conversationId: conv.id,
      conversationType: 'personal',
      serviceUrl: t.connector.url,
    });
    const { res } = await sendEvent(t, {
      ticketId: id,
      status: 'in_progress',
      comment: 'Dana will call you at 3 pm',
    });
    expect(res.status).toBe(200);
    await flushNotifications(t);
    const sent = updateMessages(t, id!);
    expect(sent).toHaveLength(1);
    expect(sent[0].conversationId).toBe(conv.id);
    const card = JSON.stringify(cardsOf(sent[0])[0]);
    expect(card).toContain(`Ticket ${id} updated`);
    expect(card).toContain('Dana will call you at 3 pm');
    await flushNotifications(t);
    expect(updateMessages(t, id!)).toHaveLength(1);
  });

  it('a return ticket reports back in the chat where the return was confirmed', async () => {
    const conv = personalConversation();
    const sent = await t.say(conv, 'return ORD-10388 because the headset stopped working');
    const card = cardsOf(sent.find((c) => cardsOf(c).length))[0];
    const confirm = findExecuteAction(card, 'order.returnConfirm');
    expect(confirm).toBeDefined();
    const res = await t.post(
      cardAction(t.connector.url, conv, 'order.returnConfirm', confirm!.data, users.alex),
    );
    const id = /TKT-\d{6}/.exec(JSON.stringify(res.body))?.[0];
    expect(id).toBeDefined();
    expect((await readTicket(t, id!)).address).toMatchObject({ conversationId: conv.id });
    const event = await sendEvent(t, { ticketId: id, status: 'resolved', comment: 'Refund issued.' });
    expect(event.res.status).toBe(200);
    await flushNotifications(t);
    const updates = updateMessages(t, id!);
    expect(updates).toHaveLength(1);
    expect(updates[0].conversationId).toBe(conv.id);
    expect(JSON.stringify(cardsOf(updates[0])[0])).toContain('Refund issued.');
  });

  it('a ticket drafted in a group chat is reported in the requester’s own 1:1 chat, not in the group', async () => {
    const conv = groupChat();
    const id = await createTicket(t, conv);
    const { res } = await sendEvent(t, { ticketId: id, status: 'resolved', comment: 'New screen fitted.' });
    expect(res.status).toBe(200);
    await flushNotifications(t);
    const sent = updateMessages(t, id);
    expect(sent).toHaveLength(1);
    expect(sent[0].conversationId).not.toBe(conv.id);
    const created = t.connector.createdConversations.find((c) => c.id === sent[0].conversationId);
    expect(created?.parameters.members).toEqual([expect.objectContaining({ id: users.alex.id })]);
    expect(JSON.stringify(cardsOf(sent[0])[0])).toContain('New screen fitted.');
    expect(t.connector.messages(conv.id).some((c) => JSON.stringify(c.activity).includes('New screen'))).toBe(
      false,
    );
  });

  it('refuses a bad signature, a stale or future timestamp, missing headers: 401, nothing changes, nothing is sent', async () => {
    const conv = personalConversation();
    const id = await createTicket(t, conv);
    const body = JSON.stringify({ ticketId: id, status: 'resolved' });
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[string, Record<string, string>, string]> = [
      ['wrong secret', signedHeaders(body, { secret: 'another-secret-of-enough-length' }), 'bad_signature'],
      [
        'body signed without the timestamp',
        { 'x-timestamp': String(now), 'x-signature': `sha256=${'0'.repeat(64)}` },
        'bad_signature',
      ],
      ['stale (6 min old)', signedHeaders(body, { ts: now - 360 }), 'stale_timestamp'],
      ['6 min in the future', signedHeaders(body, { ts: now + 360 }), 'stale_timestamp'],
      ['no signature', { 'x-timestamp': String(now) }, 'unauthorized'],
      ['no timestamp', { 'x-signature': signedHeaders(body)['x-signature'] }, 'unauthorized'],
    ];
    for (const [name, headers, error] of cases) {
      const res = await postEvent(t, body, headers);
      expect(res.status, name).toBe(401);
      expect(res.body.error, name).toBe(error);
    }
    // A valid signature over a different body does not carry over to this one.
    const other = signedHeaders(JSON.stringify({ ticketId: id, status: 'closed' }));
    expect((await postEvent(t, body, other)).status).toBe(401);

    const stored = await readTicket(t, id);
    expect(stored.status).toBe('open');
    expect(stored.updates).toBeUndefined();
    await flushNotifications(t);
    expect(updateMessages(t, id)).toHaveLength(0);
  });

  it('refuses a replay with 409 and applies the event once', async () => {
    const conv = personalConversation();
    const id = await createTicket(t, conv);
    const { res, body, headers } = await sendEvent(t, {
      ticketId: id,
      status: 'in_progress',
      comment: 'On it.',
    });
    expect(res.status).toBe(200);
    const again = await postEvent(t, body, headers);
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('replayed');
    expect((await readTicket(t, id)).updates).toHaveLength(1);
    await flushNotifications(t);
    expect(updateMessages(t, id)).toHaveLength(1);
  });

  it('refuses malformed bodies with 400 (signed or not, nothing changes)', async () => {
    const conv = personalConversation();
    const id = await createTicket(t, conv);
    const bodies = [
      '{"ticketId":', // not JSON
      JSON.stringify({ ticketId: id, status: 'reopened' }),
      JSON.stringify({ ticketId: 'ORD-10421', status: 'resolved' }),
      JSON.stringify({ ticketId: id }),
      JSON.stringify({ ticketId: id, status: 'resolved', comment: 'x'.repeat(2001) }),
      JSON.stringify({ ticketId: id, status: 'resolved', comment: 42 }),
      JSON.stringify({ ticketId: id, status: 'resolved', requester: 'someone-else' }),
      JSON.stringify([{ ticketId: id, status: 'resolved' }]),
      `{"ticketId":"${id}","status":"resolved","__proto__":{"admin":true}}`,
    ];
    for (const body of bodies) {
      const res = await postEvent(t, body, signedHeaders(body));
      expect(res.status, body.slice(0, 60)).toBe(400);
    }
    expect((await readTicket(t, id)).status).toBe('open');
    await flushNotifications(t);
    expect(updateMessages(t, id)).toHaveLength(0);
  });

  it('applies the server body limits: too large 413, not JSON 415, compressed 415', async () => {
    const big = JSON.stringify({ ticketId: 'TKT-000001', status: 'resolved', comment: 'x'.repeat(300_000) });
    expect((await postEvent(t, big, signedHeaders(big))).status).toBe(413);
    const body = JSON.stringify({ ticketId: 'TKT-000001', status: 'resolved' });
    const asText = await fetch(`${t.bot.url}/api/tickets/events`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...signedHeaders(body) },
      body,
    });
    expect(asText.status).toBe(415);
    const gzip = await fetch(`${t.bot.url}/api/tickets/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...signedHeaders(body) },
      body,
    });
    expect(gzip.status).toBe(415);
  });

  it('answers 404 for an unknown ticket and 409 for a move out of closed; nothing is sent', async () => {
    const unknown = await sendEvent(t, { ticketId: 'TKT-999999', status: 'resolved' });
    expect(unknown.res.status).toBe(404);
    expect(unknown.res.body.error).toBe('unknown_ticket');

    const conv = personalConversation();
    const id = await createTicket(t, conv);
    expect((await sendEvent(t, { ticketId: id, status: 'closed' })).res.status).toBe(200);
    const reopen = await sendEvent(t, { ticketId: id, status: 'in_progress', comment: 'Reopened' });
    expect(reopen.res.status).toBe(409);
    expect(reopen.res.body.error).toBe('transition_not_allowed');
    const stored = await readTicket(t, id);
    expect(stored.status).toBe('closed');
    expect(stored.updates).toHaveLength(1);
    await flushNotifications(t);
    expect(updateMessages(t, id)).toHaveLength(1); // the "closed" one only
  });

  it('the same status again without a new comment is a no-op (200, changed: false, no message)', async () => {
    const conv = personalConversation();
    const id = await createTicket(t, conv);
    expect(
      (await sendEvent(t, { ticketId: id, status: 'in_progress', comment: 'Ordered the part.' })).res.status,
    ).toBe(200);
    // The ticket system retries with a fresh timestamp (so a new signature): nothing new to tell.
    const retryBody = JSON.stringify({ ticketId: id, status: 'in_progress', comment: 'Ordered the part.' });
    const retry = {
      res: await postEvent(t, retryBody, signedHeaders(retryBody, { ts: Math.floor(Date.now() / 1000) - 2 })),
    };
    expect(retry.res.status).toBe(200);
    expect(retry.res.body.changed).toBe(false);
    // A new note on the same status is news.
    const note = await sendEvent(t, {
      ticketId: id,
      status: 'in_progress',
      comment: 'The part arrives Friday.',
    });
    expect(note.res.body).toMatchObject({ changed: true, seq: 2 });
    await flushNotifications(t);
    const sent = updateMessages(t, id);
    expect(sent).toHaveLength(2);
    expect(JSON.stringify(cardsOf(sent[1])[0])).toContain('has a new note');
  });

  it('keeps the status change when the message cannot be delivered, and sends it once the chat is reachable', async () => {
    const conv = personalConversation();
    const id = await createTicket(t, conv);
    t.connector.refuseActivitiesWith = 403;
    try {
      const { res } = await sendEvent(t, { ticketId: id, status: 'resolved', comment: 'Fixed remotely.' });
      expect(res.status).toBe(200);
      expect((await readTicket(t, id)).status).toBe('resolved');
      const pass = await t.bot.business.notifier!.flush();
      expect(pass.delivered).toBe(0);
      expect(updateMessages(t, id)).toHaveLength(0);
      const { resources } = await t.bot.stores.containers.outbox.items
        .query({
          query: 'SELECT * FROM c WHERE c.kind = "notification" AND c.status = "pending" AND c.attempts > 0',
        })
        .fetchAll();
      const all = await t.bot.stores.containers.outbox.items.query('SELECT * FROM c').fetchAll();
      expect(
        resources.some((e: { body: string }) => e.body.includes(id)),
        JSON.stringify(all.resources.map((r: any) => [r.id, r.kind, r.status, r.attempts, r.lastError])),
      ).toBe(true);
    } finally {
      t.connector.refuseActivitiesWith = undefined;
    }
    // Retried after its backoff (a couple of seconds): poll by running passes until it is sent.
    await expect
      .poll(
        async () => {
          await flushNotifications(t);
          return updateMessages(t, id).length;
        },
        { timeout: 20_000, interval: 250 },
      )
      .toBe(1);
  }, 30_000);
});

describe('ticket updates through the bot: support agents any ticket, employees only closing their own', () => {
  let t: BotUnderTest;
  beforeAll(async () => {
    t = await startBotUnderTest({ TICKETS_WEBHOOK_SECRET: SECRET, ...kb });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  const text = (calls: { activity: Record<string, any> }[]) => JSON.stringify(calls.map((c) => c.activity));

  it('a support agent moves someone else’s ticket; the requester gets one message', async () => {
    const id = await createTicket(t, personalConversation());
    const dana = personalConversation(users.dana);
    const reply = await t.say(dana, `mark ${id} as resolved: replaced the display cable`, users.dana);
    expect(text(reply)).toContain(`Ticket ${id}`);
    expect(text(reply)).toContain('Latest note: replaced the display cable');
    const stored = await readTicket(t, id);
    expect(stored.status).toBe('resolved');
    expect(stored.updates?.[0]).toMatchObject({
      by: `agent:${users.dana.aadObjectId}`,
      comment: 'replaced the display cable',
    });
    await flushNotifications(t);
    expect(updateMessages(t, id)).toHaveLength(1);
    // The agent looks it up and sees the note.
    const lookup = await t.say(dana, `status of ${id}`, users.dana);
    expect(text(lookup)).toContain('replaced the display cable');
  });

  it('an employee can neither look up nor update someone else’s ticket', async () => {
    const id = await createTicket(t, personalConversation());
    const bea = personalConversation(users.bea);
    expect(text(await t.say(bea, `close ticket ${id}`, users.bea))).toContain(
      `I couldn't find ticket ${id} on your account`,
    );
    expect(text(await t.say(bea, `mark ${id} as resolved`, users.bea))).toContain('Only the support team');
    expect(text(await t.say(bea, `status of ${id}`, users.bea))).toContain(`I couldn't find ticket ${id}`);
    expect((await readTicket(t, id)).status).toBe('open');
    await flushNotifications(t);
    expect(updateMessages(t, id)).toHaveLength(0);
  });

  it('an employee may close their own ticket (no message to themselves) but not resolve it', async () => {
    const conv = personalConversation();
    const id = await createTicket(t, conv);
    expect(text(await t.say(conv, `mark ${id} as resolved`))).toContain('Only the support team');
    expect((await readTicket(t, id)).status).toBe('open');
    expect(text(await t.say(conv, `please close my ticket ${id}, not needed anymore`))).toContain(
      '"text":"Closed"',
    );
    const stored = await readTicket(t, id);
    expect(stored.status).toBe('closed');
    expect(stored.updates?.[0]).toMatchObject({
      by: `requester:${users.alex.aadObjectId}`,
      comment: 'not needed anymore',
    });
    await flushNotifications(t);
    expect(updateMessages(t, id)).toHaveLength(0);
  });

  it('in a group chat the agent’s update reply shows only the id; the card goes to the agent 1:1', async () => {
    const id = await createTicket(t, personalConversation());
    const conv = groupChat();
    const reply = await t.say(conv, `mark ${id} as in progress: waiting for the part`, users.dana);
    expect(text(reply)).toContain(`${id}:`);
    expect(text(reply)).toMatch(/1:1 chat/);
    expect(text(reply)).not.toMatch(/in progress/i);
    expect(text(reply)).not.toContain('laptop screen');
    expect((await readTicket(t, id)).status).toBe('in_progress');
  });
});

describe('changes made through the bot are forwarded to the ticket system (outbound ticket.updated)', () => {
  let t: BotUnderTest;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    t = await startBotUnderTest({ TICKETS_WEBHOOK_URL: receiver.url, TICKETS_WEBHOOK_SECRET: SECRET, ...kb });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await receiver?.stop();
  });

  const updatesFor = (id: string) =>
    receiver.deliveries.filter(
      (d) => d.headers['x-webhook-event'] === 'ticket.updated' && d.raw.includes(id),
    );

  it('an agent’s update is POSTed, signed, once; an update from the ticket system is not echoed back', async () => {
    const id = await createTicket(t, personalConversation());
    await t.say(
      personalConversation(users.dana),
      `mark ${id} as in progress: checking the cable`,
      users.dana,
    );
    await expect.poll(() => updatesFor(id).length, { timeout: 10_000 }).toBe(1);
    const delivery = updatesFor(id)[0];
    expect(
      verifyWebhookSignature(
        SECRET,
        String(delivery.headers['x-signature-timestamp']),
        delivery.raw,
        String(delivery.headers['x-signature-256']),
      ),
    ).toBe(true);
    expect(JSON.parse(delivery.raw)).toMatchObject({
      event: 'ticket.updated',
      id,
      update: {
        ticketId: id,
        seq: 1,
        status: 'in_progress',
        previousStatus: 'open',
        comment: 'checking the cable',
        by: `agent:${users.dana.aadObjectId}`,
      },
    });

    // The ticket system's own event: applied, the requester told, nothing sent back to it.
    expect(
      (await sendEvent(t, { ticketId: id, status: 'resolved', comment: 'Cable replaced.' })).res.status,
    ).toBe(200);
    await flushNotifications(t);
    await t.bot.business.dispatcher!.flush();
    expect(updatesFor(id)).toHaveLength(1);
    expect(updateMessages(t, id)).toHaveLength(2);
  });
});

describe('replay protection survives a restart and is shared by two instances', () => {
  it('a replay after a restart (embedded Cosmos, same data dir) is refused', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ticket-events-restart-'));
    try {
      let t = await startBotUnderTest({ TICKETS_WEBHOOK_SECRET: SECRET, EMBEDDED_DATA_DIR: dir, ...kb });
      let replay: { body: string; headers: Record<string, string> };
      let id: string;
      try {
        id = await createTicket(t, personalConversation());
        const sent = await sendEvent(t, { ticketId: id, status: 'resolved' });
        expect(sent.res.status).toBe(200);
        replay = { body: sent.body, headers: sent.headers };
      } finally {
        await t.stop();
      }
      t = await startBotUnderTest({ TICKETS_WEBHOOK_SECRET: SECRET, EMBEDDED_DATA_DIR: dir, ...kb });
      try {
        const res = await postEvent(t, replay.body, replay.headers);
        expect(res.status).toBe(409);
        const stored = await readTicket(t, id);
        expect(stored.updates).toHaveLength(1);
      } finally {
        await t.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  describe('two instances on one Cosmos', () => {
    let cosmos: EmbeddedCosmos;
    let a: BotUnderTest;
    let b: BotUnderTest;
    beforeAll(async () => {
      cosmos = await startEmbeddedCosmos();
      const env = {
        COSMOS_ENDPOINT: cosmos.endpoint,
        COSMOS_KEY: 'dummy',
        COSMOS_ALLOW_SELF_SIGNED: 'true',
        TICKETS_WEBHOOK_SECRET: SECRET,
        ...kb,
      };
      a = await startBotUnderTest(env);
      b = await startBotUnderTest(env);
    }, 120_000);
    afterAll(async () => {
      await a?.stop();
      await b?.stop();
      await cosmos?.close();
    });

    it('the same event sent to both at once is applied once: one 200, one 409, one message', async () => {
      const id = await createTicket(a, personalConversation());
      const body = JSON.stringify({ ticketId: id, status: 'in_progress', comment: 'Assigned to Sam.' });
      const headers = signedHeaders(body);
      const results = await Promise.all([postEvent(a, body, headers), postEvent(b, body, headers)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect((await readTicket(a, id)).updates).toHaveLength(1);
      await Promise.all([flushNotifications(a), flushNotifications(b)]);
      await flushNotifications(a);
      // The ticket came from a's conversation, so the message arrives at a's connector whichever instance sends it.
      expect(updateMessages(a, id)).toHaveLength(1);
      expect(updateMessages(b, id)).toHaveLength(0);
    });
  });
});

describe('without TICKETS_WEBHOOK_SECRET', () => {
  let t: BotUnderTest;
  beforeAll(async () => {
    t = await startBotUnderTest({ ...kb });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('the endpoint does not exist (404), signed or not, and nothing is accepted', async () => {
    const body = JSON.stringify({ ticketId: 'TKT-000001', status: 'resolved' });
    expect((await postEvent(t, body, signedHeaders(body))).status).toBe(404);
    expect((await postEvent(t, body, {})).status).toBe(404);
    expect(t.bot.business.ticketEvents).toBeUndefined();
  });
});
