import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CreatedTicket, TicketDocument } from '../../src/tickets/ticket';
import type { TicketRepository } from '../../src/tickets/ticketRepository';

/**
 * The TicketRepository contract: what TicketService relies on. Every implementation runs it
 * (test/conformance/ticketRepository.test.ts). Each test works in fresh partitions, so the
 * repository may be shared between tests.
 */
export function ticketRepositoryConformanceSuite(
  name: string,
  makeRepository: () => Promise<TicketRepository> | TicketRepository,
): void {
  describe(`TicketRepository conformance: ${name}`, () => {
    let repo: TicketRepository;
    let owner: string;
    beforeEach(async () => {
      repo = await makeRepository();
      owner = `owner-${randomUUID()}`;
    });

    const draft = (over: Partial<TicketDocument> = {}): TicketDocument => ({
      id: randomUUID(),
      pk: owner,
      type: 'ticket',
      status: 'draft',
      title: 'Keyboard arrived broken',
      description: 'Two keys are missing — ✓ ünïcode kept',
      category: 'order',
      priority: 'normal',
      requester: { aadObjectId: owner, name: 'Alex' },
      conversationId: 'conv-1',
      draftedAt: '2026-01-01T10:00:00.000Z',
      updatedAt: '2026-01-01T10:00:00.000Z',
      ttl: 3600,
      ...over,
    });
    const created = (n: number, over: Partial<TicketDocument> = {}): CreatedTicket => ({
      ...draft(over),
      status: 'open',
      ticketId: `TKT-T${n}-${randomUUID().slice(0, 8)}`,
      confirmedAt: '2026-01-02T10:00:00.000Z',
      ttl: -1,
      ...over,
    });

    it('creates a ticket and reads it back unchanged, without storage fields, with a version', async () => {
      const doc = draft();
      expect(await repo.create(doc)).toBe('created');
      const stored = await repo.read(doc.id, owner);
      expect(stored?.doc).toEqual(doc);
      expect(Object.keys(stored!.doc).some((k) => k.startsWith('_'))).toBe(false);
      expect(stored?.version).toMatch(/.+/);
    });

    it('refuses a second ticket with the same id in the same partition, keeping the first', async () => {
      const doc = draft();
      await repo.create(doc);
      expect(await repo.create({ ...doc, title: 'second' })).toBe('exists');
      expect((await repo.read(doc.id, owner))?.doc.title).toBe(doc.title);
    });

    it('reads nothing for an unknown id or another partition', async () => {
      const doc = draft();
      await repo.create(doc);
      expect(await repo.read(randomUUID(), owner)).toBeUndefined();
      expect(await repo.read(doc.id, `someone-else-${randomUUID()}`)).toBeUndefined();
    });

    it('replaces only while the version read is current; exactly one of two racing writers wins', async () => {
      const doc = draft();
      await repo.create(doc);
      const v1 = (await repo.read(doc.id, owner))!;
      const results = await Promise.all([
        repo.replaceIfUnchanged(v1, { ...doc, title: 'A' }),
        repo.replaceIfUnchanged(v1, { ...doc, title: 'B' }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const v2 = (await repo.read(doc.id, owner))!;
      expect(v2.doc.title).toBe(results[0] ? 'A' : 'B');
      expect(v2.version).not.toBe(v1.version);
      expect(await repo.replaceIfUnchanged(v1, { ...doc, title: 'stale' })).toBe(false);
      expect(await repo.replaceIfUnchanged(v2, { ...doc, title: 'C' })).toBe(true);
      expect((await repo.read(doc.id, owner))?.doc.title).toBe('C');
    });

    it('a guarded replace of a ticket that no longer exists reports false', async () => {
      const doc = draft();
      const ghost = { doc, version: '"never-stored"' };
      expect(await repo.replaceIfUnchanged(ghost, { ...doc, title: 'x' })).toBe(false);
      expect(await repo.read(doc.id, owner)).toBeUndefined();
    });

    it('replaces unconditionally', async () => {
      const doc = created(1);
      await repo.create(doc);
      await repo.replace({ ...doc, handoff: { notice: 'sent', noticeAt: '2026-01-03T00:00:00.000Z' } });
      expect((await repo.read(doc.id, owner))?.doc.handoff).toEqual({
        notice: 'sent',
        noticeAt: '2026-01-03T00:00:00.000Z',
      });
    });

    it('finds a created ticket by its TKT id, in any partition or only in the owner’s', async () => {
      const doc = created(2);
      await repo.create(doc);
      await repo.create(draft()); // a draft has no TKT id: never found
      const any = await repo.findCreated(doc.ticketId);
      expect(any?.doc).toEqual(doc);
      expect(any?.version).toMatch(/.+/);
      expect((await repo.findCreated(doc.ticketId, owner))?.doc.id).toBe(doc.id);
      expect(await repo.findCreated(doc.ticketId, `someone-else-${randomUUID()}`)).toBeUndefined();
      expect(await repo.findCreated('TKT-does-not-exist')).toBeUndefined();
    });

    it('a version from findCreated guards a replace like one from read', async () => {
      const doc = created(3);
      await repo.create(doc);
      const found = (await repo.findCreated(doc.ticketId))!;
      expect(await repo.replaceIfUnchanged(found, { ...doc, status: 'in_progress' })).toBe(true);
      expect(await repo.replaceIfUnchanged(found, { ...doc, status: 'resolved' })).toBe(false);
      expect((await repo.findCreated(doc.ticketId))?.doc.status).toBe('in_progress');
    });

    it('lists tickets confirmed since a time, and created tickets with updates changed since a time', async () => {
      const since = '2030-05-01T00:00:00.000Z';
      const recent = created(4, { confirmedAt: '2030-05-02T00:00:00.000Z' });
      const old = created(5, { confirmedAt: '2030-04-01T00:00:00.000Z' });
      const update = {
        seq: 1,
        status: 'in_progress' as const,
        previousStatus: 'open' as const,
        at: '2030-05-03T00:00:00.000Z',
        by: 'webhook',
      };
      const updated = created(6, {
        confirmedAt: '2030-04-01T00:00:00.000Z',
        updatedAt: '2030-05-03T00:00:00.000Z',
        updates: [update],
      });
      const staleUpdate = created(7, { updatedAt: '2030-04-03T00:00:00.000Z', updates: [update] });
      for (const d of [recent, old, updated, staleUpdate, draft({ confirmedAt: '2030-05-02T00:00:00.000Z' })])
        await repo.create(d);
      const confirmed = (await repo.confirmedSince(since)).filter((d) => d.pk === owner);
      expect(confirmed.map((d) => d.id)).toEqual([recent.id]);
      expect(confirmed[0]).toEqual(recent);
      const changed = (await repo.updatedSince(since)).filter((d) => d.pk === owner);
      expect(changed.map((d) => d.id)).toEqual([updated.id]);
      expect(changed[0]).toEqual(updated);
    });

    it('lists the requester’s handoff tickets of one conversation only', async () => {
      const mine = created(8, { category: 'handoff', conversationId: 'conv-h' });
      const closed = created(9, { category: 'handoff', conversationId: 'conv-h', status: 'closed' });
      const otherConversation = created(10, { category: 'handoff', conversationId: 'conv-other' });
      const notHandoff = created(11, { conversationId: 'conv-h' });
      for (const d of [mine, closed, otherConversation, notHandoff]) await repo.create(d);
      const found = await repo.handoffs(owner, 'conv-h');
      expect(found.map((d) => d.id).sort()).toEqual([mine.id, closed.id].sort());
      expect(found.find((d) => d.id === mine.id)).toEqual(mine);
      expect(await repo.handoffs(`someone-else-${randomUUID()}`, 'conv-h')).toEqual([]);
    });

    it('lists the requester’s unconfirmed drafts of one conversation only', async () => {
      const mine = draft({ conversationId: 'conv-d' });
      const confirmedOne = created(16, { conversationId: 'conv-d' });
      const otherConversation = draft({ conversationId: 'conv-d-other' });
      for (const d of [mine, confirmedOne, otherConversation]) await repo.create(d);
      const found = await repo.drafts(owner, 'conv-d');
      expect(found.map((d) => d.doc.id)).toEqual([mine.id]);
      expect(found[0]!.doc).toEqual(mine);
      expect(found[0]!.version).toBeTruthy();
      expect(await repo.drafts(`someone-else-${randomUUID()}`, 'conv-d')).toEqual([]);
    });

    it("lists created tickets newest first: one owner's, limited, and everyone's by status", async () => {
      const older = created(12, { confirmedAt: '2026-02-01T10:00:00.000Z' });
      const newer = created(13, { confirmedAt: '2026-02-03T10:00:00.000Z', status: 'in_progress' });
      const closed = created(14, { confirmedAt: '2026-02-02T10:00:00.000Z', status: 'closed' });
      const unconfirmed = draft();
      const otherOwner = `owner-${randomUUID()}`;
      const theirs = created(15, { pk: otherOwner, requester: { aadObjectId: otherOwner } });
      for (const d of [older, newer, closed, unconfirmed, theirs]) await repo.create(d);

      const mine = await repo.listCreated({ owner, limit: 10 });
      expect(mine.map((d) => d.id)).toEqual([newer.id, closed.id, older.id]);
      expect(mine[0]).toEqual(newer);
      expect((await repo.listCreated({ owner, limit: 2 })).map((d) => d.id)).toEqual([newer.id, closed.id]);
      expect(
        (await repo.listCreated({ owner, statuses: ['open', 'in_progress'], limit: 10 })).map((d) => d.id),
      ).toEqual([newer.id, older.id]);

      const queue = await repo.listCreated({ statuses: ['open', 'in_progress'], limit: 1000 });
      const ids = queue.map((d) => d.id);
      for (const d of [older, newer, theirs]) expect(ids).toContain(d.id);
      expect(ids).not.toContain(closed.id);
      expect(ids).not.toContain(unconfirmed.id);
      const times = queue.map((d) => d.confirmedAt ?? '');
      expect(times).toEqual([...times].sort().reverse());
    });

    it('hands out distinct increasing ticket numbers, also under concurrency', async () => {
      const first = await repo.nextTicketNumber();
      const numbers = await Promise.all(Array.from({ length: 6 }, () => repo.nextTicketNumber()));
      expect(new Set(numbers).size).toBe(6);
      for (const n of numbers) expect(n).toBeGreaterThan(first);
      expect(await repo.nextTicketNumber()).toBeGreaterThan(Math.max(...numbers));
    });
  });
}
