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
  /** The bot-added event types (installationUpdate, conversationUpdate) seen since that welcome. */
  welcomeEvents?: string[];
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

/** What to do with one bot-added event, and the events to remember since the last welcome. */
interface WelcomeDecision {
  send: boolean;
  eventsSinceWelcome: string[];
}

/**
 * The bot was added to, or opened again in, a conversation (Playground reload, reinstall): welcome
 * it when nothing has been said there yet, so an empty chat shows the card again, except for the
 * second event of one install. Teams (and the Agents Playground, on every page load) sends one
 * installationUpdate and one conversationUpdate, in either order, milliseconds to seconds apart:
 * within the window, an event of a type not yet seen since the welcome is that pair; a type seen
 * already means the conversation was opened again. (A redelivery of the same activity never gets
 * here: inbound dedup drops it.) A conversation with history (a busy group chat) gets no repeat.
 */
export function welcomeDecision(
  conversation: WelcomeState,
  event: string,
  now = Date.now(),
): WelcomeDecision {
  const seen = conversation.welcomeEvents ?? [];
  if (hasHistory(conversation)) return { send: false, eventsSinceWelcome: seen };
  const last = conversation.welcomedAt ? Date.parse(conversation.welcomedAt) : Number.NaN;
  const withinPair = !Number.isNaN(last) && now - last < WELCOME_REPEAT_AFTER_MS;
  if (withinPair && !seen.includes(event)) return { send: false, eventsSinceWelcome: [...seen, event] };
  return { send: true, eventsSinceWelcome: [event] };
}
