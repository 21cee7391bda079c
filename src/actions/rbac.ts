import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../projectRoot';
import { TOOL_NAMES, type ToolName } from './schemas';
import { type ActionContext, type ActionHandler, failure } from './types';

/** Permissions beyond "call this tool": seeing other people's records. */
export const PERMISSIONS = [
  'orders.read.any',
  'tickets.read.any',
  'orders.cancel.any',
  'orders.return.any',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const policySchema = z
  .object({
    $comment: z.string().optional(),
    defaultRoles: z.array(z.string().min(1)),
    roles: z.record(
      z.string().regex(/^[a-z][a-z0-9_]*$/, 'role names are lower_snake_case'),
      z
        .object({
          description: z.string().optional(),
          tools: z.array(z.enum(TOOL_NAMES as [ToolName, ...ToolName[]])),
          permissions: z.array(z.enum(PERMISSIONS)).default([]),
        })
        .strict(),
    ),
    members: z
      .record(
        z.string(),
        z
          .object({ userIds: z.array(z.string()).default([]), groupIds: z.array(z.string()).default([]) })
          .strict(),
      )
      .default({}),
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const role of [...p.defaultRoles, ...Object.keys(p.members)]) {
      if (!p.roles[role]) ctx.addIssue({ code: 'custom', message: `unknown role "${role}"` });
    }
  });

export type RbacPolicyDocument = z.infer<typeof policySchema>;

export const DEFAULT_RBAC_PATH = path.join(projectRoot(), 'config', 'rbac.json');

export type RbacOptions = {
  /** Extra members per role (user or group object ids), e.g. from RBAC_SUPPORT_AGENT_IDS. */
  extraMembers?: Record<string, string[]>;
  /** Convenience for the one env list the brief names; merged into extraMembers.support_agent. */
  supportAgentIds?: string[];
};

/** A caller as the Teams layer knows it: AAD object id, plus group ids when the token/Graph gives them. */
export type RbacPrincipal = { aadObjectId: string; groupIds?: string[] };

export class RbacPolicy {
  private readonly members = new Map<string, Set<string>>();

  constructor(
    private readonly doc: RbacPolicyDocument,
    options: RbacOptions = {},
  ) {
    for (const [role, m] of Object.entries(doc.members)) this.addMembers(role, [...m.userIds, ...m.groupIds]);
    for (const [role, ids] of Object.entries(options.extraMembers ?? {})) this.addMembers(role, ids);
    if (options.supportAgentIds) this.addMembers('support_agent', options.supportAgentIds);
  }

  /** The roles of a principal: the default roles plus every role listing its user id or one of its groups. */
  rolesFor(principal: RbacPrincipal): string[] {
    const ids = new Set([principal.aadObjectId, ...(principal.groupIds ?? [])].map((id) => id.toLowerCase()));
    const roles = new Set(this.doc.defaultRoles);
    for (const [role, members] of this.members) {
      if ([...ids].some((id) => members.has(id))) roles.add(role);
    }
    return [...roles].sort();
  }

  canCall(roles: readonly string[], tool: string): boolean {
    return roles.some((r) => this.doc.roles[r]?.tools.includes(tool as ToolName) ?? false);
  }

  hasPermission(roles: readonly string[], permission: Permission): boolean {
    return roles.some((r) => this.doc.roles[r]?.permissions.includes(permission) ?? false);
  }

  private addMembers(role: string, ids: string[]): void {
    if (!this.doc.roles[role]) throw new Error(`RBAC: members given for unknown role "${role}"`);
    const set = this.members.get(role) ?? new Set<string>();
    for (const id of ids) if (id.trim()) set.add(id.trim().toLowerCase());
    this.members.set(role, set);
  }
}

/** Validates a policy document; throws one clear line on bad input. */
export function parseRbacPolicy(raw: unknown, options?: RbacOptions): RbacPolicy {
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid RBAC policy: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return new RbacPolicy(parsed.data, options);
}

export function loadRbacPolicy(file = DEFAULT_RBAC_PATH, options?: RbacOptions): RbacPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read RBAC policy ${file}: ${(err as Error).message}`);
  }
  return parseRbacPolicy(raw, options);
}

/**
 * Reads RBAC_<ROLE>_IDS variables (comma-separated object ids) into extraMembers,
 * e.g. RBAC_SUPPORT_AGENT_IDS → support_agent. The lead's config passes process.env.
 */
export function rbacOptionsFromEnv(env: Record<string, string | undefined>): RbacOptions {
  const extraMembers: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(env)) {
    const m = /^RBAC_([A-Z0-9_]+)_IDS$/.exec(key);
    if (!m || !value) continue;
    extraMembers[m[1].toLowerCase()] = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  return { extraMembers };
}

/** Wraps a handler so it only runs when one of the caller's roles may call the tool. */
export function withRbac(policy: RbacPolicy, tool: ToolName, handler: ActionHandler): ActionHandler {
  return async (ctx: ActionContext, rawArgs: unknown) => {
    if (!policy.canCall(ctx.roles, tool)) {
      return failure('forbidden', `You are not allowed to use ${tool}.`);
    }
    return handler(ctx, rawArgs);
  };
}
