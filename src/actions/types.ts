/** Who is calling a tool and with which (already resolved) RBAC roles. Independent of Teams. */
export type ActionContext = {
  user: { aadObjectId: string; name?: string; tenantId?: string };
  roles: string[];
  conversationId: string;
};

export type ActionErrorCode = 'invalid_arguments' | 'forbidden' | 'not_found' | 'unavailable';

import type { Citation } from '../knowledge';

/**
 * What a tool returns: text for the model/user, plus an optional Adaptive Card and raw data.
 * `citations`: the sources the summary cites as [n] (e.g. the returns policy).
 */
export type ActionOutcome =
  | { ok: true; summary: string; card?: object; data?: unknown; citations?: Citation[] }
  | { ok: false; error: string; code: ActionErrorCode };

export type ActionHandler = (ctx: ActionContext, rawArgs: unknown) => Promise<ActionOutcome>;

export function failure(code: ActionErrorCode, error: string): ActionOutcome {
  return { ok: false, code, error };
}
