import type { RefusalCode } from '../errors';
import type { ConversationAddress } from '../notifications/address';
import type { Language } from '../text/language';

/** Who is calling a tool and with which (already resolved) RBAC roles. Independent of Teams. */
export type ActionContext = {
  /** channelUserId: the caller's id in the channel (Teams `29:…`), to reach them in a 1:1 chat later. */
  user: { aadObjectId: string; name?: string; tenantId?: string; channelUserId?: string };
  roles: string[];
  conversationId: string;
  /** Where the call came from, for records that report back later (ticket updates). */
  address?: ConversationAddress;
  /** True in a channel, group chat or meeting (everyone there reads the replies). */
  shared?: boolean;
  /** The turn's language (set by the channel glue); refusals and summaries use it. English when absent. */
  language?: Language;
  /**
   * People @mentioned in the message (the bot itself left out), as the channel glue resolved them
   * from the mention entities: Entra object id (undefined when it could not be resolved), channel
   * account id, display name (for replies only, never for identity) and their groups (for RBAC).
   */
  mentions?: MentionedPerson[];
};

export type MentionedPerson = {
  aadObjectId?: string;
  channelUserId?: string;
  name?: string;
  groupIds?: string[];
};

export type ActionErrorCode = Extract<
  RefusalCode,
  'invalid_arguments' | 'forbidden' | 'not_found' | 'unavailable'
>;

import type { Citation } from '../knowledge';

/**
 * What a tool returns: text for the model/user and its domain data (a view model; the Teams layer
 * renders cards from it in src/teams/toolCards.ts, the core never does).
 * `citations`: the sources the summary cites as [n] (e.g. the returns policy).
 */
export type ActionOutcome =
  | { ok: true; summary: string; data?: unknown; citations?: Citation[] }
  | { ok: false; error: string; code: ActionErrorCode };

export type ActionHandler = (ctx: ActionContext, rawArgs: unknown) => Promise<ActionOutcome>;

export function failure(code: ActionErrorCode, error: string): ActionOutcome {
  return { ok: false, code, error };
}
