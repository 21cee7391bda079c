import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRbacPolicy } from '../../src/actions/rbac';
import type { ActionContext, ActionOutcome } from '../../src/actions/types';
import { createUpdateTicket } from '../../src/actions/updateTicket';
import type { TicketService } from '../../src/tickets/ticketService';
import { type CosmosFixture, startTicketFixture } from './fixtures/cosmos';

const ALEX = '00000000-0000-0000-0000-00000000a001';
const BEA = '00000000-0000-0000-0000-00000000a002';
const DANA = '00000000-0000-0000-0000-00000000a004';
const rbac = loadRbacPolicy();

const ctxFor = (aadObjectId: string, name: string): ActionContext => ({
  user: { aadObjectId, name },
  roles: rbac.rolesFor({ aadObjectId }),
  conversationId: 'c',
});
const textOf = (o: ActionOutcome) => (o.ok ? `ok: ${o.summary}` : `${o.code}: ${o.error}`);

describe('update_ticket notes (embedded Cosmos, real SDK)', () => {
  let cosmos: CosmosFixture;
  let tickets: TicketService;
  let update: ReturnType<typeof createUpdateTicket>;
  let ticketId: string;

  beforeAll(async () => {
    ({ cosmos, tickets, ticketId } = await startTicketFixture('Charger broken'));
    update = createUpdateTicket({ tickets, rbac });
  });
  afterAll(() => cosmos.close());

  const stored = async () => (await tickets.getForViewer(ticketId, { aadObjectId: 'x', canViewAll: true }))!;

  it('an agent adds a note without a status: stored in the history, the status stays, the card says so', async () => {
    const out = await update(ctxFor(DANA, 'Dana'), { ticketId, comment: 'customer called back' });
    expect(textOf(out)).toBe(
      `ok: I added your note to ticket ${ticketId}; it stays open. I have let the requester know.`,
    );
    expect(out.ok && (out.data as { note?: string }).note).toContain('I added your note');
    const doc = await stored();
    expect(doc.status).toBe('open');
    expect(doc.updates?.at(-1)).toMatchObject({
      status: 'open',
      previousStatus: 'open',
      comment: 'customer called back',
      by: `agent:${DANA}`,
    });
  });

  it('the same note again changes nothing; a note without text is refused', async () => {
    const before = (await stored()).updates?.length;
    expect(textOf(await update(ctxFor(DANA, 'Dana'), { ticketId, comment: 'customer called back' }))).toBe(
      `ok: Ticket ${ticketId} already has that note; nothing changed.`,
    );
    expect(textOf(await update(ctxFor(DANA, 'Dana'), { ticketId }))).toMatch(/^invalid_arguments: .*comment/);
    expect((await stored()).updates?.length).toBe(before);
  });

  it('the requester may note their own ticket; someone else’s reads as unknown', async () => {
    expect(textOf(await update(ctxFor(ALEX, 'Alex'), { ticketId, comment: 'I am home after 5pm' }))).toBe(
      `ok: I added your note to ticket ${ticketId}; it stays open.`,
    );
    expect(textOf(await update(ctxFor(BEA, 'Bea'), { ticketId, comment: 'hello' }))).toMatch(/^not_found:/);
    expect((await stored()).updates?.at(-1)?.comment).toBe('I am home after 5pm');
  });

  it('a customer still cannot set a status other than closed, and a closed ticket takes no note', async () => {
    expect(textOf(await update(ctxFor(ALEX, 'Alex'), { ticketId, status: 'resolved' }))).toMatch(
      /^forbidden: Only the support team/,
    );
    await update(ctxFor(DANA, 'Dana'), { ticketId, status: 'closed', comment: 'done' });
    expect(textOf(await update(ctxFor(DANA, 'Dana'), { ticketId, comment: 'one more thing' }))).toBe(
      `forbidden: Ticket ${ticketId} is closed; closed tickets take no more notes. Open a new ticket if something is still wrong.`,
    );
  });
});
