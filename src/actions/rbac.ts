import { DEFAULT_PATHS } from '../defaultPaths';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { TOOL_NAMES, type ToolName } from './schemas';
import { type ActionContext, type ActionHandler, failure } from './types';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Permissions beyond "call this tool": seeing other people's records. */
const PERMISSIONS = [
  'orders.read.any',
  'tickets.read.any',
  'orders.cancel.any',
  'tickets.update.any',
  /** `register support channel`: choose the conversation that receives handoff notices. */
  'support.channel.register',
  'orders.return.any',
  /** assign_ticket: take a ticket, hand it to another agent, or unassign it. */
  'tickets.assign.any',
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
          .object({
            userIds: z.array(z.string()).default([]),
            // Object ids only: a display name here would never match (groups are ids) and would
            // invite the name-squatting this design avoids.
            groupIds: z.array(z.string().regex(GUID, 'group ids are Entra object ids (GUIDs)')).default([]),
          })
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

type RbacPolicyDocument = z.infer<typeof policySchema>;

export const DEFAULT_RBAC_PATH = DEFAULT_PATHS.rbacPolicy;

export type RbacOptions = {
  /** Extra members per role (user or group object ids). */
  extraMembers?: Record<string, string[]>;
  /** RBAC_SUPPORT_AGENT_IDS: merged into extraMembers.support_agent. */
  supportAgentIds?: string[];
};

/** A caller as the Teams layer knows it: AAD object id, plus its groups' object ids (Graph or the directory file). */
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

/** Wraps a handler so it only runs when one of the caller's roles may call the tool. */
export function withRbac(policy: RbacPolicy, tool: ToolName, handler: ActionHandler): ActionHandler {
  return async (ctx: ActionContext, rawArgs: unknown) => {
    if (!policy.canCall(ctx.roles, tool)) {
      return failure('forbidden', `You are not allowed to use ${tool}.`);
    }
    return handler(ctx, rawArgs);
  };
}
