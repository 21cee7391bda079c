import { MEMORY_STATE_PROPERTY } from '../memory';
import { PENDING_SLOT, PLANNER_HISTORY } from './audience';

/**
 * Teams announces one install twice (installationUpdate and conversationUpdate, in either order,
 * seconds apart): within this window after a welcome, another bot-added event is that pair.
 */
export const WELCOME_REPEAT_AFTER_MS = 2 * 60_000;

/** What the welcome decision reads and writes in conversation state. */
export interface WelcomeState {
  /** Legacy flag (before welcomedAt): a welcome was sent at some time. */
  welcomed?: boolean;
  /** When the last welcome card was sent (ISO). */
  welcomedAt?: string;
  /** When a member first sent the bot a message here (ISO). */
  firstMessageAt?: string;
  [key: string]: unknown;
}

/**
 * Whether the conversation holds anything said: a message since the state began, the model's
 * memory or planner history, or a pending question (per member keys included).
 */
export function hasHistory(conversation: WelcomeState): boolean {
  if (conversation.firstMessageAt) return true;
  const prefixes = [MEMORY_STATE_PROPERTY, PLANNER_HISTORY, PENDING_SLOT];
  return Object.keys(conversation).some((key) => prefixes.some((p) => key === p || key.startsWith(`${p}:`)));
}

/**
 * The bot was added to, or opened again in, a conversation (Playground reload, reinstall): welcome
 * it when nothing has been said there yet, so an empty chat shows the card again, except for the
 * second event of one install. A conversation with history (a busy group chat) gets no repeat.
 */
export function shouldWelcome(conversation: WelcomeState, now = Date.now()): boolean {
  if (hasHistory(conversation)) return false;
  const last = conversation.welcomedAt ? Date.parse(conversation.welcomedAt) : Number.NaN;
  if (Number.isNaN(last)) return true;
  return now - last >= WELCOME_REPEAT_AFTER_MS;
}
