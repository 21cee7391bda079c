import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CosmosOutboxStore } from '../../src/tickets/webhook/outboxStore';
import {
  WebhookDispatcher,
  type WebhookDispatcherOptions,
} from '../../src/tickets/webhook/webhookDispatcher';
import { TicketService } from '../../src/tickets/ticketService';
import { type CosmosFixture, startCosmosFixture } from '../actions/fixtures/cosmos';
import { WebhookReceiver } from '../fakes/webhookReceiver';

const SECRET = 'whsec-test-0123456789abcdef';
let seq = 0;
const uniqueKey = () => `TKT-${String(900000 + ++seq)}`;

describe('WebhookDispatcher (durable outbox in embedded Cosmos, local receiver)', () => {
  let cosmos: CosmosFixture;
  let outbox: CosmosOutboxStore;
  let receiver: WebhookReceiver;
  let clock: number;
  const dispatchers: WebhookDispatcher[] = [];

  function dispatcher(extra: Partial<WebhookDispatcherOptions> = {}): WebhookDispatcher {
    const d = new WebhookDispatcher({
      outbox,
      url: receiver.url,
      secret: SECRET,
      initialDelayMs: 200,
      maxDelayMs: 1000,
      timeoutMs: 2000,
      now: () => clock,
      ...extra,
    });
    dispatchers.push(d);
    return d;
  }

  async function enqueue(key = uniqueKey()): Promise<string> {
    const body = JSON.stringify({ event: 'ticket.created', id: key });
    await outbox.enqueue(
      { id: `ticket.created.${key}`, event: 'ticket.created', idempotencyKey: key, body },
      clock,
    );
    return key;
  }

  beforeAll(async () => {
    cosmos = await startCosmosFixture(['tickets', 'outbox']);
    outbox = new CosmosOutboxStore(cosmos.container('outbox'));
  });
  afterAll(() => cosmos.close());
  beforeEach(async () => {
    clock = Date.now();
    receiver = new WebhookReceiver(SECRET);
    await receiver.start();
  });
  afterEach(async () => {
    await Promise.all(dispatchers.splice(0).map((d) => d.stop()));
    await receiver.stop();
    // Drain anything a test left due so it does not leak into the next one.
    const leftovers = await outbox.due(Number.MAX_SAFE_INTEGER, 1000);
    for (const e of leftovers) await cosmos.container('outbox').item(e.id, e.pk).delete();
  });

  it('delivers a signed POST once and marks the entry delivered', async () => {
    const key = await enqueue();
    const d = dispatcher();
    expect(await d.flush()).toMatchObject({ delivered: 1, failed: 0 });
    expect(receiver.countFor(key)).toBe(1);
    expect(receiver.deliveries[0]).toMatchObject({
      event: 'ticket.created',
      body: { id: key },
      signatureValid: true,
    });
    const entry = await outbox.get(`ticket.created.${key}`);
    expect(entry).toMatchObject({ status: 'delivered', attempts: 1, leaseUntil: 0 });
    expect(entry?.ttl).toBeUndefined();
    expect(await d.flush()).toMatchObject({ delivered: 0 });
    expect(receiver.countFor(key)).toBe(1);
  });

  it('keeps the entry while the receiver is down and delivers it exactly once when it is back', async () => {
    const port = receiver.port;
    await receiver.stop();
    const key = await enqueue();
    const d = dispatcher();

    expect(await d.flush()).toMatchObject({ delivered: 0, failed: 1 });
    const failed = await outbox.get(`ticket.created.${key}`);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, ttl: -1 });
    expect(failed?.lastError).toBeTruthy();
    expect(failed!.nextAttemptAt).toBeGreaterThan(clock);
    expect(failed!.nextAttemptAt).toBeLessThanOrEqual(clock + 1000);

    // Not due yet: nothing is attempted.
    expect(await d.flush()).toMatchObject({ delivered: 0, failed: 0 });

    await receiver.start(port);
    clock = failed!.nextAttemptAt;
    expect(await d.flush()).toMatchObject({ delivered: 1 });
    clock += 60_000;
    await d.flush();
    expect(receiver.countFor(key)).toBe(1);
    expect(await outbox.get(`ticket.created.${key}`)).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('retries on HTTP errors with jittered backoff capped at maxDelay and marks the entry dead after maxAttempts', async () => {
    receiver.failWith = 503;
    const key = await enqueue();
    const d = dispatcher({ maxAttempts: 3 });
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      await d.flush();
      const e = await outbox.get(`ticket.created.${key}`);
      delays.push(e!.nextAttemptAt - clock);
      expect(e?.lastError).toBe('HTTP 503');
      clock = e!.nextAttemptAt;
    }
    const entry = await outbox.get(`ticket.created.${key}`);
    expect(entry).toMatchObject({ status: 'dead', attempts: 3, ttl: -1 });
    expect(delays.every((ms) => ms > 0 && ms <= 1000)).toBe(true);
    receiver.failWith = undefined;
    clock += 3_600_000;
    expect(await d.flush()).toMatchObject({ delivered: 0 });
    expect(receiver.countFor(key)).toBe(0);
  });

  it('two dispatcher instances flushing together send each entry exactly once (ETag-guarded claim)', async () => {
    const keys = [await enqueue(), await enqueue(), await enqueue(), await enqueue()];
    const [r1, r2] = await Promise.all([dispatcher().flush(), dispatcher().flush()]);
    expect(r1.delivered + r2.delivered).toBe(4);
    for (const key of keys) expect(receiver.countFor(key)).toBe(1);
  });

  it('start() polls for due entries and stop() ends polling', async () => {
    const d = dispatcher({ pollIntervalMs: 25, now: () => Date.now() });
    d.start();
    const key = await enqueue();
    await vi.waitFor(() => expect(receiver.countFor(key)).toBe(1), { timeout: 5000, interval: 20 });
    await d.stop();
  });

  it('rejects bad configuration with a clear error', () => {
    expect(() => dispatcher({ url: 'nope' })).toThrow(/TICKETS_WEBHOOK_URL/);
    expect(() => dispatcher({ secret: 'short' })).toThrow(/TICKETS_WEBHOOK_SECRET/);
  });

  it('end to end: draft → confirm → the receiver gets the created ticket, signed', async () => {
    const d = dispatcher({ now: () => Date.now() });
    const tickets = new TicketService({
      repository: cosmos.ticketRepository(),
      draftSecret: 'draft-secret-0123456789',
      outbox,
      onEnqueued: () => void d.flush(),
    });
    const alex = { aadObjectId: '00000000-0000-0000-0000-00000000a001', name: 'Alex Johnson' };
    const { draft } = await tickets.draft(
      {
        title: 'Late delivery',
        description: 'Still not here.',
        category: 'delivery',
        priority: 'normal',
        orderId: 'ORD-10421',
      },
      alex,
      'conv-e2e',
    );
    const result = await tickets.confirm(draft.id, alex, { sig: tickets.signDraft(draft.id) });
    if (!result.ok) throw new Error(result.error);
    const ticketId = result.ticket.ticketId as string;
    // The key is the draft's UUID, never the ticket number (which restarts on a fresh database).
    await vi.waitFor(() => expect(receiver.countFor(draft.id)).toBe(1), { timeout: 5000, interval: 20 });
    expect(draft.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(receiver.countFor(ticketId)).toBe(0);
    expect(receiver.deliveries.find((x) => x.idempotencyKey === draft.id)?.body).toMatchObject({
      event: 'ticket.created',
      id: ticketId,
      ticket: { ticketId, title: 'Late delivery', status: 'open', orderId: 'ORD-10421' },
    });
  });
});
