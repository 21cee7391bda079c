import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TicketService } from '../../src/tickets/ticketService';
import type { CreatedTicket } from '../../src/tickets/ticket';
import { applyAssignment } from '../../src/tickets/ticketAssignment';
import { CosmosOutboxStore } from '../../src/tickets/webhook/outboxStore';
import { type CosmosFixture, startCosmosFixture } from '../actions/fixtures/cosmos';

const ALEX = { aadObjectId: '00000000-0000-0000-0000-00000000a001', name: 'Alex', channelUserId: '29:alex' };
const DANA = { aadObjectId: '00000000-0000-0000-0000-00000000a004', name: 'Dana' };
const ERIN = { aadObjectId: '00000000-0000-0000-0000-00000000a005', name: 'Erin', channelUserId: '29:erin' };
const SECRET = 'test-draft-secret-0123456789';
const ADDRESS = {
  channelId: 'msteams',
  serviceUrl: 'https://smba.example/',
  conversationId: 'a:1',
  conversationType: 'personal',
};
const input = {
  title: 'Dock does not charge',
  description: 'Since Monday.',
  category: 'technical' as const,
  priority: 'high' as const,
};

describe('applyAssignment (pure)', () => {
  const ticket: CreatedTicket = {
    id: 'd1',
    pk: ALEX.aadObjectId,
    type: 'ticket',
    status: 'in_progress',
    ticketId: 'TKT-000001',
    title: 't',
    description: 'd',
    category: 'technical',
    priority: 'normal',
    requester: ALEX,
    conversationId: 'a:1',
    draftedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    updates: [{ seq: 3, status: 'in_progress', previousStatus: 'open', at: 'x', by: 'webhook' }],
  };
  const at = '2026-02-01T00:00:00.000Z';

  it('assigns with an event that keeps the status and continues the sequence', () => {
    const r = applyAssignment(ticket, { to: DANA, by: `agent:${DANA.aadObjectId}` }, at);
    expect(r.kind).toBe('changed');
    if (r.kind !== 'changed') return;
    expect(r.next.assignee).toEqual({ aadObjectId: DANA.aadObjectId, name: 'Dana', assignedAt: at });
    expect(r.update).toEqual({
      seq: 4,
      status: 'in_progress',
      previousStatus: 'in_progress',
      at,
      by: `agent:${DANA.aadObjectId}`,
      assignment: { to: { aadObjectId: DANA.aadObjectId, name: 'Dana' } },
    });
  });

  it('is unchanged for the same assignee (ids compared case-insensitively) and for unassigning nobody', () => {
    const assigned = { ...ticket, assignee: { aadObjectId: DANA.aadObjectId, assignedAt: at } };
    const upper = { aadObjectId: DANA.aadObjectId.toUpperCase() };
    expect(applyAssignment(assigned, { to: upper, by: 'agent:x' }, at).kind).toBe('unchanged');
    expect(applyAssignment(ticket, { by: 'agent:x' }, at).kind).toBe('unchanged');
  });

  it('refuses a stale expectation and a closed ticket; unassigning removes the field', () => {
    const assigned = { ...ticket, assignee: { aadObjectId: DANA.aadObjectId, assignedAt: at } };
    expect(applyAssignment(assigned, { to: ERIN, by: 'agent:e', expectedAssigneeId: '' }, at).kind).toBe(
      'conflict',
    );
    expect(applyAssignment({ ...ticket, status: 'closed' }, { to: DANA, by: 'agent:d' }, at).kind).toBe(
      'refused',
    );
    const released = applyAssignment(assigned, { by: 'agent:d', expectedAssigneeId: DANA.aadObjectId }, at);
    expect(released.kind).toBe('changed');
    if (released.kind === 'changed') {
      expect('assignee' in released.next).toBe(false);
      expect(released.update.assignment).toEqual({ from: { aadObjectId: DANA.aadObjectId } });
    }
  });
});

describe('TicketService.assign and the agent views (embedded Cosmos, real SDK)', () => {
  let cosmos: CosmosFixture;
  let outbox: CosmosOutboxStore;
  let service: TicketService;

  beforeAll(async () => {
    cosmos = await startCosmosFixture(['tickets', 'outbox']);
    outbox = new CosmosOutboxStore(cosmos.container('outbox'));
    service = new TicketService({
      repository: cosmos.ticketRepository(),
      draftSecret: SECRET,
      outbox,
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
  async function entries(ticketId: string, event: string) {
    const { resources } = await cosmos
      .container('outbox')
      .items.query<{ body: string; event: string }>({
        query: 'SELECT * FROM c WHERE c.event = @e',
        parameters: [{ name: '@e', value: event }],
      })
      .fetchAll();
    return resources
      .map((e) => JSON.parse(e.body) as Record<string, any>)
      .filter((b) => (b.ticketId ?? b.update?.ticketId ?? b.id) === ticketId);
  }
  const agent = { aadObjectId: DANA.aadObjectId, canViewAll: true };

  it('queues the requester notice, the assignee notice (someone else assigned) and the webhook once each', async () => {
    const id = await file();
    const r = await service.assign(id, {
      to: { ...ERIN, address: ADDRESS },
      by: `agent:${DANA.aadObjectId}`,
      byName: 'Dana',
    });
    expect(r.outcome).toBe('changed');
    const [requester] = await entries(id, 'ticket.updated');
    expect(requester).toMatchObject({ ticketId: id, assignment: { to: { name: 'Erin' } } });
    expect(requester.address).toEqual(ADDRESS);
    const [assigned] = await entries(id, 'ticket.assigned');
    expect(assigned).toMatchObject({
      kind: 'assigned',
      ticketId: id,
      assignedBy: 'Dana',
      assignee: { aadObjectId: ERIN.aadObjectId, channelUserId: '29:erin' },
    });
    const webhooks = (await entries(id, 'ticket.updated')).filter((b) => b.event === 'ticket.updated');
    expect(webhooks).toHaveLength(1);
    expect(webhooks[0]!.update.assignment.to.aadObjectId).toBe(ERIN.aadObjectId);
    // The same again: nothing new is queued.
    expect((await service.assign(id, { to: ERIN, by: `agent:${DANA.aadObjectId}` })).outcome).toBe(
      'unchanged',
    );
    expect(await entries(id, 'ticket.assigned')).toHaveLength(1);
  });

  it('taking a ticket yourself queues no notice to yourself; without an address nobody is messaged', async () => {
    const id = await file();
    await service.assign(id, { to: DANA, by: `agent:${DANA.aadObjectId}` });
    expect(await entries(id, 'ticket.assigned')).toHaveLength(0);
    // The requester is still told who took it (the agent is not the requester).
    expect((await entries(id, 'ticket.updated')).filter((b) => b.address && b.assignment)).toHaveLength(1);
    // Given to Erin with no conversation to reach her in: stored, and simply not messaged.
    const other = await file();
    expect((await service.assign(other, { to: ERIN, by: `agent:${DANA.aadObjectId}` })).outcome).toBe(
      'changed',
    );
    expect(await entries(other, 'ticket.assigned')).toHaveLength(0);
  });

  it('lists what is assigned to the agent and what is unassigned; only with canViewAll', async () => {
    const mine = await file();
    const free = await file();
    await service.assign(mine, { to: DANA, by: `agent:${DANA.aadObjectId}` });
    const assigned = (await service.list(agent, 'assigned', 50))!.map((t) => t.ticketId);
    const unassigned = (await service.list(agent, 'unassigned', 50))!.map((t) => t.ticketId);
    expect(assigned).toContain(mine);
    expect(assigned).not.toContain(free);
    expect(unassigned).toContain(free);
    expect(unassigned).not.toContain(mine);
    expect(
      await service.list({ aadObjectId: ALEX.aadObjectId, canViewAll: false }, 'unassigned'),
    ).toBeUndefined();
    // Unassigned again: back in the unassigned view, and the requester is not told.
    const notices = async () => (await entries(mine, 'ticket.updated')).filter((b) => b.address);
    const webhooks = async () => (await entries(mine, 'ticket.updated')).filter((b) => b.event);
    const [noticesBefore, webhooksBefore] = [(await notices()).length, (await webhooks()).length];
    expect((await service.assign(mine, { by: `agent:${DANA.aadObjectId}` })).outcome).toBe('changed');
    expect((await service.list(agent, 'unassigned', 50))!.map((t) => t.ticketId)).toContain(mine);
    expect(await notices()).toHaveLength(noticesBefore);
    expect(await webhooks()).toHaveLength(webhooksBefore + 1);
  });

  it('a stale expectation changes nothing and reports who holds the ticket', async () => {
    const id = await file();
    await service.assign(id, { to: DANA, by: `agent:${DANA.aadObjectId}` });
    const r = await service.assign(id, { to: ERIN, by: `agent:${ERIN.aadObjectId}`, expectedAssigneeId: '' });
    expect(r.outcome).toBe('conflict');
    if (r.outcome === 'conflict') expect(r.ticket.assignee?.aadObjectId).toBe(DANA.aadObjectId);
    expect((await service.assign('TKT-999999', { to: DANA, by: 'agent:d' })).outcome).toBe('not_found');
  });

  it('concurrent takes by two agents converge on one assignee and one event each that won', async () => {
    const id = await file();
    const results = await Promise.all([
      service.assign(id, { to: DANA, by: `agent:${DANA.aadObjectId}`, expectedAssigneeId: '' }),
      service.assign(id, { to: ERIN, by: `agent:${ERIN.aadObjectId}`, expectedAssigneeId: '' }),
    ]);
    const outcomes = results.map((r) => r.outcome).sort();
    expect(outcomes).toEqual(['changed', 'conflict']);
    const doc = await service.getForViewer(id, agent);
    expect((doc?.updates ?? []).filter((u) => u.assignment)).toHaveLength(1);
  });
});
