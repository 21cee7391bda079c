import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketDraftCard } from '../../src/teams/cards/ticketCards';
import { manageContainer } from '../../src/storage/cosmosOperation';
import { TicketNumberCounter } from '../../src/tickets/ticketNumberCounter';
import { TicketService } from '../../src/tickets/ticketService';
import type { TicketDocument } from '../../src/tickets/ticket';
import { CosmosOutboxStore, type NewOutboxEntry } from '../../src/tickets/webhook/outboxStore';
import { WebhookDispatcher } from '../../src/tickets/webhook/webhookDispatcher';
import { WebhookReceiver } from '../fakes/webhookReceiver';
import { type CosmosFixture, startCosmosFixture } from '../actions/fixtures/cosmos';

const ALEX = { aadObjectId: '00000000-0000-0000-0000-00000000a001', name: 'Alex Johnson' };
const BEA = { aadObjectId: '00000000-0000-0000-0000-00000000a002', name: 'Bea Schmidt' };
const SECRET = 'test-draft-secret-0123456789';

const draftInput = {
  title: 'Keyboard arrived broken',
  description: 'Two keys are missing.',
  category: 'order' as const,
  priority: 'normal' as const,
  orderId: 'ORD-10421',
};

describe('TicketService (embedded Cosmos, real SDK)', () => {
  let cosmos: CosmosFixture;
  let tickets: Container;
  let outbox: CosmosOutboxStore;
  let service: TicketService;
  let enqueued = 0;

  beforeAll(async () => {
    cosmos = await startCosmosFixture(['tickets', 'outbox']);
    tickets = cosmos.container('tickets');
    outbox = new CosmosOutboxStore(cosmos.container('outbox'));
    service = new TicketService({
      repository: cosmos.ticketRepository(),
      draftSecret: SECRET,
      outbox,
      onEnqueued: () => enqueued++,
    });
  });
  afterAll(() => cosmos.close());

  async function rawDoc(id: string, pk: string) {
    const { resource } = await tickets.item(id, pk).read<TicketDocument & { _etag: string }>();
    return resource;
  }
  async function createdCount(): Promise<number> {
    const { resources } = await tickets.items
      .query<number>('SELECT VALUE COUNT(1) FROM c WHERE c.type = "ticket" AND IS_DEFINED(c.ticketId)')
      .fetchAll();
    return resources[0];
  }

  it('drafts a ticket with a signed Confirm/Cancel card and an editable priority', async () => {
    const { draft, sig } = await service.draft(draftInput, ALEX, 'conv-1');
    expect(sig).toBe(service.signDraft(draft.id));
    // The service returns data; the Teams layer renders the review card from it.
    const card = ticketDraftCard(draft, sig);
    expect(draft.status).toBe('draft');
    expect(draft.ticketId).toBeUndefined();
    expect(draft.ttl).toBe(7 * 24 * 3600);
    expect((await rawDoc(draft.id, ALEX.aadObjectId))?.requester.aadObjectId).toBe(ALEX.aadObjectId);
    const json = JSON.stringify(card);
    expect(json).toContain('"verb":"ticket.confirm"');
    expect(json).toContain('"verb":"ticket.cancel"');
    expect(json).toContain(`"draftId":"${draft.id}"`);
    expect(json).toContain(`"sig":"${service.signDraft(draft.id)}"`);
    expect(json).toContain('"id":"priority"');
  });

  it('confirms a draft into a TKT ticket, enqueues the webhook once, and is idempotent', async () => {
    const { draft } = await service.draft(draftInput, ALEX, 'conv-1');
    const before = enqueued;
    const first = await service.confirm(draft.id, ALEX, {
      sig: service.signDraft(draft.id),
      priority: 'high',
    });
    expect(first.ok && first.outcome).toBe('created');
    if (!first.ok) throw new Error(first.error);
    expect(first.ticket.ticketId).toMatch(/^TKT-\d{6}$/);
    expect(first.ticket.priority).toBe('high');
    const stored = await rawDoc(draft.id, ALEX.aadObjectId);
    expect(stored?.status).toBe('open');
    expect(stored?.ttl).toBe(-1);
    expect(stored?.ticketId).toBe(first.ticket.ticketId);

    const again = await service.confirm(draft.id, ALEX, { sig: service.signDraft(draft.id) });
    expect(again.ok && again.outcome).toBe('already_created');
    expect(again.ok && again.ticket.ticketId).toBe(first.ticket.ticketId);
    expect(enqueued - before).toBe(1);
    const entry = await outbox.get(`ticket.created.${first.ticket.ticketId}`);
    expect(entry?.status).toBe('pending');
    expect(JSON.parse(entry?.body ?? '{}')).toMatchObject({
      event: 'ticket.created',
      id: first.ticket.ticketId,
      ticket: {
        title: draftInput.title,
        priority: 'high',
        orderId: 'ORD-10421',
        requester: { aadObjectId: ALEX.aadObjectId },
      },
    });
  });

  it('two concurrent confirms of one draft create exactly one ticket with one id', async () => {
    const { draft } = await service.draft(draftInput, ALEX, 'conv-2');
    const sig = service.signDraft(draft.id);
    const countBefore = await createdCount();
    const [a, b] = await Promise.all([
      service.confirm(draft.id, ALEX, { sig }),
      service.confirm(draft.id, ALEX, { sig }),
    ]);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) throw new Error('confirm failed');
    expect(a.ticket.ticketId).toBe(b.ticket.ticketId);
    expect([a.outcome, b.outcome].sort()).toEqual(['already_created', 'created']);
    expect(await createdCount()).toBe(countBefore + 1);
  });

  it('refuses a confirm from someone who is not the requester and writes nothing', async () => {
    const { draft } = await service.draft(draftInput, ALEX, 'conv-3');
    const before = await rawDoc(draft.id, ALEX.aadObjectId);
    const result = await service.confirm(draft.id, BEA, { sig: service.signDraft(draft.id) });
    expect(result).toMatchObject({ ok: false, code: 'forbidden' });
    expect(!result.ok && result.error).toContain('only the person who drafted it');
    const after = await rawDoc(draft.id, ALEX.aadObjectId);
    expect(after?._etag).toBe(before?._etag);
    expect(after?.status).toBe('draft');
  });

  it('refuses a tampered draft id or signature before touching the database', async () => {
    const { draft } = await service.draft(draftInput, ALEX, 'conv-4');
    const other = await service.draft(draftInput, ALEX, 'conv-4');
    const tamperedId = await service.confirm(other.draft.id, ALEX, { sig: service.signDraft(draft.id) });
    expect(tamperedId).toMatchObject({ ok: false, code: 'forbidden' });
    const badSig = await service.confirm(draft.id, ALEX, { sig: 'ab'.repeat(32) });
    expect(badSig).toMatchObject({ ok: false, code: 'forbidden' });
    const garbage = await service.confirm(draft.id, ALEX, { sig: 'not-hex' });
    expect(garbage).toMatchObject({ ok: false, code: 'forbidden' });
    expect((await rawDoc(draft.id, ALEX.aadObjectId))?.status).toBe('draft');
    expect((await rawDoc(other.draft.id, ALEX.aadObjectId))?.status).toBe('draft');
  });

  it('refuses an unknown draft id even with a valid signature', async () => {
    const id = '11111111-2222-4333-8444-555555555555';
    const result = await service.confirm(id, ALEX, { sig: service.signDraft(id) });
    expect(result).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('cancels a draft; a cancelled draft cannot be confirmed and a created one cannot be cancelled', async () => {
    const { draft } = await service.draft(draftInput, ALEX, 'conv-5');
    const sig = service.signDraft(draft.id);
    const cancelled = await service.cancel(draft.id, ALEX, { sig });
    expect(cancelled.ok && cancelled.outcome).toBe('cancelled');
    expect((await rawDoc(draft.id, ALEX.aadObjectId))?.status).toBe('cancelled');
    expect(await service.cancel(draft.id, ALEX, { sig })).toMatchObject({
      ok: true,
      outcome: 'already_cancelled',
    });
    expect(await service.confirm(draft.id, ALEX, { sig })).toMatchObject({ ok: false, code: 'conflict' });

    const created = await service.draft(draftInput, ALEX, 'conv-5');
    const csig = service.signDraft(created.draft.id);
    await service.confirm(created.draft.id, ALEX, { sig: csig });
    expect(await service.cancel(created.draft.id, ALEX, { sig: csig })).toMatchObject({
      ok: false,
      code: 'conflict',
    });
    expect(await service.cancel(created.draft.id, BEA, { sig: csig })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
  });

  it('shows a ticket to its requester and a support agent, and hides it from others like an unknown one', async () => {
    const { draft } = await service.draft(draftInput, ALEX, 'conv-6');
    const res = await service.confirm(draft.id, ALEX, { sig: service.signDraft(draft.id) });
    if (!res.ok) throw new Error(res.error);
    const id = res.ticket.ticketId as string;
    expect(
      (await service.getForViewer(id, { aadObjectId: ALEX.aadObjectId, canViewAll: false }))?.title,
    ).toBe(draftInput.title);
    expect(
      await service.getForViewer(id, { aadObjectId: BEA.aadObjectId, canViewAll: false }),
    ).toBeUndefined();
    expect(
      await service.getForViewer('TKT-999999', { aadObjectId: ALEX.aadObjectId, canViewAll: false }),
    ).toBeUndefined();
    expect(
      (await service.getForViewer(id, { aadObjectId: BEA.aadObjectId, canViewAll: true }))?.ticketId,
    ).toBe(id);
  });

  it('reconcileWebhooks enqueues a created ticket whose outbox write was lost, exactly once', async () => {
    // A service without outbox stands in for a process that crashed right after storing the ticket.
    const crashed = new TicketService({ repository: cosmos.ticketRepository(), draftSecret: SECRET });
    const { draft } = await crashed.draft(draftInput, ALEX, 'conv-7');
    const res = await crashed.confirm(draft.id, ALEX, { sig: crashed.signDraft(draft.id) });
    if (!res.ok) throw new Error(res.error);
    const outboxId = `ticket.created.${res.ticket.ticketId}`;
    expect(await outbox.get(outboxId)).toBeUndefined();

    const since = new Date(Date.parse(res.ticket.confirmedAt as string) - 1000);
    expect(await service.reconcileWebhooks(since)).toBe(1);
    expect((await outbox.get(outboxId))?.status).toBe('pending');
    expect(await service.reconcileWebhooks(since)).toBe(0);
    expect(await crashed.reconcileWebhooks(since)).toBe(0);
  });

  it('rejects a short draft secret', () => {
    expect(() => new TicketService({ repository: cosmos.ticketRepository(), draftSecret: 'short' })).toThrow(
      /16 characters/,
    );
  });

  it("adds a detail to the requester's newest draft of the conversation only", async () => {
    const older = await service.draft(draftInput, ALEX, 'conv-detail');
    const newer = await service.draft({ ...draftInput, title: 'Laptop will not boot' }, ALEX, 'conv-detail');
    const elsewhere = await service.draft(draftInput, ALEX, 'conv-other-detail');
    const added = await service.addToLatestDraft(ALEX, 'conv-detail', 'It shows a blue screen.');
    expect(added?.draft.id).toBe(newer.draft.id);
    expect(added?.sig).toBe(service.signDraft(newer.draft.id));
    expect((await rawDoc(newer.draft.id, ALEX.aadObjectId))?.description).toBe(
      'Two keys are missing.\n\nIt shows a blue screen.',
    );
    expect((await rawDoc(older.draft.id, ALEX.aadObjectId))?.description).toBe('Two keys are missing.');
    expect((await rawDoc(elsewhere.draft.id, ALEX.aadObjectId))?.description).toBe('Two keys are missing.');
    // Another user, a conversation without drafts, and a confirmed draft: nothing to add to.
    expect(await service.addToLatestDraft(BEA, 'conv-detail', 'mine?')).toBeUndefined();
    expect(await service.addToLatestDraft(ALEX, 'conv-none', 'x')).toBeUndefined();
    const only = await service.draft(draftInput, ALEX, 'conv-confirmed');
    await service.confirm(only.draft.id, ALEX, { sig: only.sig });
    expect(await service.addToLatestDraft(ALEX, 'conv-confirmed', 'late detail')).toBeUndefined();
  });

  it('hands out distinct consecutive numbers under concurrency (ETag-guarded counter)', async () => {
    const counter = new TicketNumberCounter(manageContainer(tickets), { id: 'test-counter', pk: 'counters' });
    const numbers = await Promise.all(Array.from({ length: 8 }, () => counter.next()));
    expect([...numbers].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('TicketService with an outbox write that fails (fault injection)', () => {
  let own: CosmosFixture;
  beforeAll(async () => {
    own = await startCosmosFixture(['tickets', 'outbox']);
  });
  afterAll(() => own.close());

  it('an outbox write that fails once: the ticket is created, the reconciler forwards it exactly once', async () => {
    // The outbox write fails once, after the ticket was stored (two separate writes).
    class FailingOnceOutbox extends CosmosOutboxStore {
      calls = 0;
      override async enqueue(entry: NewOutboxEntry, now?: number) {
        if (++this.calls === 1) throw new Error('injected outbox write failure');
        return super.enqueue(entry, now);
      }
    }
    const flaky = new FailingOnceOutbox(own.container('outbox'));
    const faulty = new TicketService({
      repository: own.ticketRepository(),
      draftSecret: SECRET,
      outbox: flaky,
    });
    const { draft } = await faulty.draft(draftInput, ALEX, 'conv-8');
    const res = await faulty.confirm(draft.id, ALEX, { sig: faulty.signDraft(draft.id) });
    // The user sees the created ticket, not an error card that would hide the stored ticket.
    if (!res.ok) throw new Error(res.error);
    expect(res.outcome).toBe('created');
    expect(flaky.calls).toBe(1);
    const ticketId = res.ticket.ticketId!;
    const outboxId = `ticket.created.${res.ticket.ticketId}`;
    expect(await flaky.get(outboxId)).toBeUndefined();

    const receiver = await new WebhookReceiver().start();
    const dispatcher = new WebhookDispatcher({
      outbox: flaky,
      url: receiver.url,
      secret: 'reconcile-webhook-secret-0123',
      pollIntervalMs: 50,
      reconcileIntervalMs: 50,
      reconcile: () => faulty.reconcileWebhooks(new Date(Date.now() - 60_000)),
    });
    try {
      dispatcher.start();
      await expect
        .poll(async () => (await flaky.get(outboxId))?.status, { timeout: 10_000 })
        .toBe('delivered');
      // Several more reconcile passes: still one delivery.
      const passes = flaky.calls;
      await expect.poll(() => flaky.calls, { timeout: 10_000 }).toBeGreaterThan(passes + 3);
      await dispatcher.flush();
      const forThisTicket = receiver.deliveries.filter((d) => d.raw.includes(ticketId));
      expect(forThisTicket).toHaveLength(1);
    } finally {
      await dispatcher.stop();
      await receiver.stop();
    }
    const { resources } = await own
      .container('tickets')
      .items.query({
        query: 'SELECT VALUE COUNT(1) FROM c WHERE c.type = "ticket" AND c.ticketId = @id',
        parameters: [{ name: '@id', value: ticketId }],
      })
      .fetchAll();
    expect(resources).toEqual([1]);
  });
});
