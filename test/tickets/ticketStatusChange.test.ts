import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TicketService } from '../../src/tickets/ticketService';
import type { TicketDocument } from '../../src/tickets/ticket';
import type { TicketUpdateNotice } from '../../src/tickets/ticketUpdateNotice';
import { CosmosOutboxStore, type NewOutboxEntry } from '../../src/tickets/webhook/outboxStore';
import { type CosmosFixture, startCosmosFixture } from '../actions/fixtures/cosmos';

const ALEX = { aadObjectId: '00000000-0000-0000-0000-00000000a001', name: 'Alex', channelUserId: '29:alex' };
const SECRET = 'test-draft-secret-0123456789';
const ADDRESS = {
  channelId: 'msteams',
  serviceUrl: 'https://smba.example/',
  conversationId: 'a:1',
  conversationType: 'personal',
};
const input = {
  title: 'Printer jams',
  description: 'Every page.',
  category: 'technical' as const,
  priority: 'normal' as const,
};

/** An outbox whose notification writes can be made to fail, as when Cosmos drops the second write. */
class FlakyOutbox extends CosmosOutboxStore {
  failNotifications = false;
  override async enqueue(entry: NewOutboxEntry, now?: number) {
    if (this.failNotifications && entry.kind === 'notification') throw new Error('cosmos went away');
    return super.enqueue(entry, now);
  }
}

describe('TicketService.changeStatus (embedded Cosmos, real SDK)', () => {
  let cosmos: CosmosFixture;
  let tickets: Container;
  let outbox: FlakyOutbox;
  let service: TicketService;

  beforeAll(async () => {
    cosmos = await startCosmosFixture(['tickets', 'outbox']);
    tickets = cosmos.container('tickets');
    outbox = new FlakyOutbox(cosmos.container('outbox'));
    service = new TicketService({
      repository: cosmos.ticketRepository(),
      draftSecret: SECRET,
      notifications: { outbox },
    });
  });
  afterAll(() => cosmos.close());

  async function file(): Promise<string> {
    const { draft } = await service.draft(input, ALEX, 'a:1', ADDRESS);
    const r = await service.confirm(draft.id, ALEX, { sig: service.signDraft(draft.id) });
    if (!r.ok) throw new Error(r.error);
    return r.ticket.ticketId!;
  }
  async function read(ticketId: string): Promise<TicketDocument> {
    const { resources } = await tickets.items
      .query<TicketDocument>({
        query: 'SELECT * FROM c WHERE c.ticketId = @t',
        parameters: [{ name: '@t', value: ticketId }],
      })
      .fetchAll();
    return resources[0];
  }
  async function notices(ticketId: string): Promise<TicketUpdateNotice[]> {
    const { resources } = await cosmos
      .container('outbox')
      .items.query<{ body: string }>('SELECT * FROM c WHERE c.kind = "notification"')
      .fetchAll();
    return resources
      .map((e) => JSON.parse(e.body) as TicketUpdateNotice)
      .filter((n) => n.ticketId === ticketId);
  }

  it('stores the address and channel user id with the draft, and one notice per change', async () => {
    const id = await file();
    const doc = await read(id);
    expect(doc.address).toEqual(ADDRESS);
    expect(doc.requester.channelUserId).toBe('29:alex');
    const r = await service.changeStatus(id, { status: 'resolved', comment: 'Fixed.', by: 'webhook' });
    expect(r.outcome).toBe('changed');
    expect(await notices(id)).toEqual([
      expect.objectContaining({
        status: 'resolved',
        previousStatus: 'open',
        comment: 'Fixed.',
        seq: 1,
        address: ADDRESS,
      }),
    ]);
  });

  it('concurrent notes on one ticket are all kept, each with its own number (ETag-guarded, no lost update)', async () => {
    const id = await file();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        service.changeStatus(id, { status: 'in_progress', comment: `note ${i}`, by: 'webhook' }),
      ),
    );
    expect(results.every((r) => r.outcome === 'changed')).toBe(true);
    const doc = await read(id);
    expect(doc.updates?.map((u) => u.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(doc.updates?.map((u) => u.comment)).size).toBe(8);
    expect((await notices(id)).map((n) => n.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('a lost notification write leaves the status stored, and the reconciler queues it once', async () => {
    const id = await file();
    outbox.failNotifications = true;
    try {
      expect((await service.changeStatus(id, { status: 'closed', by: 'webhook' })).outcome).toBe('changed');
    } finally {
      outbox.failNotifications = false;
    }
    expect((await read(id)).status).toBe('closed');
    expect(await notices(id)).toHaveLength(0);
    const since = new Date(Date.now() - 60_000);
    expect(await service.reconcileNotifications(since)).toBeGreaterThanOrEqual(1);
    expect(await notices(id)).toHaveLength(1);
    await service.reconcileNotifications(since);
    expect(await notices(id)).toHaveLength(1);
  });

  it('a viewer without canViewAll finds only their own tickets; a requester’s own change is not notified', async () => {
    const id = await file();
    const other = { aadObjectId: '00000000-0000-0000-0000-00000000a002', canViewAll: false };
    expect(
      (await service.changeStatus(id, { status: 'closed', by: `requester:${other.aadObjectId}` }, other))
        .outcome,
    ).toBe('not_found');
    const own = { aadObjectId: ALEX.aadObjectId, canViewAll: false };
    expect(
      (await service.changeStatus(id, { status: 'closed', by: `requester:${ALEX.aadObjectId}` }, own))
        .outcome,
    ).toBe('changed');
    expect(await notices(id)).toHaveLength(0);
  });
});
