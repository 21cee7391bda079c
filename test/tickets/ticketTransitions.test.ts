import { describe, expect, it } from 'vitest';
import type { CreatedTicket } from '../../src/tickets/ticket';
import { applyStatusChange, MAX_TICKET_UPDATES } from '../../src/tickets/ticketTransitions';

const ticket = (over: Partial<CreatedTicket> = {}): CreatedTicket => ({
  id: 'd1',
  pk: 'u1',
  type: 'ticket',
  status: 'open',
  ticketId: 'TKT-000001',
  title: 't',
  description: 'd',
  category: 'other',
  priority: 'normal',
  requester: { aadObjectId: 'u1' },
  conversationId: 'c1',
  draftedAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});
const at = '2026-01-02T00:00:00.000Z';

describe('applyStatusChange', () => {
  it('moves open → in_progress → resolved → closed, numbering the updates', () => {
    let t = ticket();
    for (const [i, status] of (['in_progress', 'resolved', 'closed'] as const).entries()) {
      const r = applyStatusChange(t, { status, by: 'webhook' }, at);
      expect(r.kind).toBe('changed');
      if (r.kind !== 'changed') return;
      expect(r.update).toMatchObject({ seq: i + 1, status, previousStatus: t.status });
      t = r.next;
    }
    expect(t.status).toBe('closed');
    expect(t.updatedAt).toBe(at);
  });

  it('never reopens a closed ticket; a resolved one may go back to in_progress', () => {
    for (const status of ['in_progress', 'resolved', 'closed'] as const) {
      expect(
        applyStatusChange(ticket({ status: 'closed' }), { status, comment: 'x', by: 'webhook' }, at).kind,
      ).toBe('refused');
    }
    expect(
      applyStatusChange(ticket({ status: 'resolved' }), { status: 'in_progress', by: 'w' }, at).kind,
    ).toBe('changed');
  });

  it('the same status is a no-op without a comment or with the last comment again, a note with a new one', () => {
    const t = ticket({ status: 'in_progress' });
    expect(applyStatusChange(t, { status: 'in_progress', by: 'w' }, at).kind).toBe('unchanged');
    const noted = applyStatusChange(t, { status: 'in_progress', comment: 'part ordered', by: 'w' }, at);
    expect(noted.kind).toBe('changed');
    if (noted.kind !== 'changed') return;
    expect(
      applyStatusChange(noted.next, { status: 'in_progress', comment: 'part ordered', by: 'w' }, at).kind,
    ).toBe('unchanged');
  });

  it('a note (no status) keeps any open status, repeats nothing, and is refused on a closed ticket', () => {
    for (const status of ['open', 'in_progress', 'resolved'] as const) {
      const r = applyStatusChange(ticket({ status }), { comment: 'courier booked', by: 'agent:a' }, at);
      expect(r.kind).toBe('changed');
      if (r.kind !== 'changed') return;
      expect(r.next.status).toBe(status);
      expect(r.update).toMatchObject({ status, previousStatus: status, comment: 'courier booked' });
      expect(applyStatusChange(r.next, { comment: 'courier booked', by: 'agent:a' }, at).kind).toBe(
        'unchanged',
      );
    }
    expect(applyStatusChange(ticket(), { by: 'agent:a' }, at).kind).toBe('unchanged');
    expect(applyStatusChange(ticket({ status: 'closed' }), { comment: 'x', by: 'agent:a' }, at).kind).toBe(
      'refused',
    );
  });

  it('keeps the last updates only, while the sequence keeps counting', () => {
    let t = ticket({ status: 'in_progress' });
    for (let i = 0; i < MAX_TICKET_UPDATES + 5; i++) {
      const r = applyStatusChange(t, { status: 'in_progress', comment: `n${i}`, by: 'w' }, at);
      if (r.kind !== 'changed') throw new Error('expected a change');
      t = r.next;
    }
    expect(t.updates).toHaveLength(MAX_TICKET_UPDATES);
    expect(t.updates?.at(-1)?.seq).toBe(MAX_TICKET_UPDATES + 5);
  });
});
