import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssignTicket } from '../../src/actions/assignTicket';
import { loadRbacPolicy } from '../../src/actions/rbac';
import type { ActionContext, ActionOutcome } from '../../src/actions/types';
import type { TicketService } from '../../src/tickets/ticketService';
import { type CosmosFixture, startTicketFixture } from './fixtures/cosmos';

const ALEX = '00000000-0000-0000-0000-00000000a001';
const CARL = '00000000-0000-0000-0000-00000000a003';
const DANA = '00000000-0000-0000-0000-00000000a004';
const FRANK = '00000000-0000-0000-0000-00000000a006';
/** The sample 'support' group of config/rbac.json: its members are support agents. */
const SUPPORT_GROUP = 'c5e17a93-4d26-4b8f-8e0a-2f9d6b1c4e33';
const rbac = loadRbacPolicy();

function ctxFor(aadObjectId: string, name: string, extra: Partial<ActionContext> = {}): ActionContext {
  return {
    user: { aadObjectId, name },
    roles: rbac.rolesFor({ aadObjectId }),
    conversationId: 'c',
    ...extra,
  };
}
const errorOf = (o: ActionOutcome) => (o.ok ? `ok: ${o.summary}` : `${o.code}: ${o.error}`);

describe('RBAC for assignment (config/rbac.json)', () => {
  it('gives tickets.assign.any to support agents only', () => {
    expect(rbac.hasPermission(rbac.rolesFor({ aadObjectId: DANA }), 'tickets.assign.any')).toBe(true);
    expect(rbac.hasPermission(rbac.rolesFor({ aadObjectId: ALEX }), 'tickets.assign.any')).toBe(false);
    expect(
      rbac.hasPermission(
        rbac.rolesFor({ aadObjectId: FRANK, groupIds: [SUPPORT_GROUP] }),
        'tickets.assign.any',
      ),
    ).toBe(true);
  });
});

describe('assign_ticket (embedded Cosmos, real SDK)', () => {
  let cosmos: CosmosFixture;
  let tickets: TicketService;
  let assign: ReturnType<typeof createAssignTicket>;
  let ticketId: string;

  beforeAll(async () => {
    ({ cosmos, tickets, ticketId } = await startTicketFixture('Headset crackles'));
    assign = createAssignTicket({ tickets, rbac });
  });
  afterAll(() => cosmos.close());

  const assignee = async () =>
    (await tickets.getForViewer(ticketId, { aadObjectId: 'x', canViewAll: true }))?.assignee;

  it('refuses a requester in code, whatever the arguments say', async () => {
    const out = await assign(ctxFor(ALEX, 'Alex'), { ticketId, assignee: 'me' });
    expect(errorOf(out)).toBe('forbidden: Only support agents can assign tickets.');
    expect(await assignee()).toBeUndefined();
  });

  it('refuses a mention that is missing, several, unresolved or not an agent', async () => {
    const dana = (mentions: ActionContext['mentions']) => ctxFor(DANA, 'Dana', { mentions });
    expect(errorOf(await assign(dana(undefined), { ticketId, assignee: 'mentioned' }))).toMatch(
      /^invalid_arguments: Who should get/,
    );
    const two = [
      { aadObjectId: CARL, name: 'Carl' },
      { aadObjectId: FRANK, name: 'Frank' },
    ];
    expect(errorOf(await assign(dana(two), { ticketId, assignee: 'mentioned' }))).toMatch(
      /just one support agent/,
    );
    expect(errorOf(await assign(dana([{ name: 'Frank' }]), { ticketId, assignee: 'mentioned' }))).toMatch(
      /^not_found: I couldn't tell who Frank is/,
    );
    expect(
      errorOf(await assign(dana([{ aadObjectId: CARL, name: 'Carl' }]), { ticketId, assignee: 'mentioned' })),
    ).toBe(`forbidden: Carl is not a support agent, so I can’t assign ${ticketId} to them.`);
    expect(await assignee()).toBeUndefined();
  });

  it('gives the ticket to a mentioned agent by object id (an agent through their group), never by name', async () => {
    const mentions = [{ aadObjectId: FRANK, name: 'Dana', groupIds: [SUPPORT_GROUP] }];
    const out = await assign(ctxFor(DANA, 'Dana', { mentions }), { ticketId, assignee: 'mentioned' });
    expect(out.ok).toBe(true);
    expect((await assignee())?.aadObjectId).toBe(FRANK);
  });

  it('answers in the turn language and rejects arguments the schema does not know', async () => {
    const out = await assign(ctxFor(DANA, 'Dana', { language: 'zh-CN' }), { ticketId, assignee: 'me' });
    expect(out.ok && out.summary).toBe(`${ticketId} 现已分配给您。`);
    expect(errorOf(await assign(ctxFor(DANA, 'Dana'), { ticketId, assignee: 'Erin' }))).toMatch(
      /^invalid_arguments: Invalid arguments: assignee must be one of me, mentioned, nobody/,
    );
    expect(errorOf(await assign(ctxFor(DANA, 'Dana'), { ticketId: 'TKT-424242', assignee: 'me' }))).toMatch(
      /^not_found:/,
    );
  });
});
