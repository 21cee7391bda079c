import type { Activity, TurnContext } from 'botbuilder';
import type { TurnState } from '@microsoft/teams-ai';
import { repliesIn } from '../replies';
import { commandTranslator } from './failureReply';
import { MEMORY_STATE_PROPERTY } from '../memory';
import { english } from '../text/i18n';

/** The embedded model's pending question (slot filling). */
export const PENDING_SLOT = 'pendingSlot';
/** The last answered knowledge question, which a follow-up ("and on sundays?") leans on. */
export const LAST_QUESTION = 'lastQuestion';
/** The second request of a two-request message, kept until the first one's flow is done. */
export const DEFERRED_REQUEST = 'deferredRequest';
/** teams-ai's planner history for the 'chat' prompt (`conversation.<prompt>_history`). */
export const PLANNER_HISTORY = 'chat_history';
/** Conversation-state properties kept per member in shared conversations. */
const MEMBER_SCOPED_PROPERTIES = [
  PENDING_SLOT,
  LAST_QUESTION,
  DEFERRED_REQUEST,
  MEMORY_STATE_PROPERTY,
  PLANNER_HISTORY,
];

/**
 * Who reads what the bot posts. A channel, group chat or meeting is shared: everything posted
 * there is seen by every member, so replies are trimmed by that audience, not only by the asker,
 * and per-member flow state (pending questions, model memory) is kept apart per member.
 */
export function isSharedConversation(activity: Partial<Activity> | undefined): boolean {
  const conversation = activity?.conversation;
  // Teams marks 1:1 chats 'personal'; channels, group chats and meetings are shared.
  if (conversation?.conversationType) return conversation.conversationType !== 'personal';
  return conversation?.isGroup === true;
}

/** The member this activity comes from: the Entra object id, else the channel account id. */
export function memberKey(activity: Partial<Activity> | undefined): string {
  return activity?.from?.aadObjectId || activity?.from?.id || 'unknown';
}

/**
 * The conversation-state property for per-member data: `name` in a 1:1 chat (one member),
 * `name:<member>` in a shared conversation, so one member's flow never answers another's.
 */
export function memberScoped(activity: Partial<Activity> | undefined, name: string): string {
  // teams-ai state paths are `scope.property`: no dot may appear inside the property name.
  return isSharedConversation(activity) ? `${name}:${memberKey(activity).replace(/\./g, '_')}` : name;
}

/** English wording of the shared-chat lines (tests compare with them); a turn uses its language's. */
export const SHARED_DETAILS_NOTE = english.t('shared.detailsKept');
export const RESTRICTED_IN_SHARED = english.t('shared.restricted');

/** The exact words that reset without asking the model (the model's reset tool does the same). */
export const RESET_COMMAND = /^\s*(reset|start over|restart)\s*$/i;

/**
 * `reset`, the one implementation (typed as RESET_COMMAND or called by the model as its reset
 * tool): a 1:1 chat forgets its whole conversation state; in a shared conversation only the
 * asking member's per-member data (pending question, model memory) goes, never the others'.
 * The state is written at the end of the turn; the transcript (the audit record) is kept.
 */
export async function resetConversation(context: TurnContext, state: TurnState): Promise<void> {
  if (!isSharedConversation(context.activity)) {
    state.deleteConversationState();
    await context.sendActivity(repliesIn(commandTranslator(context.activity)).reset);
    return;
  }
  const conversation = state.conversation as Record<string, unknown>;
  for (const name of MEMBER_SCOPED_PROPERTIES) delete conversation[memberScoped(context.activity, name)];
  await context.sendActivity(commandTranslator(context.activity).t('shared.resetMember'));
}

/**
 * teams-ai keeps the planner's chat history in `conversation.<prompt>_history` (prompt 'chat'),
 * one list for the whole conversation. In a shared conversation each member gets their own: the
 * member's list is put in place for the planner and taken back afterwards, so the next member's
 * prompt never contains this exchange.
 */

export async function withMemberHistory<T>(
  context: TurnContext,
  state: TurnState,
  run: () => Promise<T>,
): Promise<T> {
  if (!isSharedConversation(context.activity)) return run();
  const conversation = state.conversation as Record<string, unknown>;
  const own = memberScoped(context.activity, PLANNER_HISTORY);
  if (conversation[own] === undefined) delete conversation[PLANNER_HISTORY];
  else conversation[PLANNER_HISTORY] = conversation[own];
  try {
    return await run();
  } finally {
    if (conversation[PLANNER_HISTORY] !== undefined) conversation[own] = conversation[PLANNER_HISTORY];
    delete conversation[PLANNER_HISTORY];
  }
}
