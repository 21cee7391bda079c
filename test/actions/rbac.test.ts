import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRbacPolicy, parseRbacPolicy, withRbac } from '../../src/actions/rbac';
import { loadConfig } from '../../src/config';
import { TOOL_NAMES } from '../../src/actions/schemas';
import type { ActionContext } from '../../src/actions/types';

const ALEX = '00000000-0000-0000-0000-00000000a001';
const BEA = '00000000-0000-0000-0000-00000000a002';
const DANA = '00000000-0000-0000-0000-00000000a004';

describe('RBAC policy (config/rbac.json)', () => {
  const policy = loadRbacPolicy();

  it('gives everyone the default employee role and Dana the support_agent role', () => {
    expect(policy.rolesFor({ aadObjectId: ALEX })).toEqual(['employee']);
    expect(policy.rolesFor({ aadObjectId: DANA })).toEqual(['employee', 'support_agent']);
    expect(policy.rolesFor({ aadObjectId: DANA.toUpperCase() })).toEqual(['employee', 'support_agent']);
  });

  it('lets employees call the four tools but only support agents see everyone', () => {
    for (const tool of TOOL_NAMES) expect(policy.canCall(['employee'], tool)).toBe(true);
    expect(policy.canCall(['employee'], 'delete_everything')).toBe(false);
    expect(policy.canCall([], 'get_order_status')).toBe(false);
    expect(policy.hasPermission(['employee'], 'orders.read.any')).toBe(false);
    expect(policy.hasPermission(['employee', 'support_agent'], 'orders.read.any')).toBe(true);
    expect(policy.hasPermission(['employee', 'support_agent'], 'tickets.read.any')).toBe(true);
    expect(policy.hasPermission(['made_up_role'], 'orders.read.any')).toBe(false);
  });

  it('adds support agents from RBAC_SUPPORT_AGENT_IDS (users or group ids)', () => {
    const groupId = '11111111-0000-0000-0000-000000000001';
    const { rbac } = loadConfig({ RBAC_SUPPORT_AGENT_IDS: ` ${BEA} , ${groupId},` });
    const withEnv = loadRbacPolicy(rbac.policyFile, { supportAgentIds: rbac.supportAgentIds });
    expect(withEnv.rolesFor({ aadObjectId: BEA })).toContain('support_agent');
    expect(withEnv.rolesFor({ aadObjectId: ALEX, groupIds: [groupId] })).toContain('support_agent');
    expect(withEnv.rolesFor({ aadObjectId: ALEX })).toEqual(['employee']);
    // config/rbac.json grants support_agent to the sample 'support' group by its object id.
    const shipped = loadRbacPolicy();
    expect(
      shipped.rolesFor({ aadObjectId: ALEX, groupIds: ['C5E17A93-4D26-4B8F-8E0A-2F9D6B1C4E33'] }),
    ).toContain('support_agent');
    expect(shipped.rolesFor({ aadObjectId: ALEX, groupIds: ['support'] })).toEqual(['employee']);
    const viaOption = loadRbacPolicy(undefined, { supportAgentIds: [ALEX] });
    expect(viaOption.rolesFor({ aadObjectId: ALEX })).toContain('support_agent');
  });

  it('rejects invalid policies with a clear message', () => {
    const base = {
      defaultRoles: ['employee'],
      roles: { employee: { tools: ['get_order_status'], permissions: [] } },
    };
    expect(() => parseRbacPolicy({ ...base, roles: { employee: { tools: ['rm_rf'] } } })).toThrow(
      /Invalid RBAC policy: roles\.employee\.tools\.0/,
    );
    expect(() => parseRbacPolicy({ ...base, defaultRoles: ['ghost'] })).toThrow(/unknown role "ghost"/);
    expect(() => parseRbacPolicy({ ...base, members: { employee: { groupIds: ['Support'] } } })).toThrow(
      /members\.employee\.groupIds\.0: group ids are Entra object ids/,
    );
    expect(() => parseRbacPolicy({ ...base, members: { ghost: { userIds: [ALEX] } } })).toThrow(
      /unknown role "ghost"/,
    );
    expect(() => parseRbacPolicy(base, { extraMembers: { ghost: [ALEX] } })).toThrow(/unknown role "ghost"/);
    expect(() =>
      parseRbacPolicy({ ...base, roles: { employee: { tools: [], permissions: ['root'] } } }),
    ).toThrow(/permissions/);
    expect(() => parseRbacPolicy('nope')).toThrow(/Invalid RBAC policy/);
    const dir = mkdtempSync(path.join(tmpdir(), 'rbac-'));
    const file = path.join(dir, 'rbac.json');
    writeFileSync(file, '{ not json');
    expect(() => loadRbacPolicy(file)).toThrow(/Cannot read RBAC policy/);
    expect(() => loadRbacPolicy(path.join(dir, 'missing.json'))).toThrow(/Cannot read RBAC policy/);
  });

  it('withRbac refuses a caller without a role that allows the tool and never runs the handler', async () => {
    const restricted = parseRbacPolicy({
      defaultRoles: ['employee'],
      roles: {
        employee: { tools: ['list_my_orders'] },
        support_agent: { tools: ['list_my_orders', 'get_order_status'] },
      },
    });
    let calls = 0;
    const handler = withRbac(restricted, 'get_order_status', async () => {
      calls++;
      return { ok: true, summary: 'ran' };
    });
    const ctx = (roles: string[]): ActionContext => ({
      user: { aadObjectId: ALEX },
      roles,
      conversationId: 'c',
    });
    expect(await handler(ctx(['employee']), {})).toEqual({
      ok: false,
      code: 'forbidden',
      error: 'You are not allowed to use get_order_status.',
    });
    expect(calls).toBe(0);
    expect(await handler(ctx(['employee', 'support_agent']), {})).toEqual({ ok: true, summary: 'ran' });
    expect(calls).toBe(1);
  });
});
