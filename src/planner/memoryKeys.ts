import type { TurnContext } from 'botbuilder';
import { DEFERRED_REQUEST, LAST_QUESTION, memberScoped, PENDING_SLOT } from '../teams/audience';

/**
 * Every teams-ai memory path (`temp.*` for this turn, `conversation.*` kept with the
 * conversation) the planner and the Teams routes read or write, in one place. A key carries the
 * type of its value (`MemoryKey<T>`), so `memory.getValue<T>(key)` call sites name one source;
 * it is still a plain string for teams-ai's `Memory` API.
 */
type MemoryKey<T> = string & { readonly __value?: T };

function key<T>(path: `temp.${string}` | `conversation.${string}`): MemoryKey<T> {
  return path as MemoryKey<T>;
}

// teams-ai's own turn keys.
/** The text the planner works on (teams-ai overwrites it with tool outputs between steps). */
export const INPUT_KEY = key<string>('temp.input');
/** Tool name → output of the tools run this turn (teams-ai). */
export const ACTION_OUTPUTS_KEY = key<Record<string, string>>('temp.actionOutputs');
/** Where teams-ai's LLMClient keeps the turn's open stream (set while a stream is open). */
export const STREAMER_KEY = key<unknown>('temp.streamer');

// The embedded model.
/** The intent and language the embedded model read this turn (for traces and hooks). */
export const INTENT_KEY = key<string>('temp.intent');
export const LANGUAGE_KEY = key<string>('temp.language');
/** LLM path: the prompt's "answer in the user's language" line (empty for English). */
export const ANSWER_LANGUAGE_KEY = key<string>('temp.answerLanguage');
/** Tool calls still to run this turn (a message with two requests). */
export const PENDING_CALLS_KEY = key<unknown[]>('temp.embeddedToolCalls');
/** Tool calls for the rounds after this one (one call a round, so each shows its own card or text). */
export const QUEUED_CALLS_KEY = key<unknown[]>('temp.embeddedQueuedCalls');
/** The text outputs of this turn's earlier rounds of tools. */
export const SHOWN_KEY = key<string[]>('temp.embeddedShown');
/** Set once a round of this turn showed a card (a card waits for Confirm). */
export const ANY_CARD_KEY = key<boolean>('temp.embeddedAnyCard');
/** Put in front of the next round's text output (a deferred request taken up again). */
export const ROUND_INTRO_KEY = key<string>('temp.embeddedRoundIntro');
/** Text to send after the tools' outputs (the second request of a two-request message). */
export const AFTERWORD_KEY = key<string>('temp.embeddedAfterword');
/** Text to send after this round's card (the detail added to a ticket draft), only when the card was shown. */
export const CARD_NOTE_KEY = key<string>('temp.embeddedCardNote');
/** The conversation path of the last order action (per member), set each turn. */
export const LAST_ORDER_ACTION_PATH_KEY = key<string>('temp.lastOrderActionKey');
/** The conversation path of the card that waits for Confirm (per member), set each turn. */
export const AWAITING_CONFIRM_PATH_KEY = key<string>('temp.awaitingConfirmKey');
/** Set by the tool actions when they showed a card; the card already says what the summary would. */
export const CARD_SENT_KEY = key<boolean>('temp.toolCardSent');
/** A restricted answer for the asker's 1:1 chat (embedded model path). */
export const PRIVATE_ANSWER_KEY = key<unknown>('temp.privateAnswer');

// The knowledge data source (LLM path).
export const KNOWLEDGE_CITATIONS = key<unknown[]>('temp.knowledgeCitations');
export const KNOWLEDGE_UNAVAILABLE = key<boolean>('temp.knowledgeUnavailable');
export const KNOWLEDGE_RENDER_CACHE = key<unknown>('temp.knowledgeRender');
/** The answer from passages only the asker may see, sent to their 1:1 chat after the turn. */
export const PRIVATE_KNOWLEDGE_ANSWER = key<unknown>('temp.privateKnowledgeAnswer');

/** The order ids a "Which order do you mean?" question offers this turn (the Teams layer's buttons). */
export const ORDER_CHOICES_KEY = key<string[]>('temp.orderChoices');

// The Teams routes.
/** Set when request_human ran this turn, so a frustrated message is not also offered a person. */
export const HANDOFF_HANDLED_KEY = key<boolean>('temp.handoffHandled');

/** The last order action and its order, so "sorry, I meant ORD-…" can re-run it on the right one. */
const LAST_ORDER_ACTION = 'lastOrderAction';
/** The last card that waits for Confirm (a ticket draft, a cancellation or a return). */
const AWAITING_CONFIRM = 'awaitingConfirm';
/** The tickets the last ticket list or card showed (ids in the order shown, and when). */
const SHOWN_TICKETS = 'shownTickets';
/** The language of the member's last message with words ("ORD-10421" after a Chinese question is Chinese). */
const LAST_LANGUAGE = 'lastLanguage';

/** The member's conversation language (`conversation.lastLanguage[:member]`, a Language). */
export function lastLanguageKey(context: TurnContext): MemoryKey<string> {
  return key(`conversation.${memberScoped(context.activity, LAST_LANGUAGE)}`);
}

/** The tickets last shown, and the last list they came from ("the second one"); see ticketsShownAfter. */
export type ShownTickets = { ids: string[]; list?: string[]; at: string };

/** The pending question's memory path (`conversation.pendingSlot[:member]`: per member in shared conversations). */
export function pendingSlotKey(context: TurnContext): MemoryKey<unknown> {
  return key(`conversation.${memberScoped(context.activity, PENDING_SLOT)}`);
}

/** The last order action's memory path (`conversation.lastOrderAction[:member]`). */
export function lastOrderActionKey(context: TurnContext): MemoryKey<unknown> {
  return key(`conversation.${memberScoped(context.activity, LAST_ORDER_ACTION)}`);
}

/** The tickets last shown (`conversation.shownTickets[:member]`, ShownTickets). */
export function shownTicketsKey(context: TurnContext): MemoryKey<ShownTickets> {
  return key(`conversation.${memberScoped(context.activity, SHOWN_TICKETS)}`);
}

/** The path of the card waiting for Confirm (`conversation.awaitingConfirm[:member]`). */
export function awaitingConfirmKey(context: TurnContext): MemoryKey<unknown> {
  return key(`conversation.${memberScoped(context.activity, AWAITING_CONFIRM)}`);
}

/**
 * The last answered knowledge question (`conversation.lastQuestion[:member]`, a FollowUpTopic): kept
 * with the conversation, so a follow-up after a restart or on another instance still leans on it.
 */
export function lastQuestionKey(context: TurnContext): MemoryKey<unknown> {
  return key(`conversation.${memberScoped(context.activity, LAST_QUESTION)}`);
}

/** The deferred second request (`conversation.deferredRequest[:member]`, text and when). */
export function deferredRequestKey(context: TurnContext): MemoryKey<unknown> {
  return key(`conversation.${memberScoped(context.activity, DEFERRED_REQUEST)}`);
}
