import { logger } from '../observability/logger';
import { createExtractiveSummarizer } from './extractiveSummarizer';
import { countTokens, truncateToTokens } from '../text/tokens';

/** One message of the conversation as the model sees it. */
export interface MemoryTurn {
  role: 'user' | 'assistant';
  text: string;
  /** ISO-8601 time of the message. */
  at: string;
}

/**
 * The model's memory of one conversation: plain JSON data stored inside teams-ai conversation
 * state (e.g. `state.conversation.memory`), so it is saved with the same eTag as the rest of
 * the conversation state.
 */
export interface ConversationMemory {
  /** The most recent messages, oldest first (at most `windowTurns`). */
  turns: MemoryTurn[];
  /** A running summary of every message that slid out of the window. */
  summary: string;
  /** How many messages the summary covers. */
  summarizedTurns: number;
}

/** Folds messages that left the window into the running summary. May be an LLM call. */
export type Summarizer = (previousSummary: string, droppedTurns: MemoryTurn[]) => Promise<string>;

interface MemoryOptions {
  /** Messages kept verbatim (user and assistant messages each count one). Default 10. */
  windowTurns?: number;
  /**
   * Fold messages into the summary in batches: only once this many have piled up beyond the
   * window (so between `windowTurns` and `windowTurns + summarizeEvery - 1` messages are kept
   * verbatim). One summarizer call per batch instead of one per message: with an LLM summarizer
   * that is a model call saved per message, and the newest messages stay verbatim either way.
   * 1 = fold on every overflow. Default 6.
   */
  summarizeEvery?: number;
  /** Token cap for the stored summary; longer summaries are trimmed. Default 400. */
  summaryMaxTokens?: number;
  /** Messages longer than this many characters are stored shortened. Default 8000. */
  maxTurnChars?: number;
}

const DEFAULT_MEMORY_OPTIONS: Required<MemoryOptions> = {
  windowTurns: 10,
  summarizeEvery: 6,
  summaryMaxTokens: 400,
  maxTurnChars: 8000,
};

/** The state property teams-ai conversation state should keep the memory under. */
export const MEMORY_STATE_PROPERTY = 'memory';

export function emptyMemory(): ConversationMemory {
  return { turns: [], summary: '', summarizedTurns: 0 };
}

/**
 * Accept whatever was found in conversation state and return a valid memory: missing or
 * malformed data (older schema, manual edits) becomes empty memory instead of a crash.
 */
export function normalizeMemory(value: unknown): ConversationMemory {
  if (!value || typeof value !== 'object') return emptyMemory();
  const v = value as Partial<ConversationMemory>;
  const turns = Array.isArray(v.turns)
    ? v.turns.filter(
        (t): t is MemoryTurn =>
          !!t &&
          (t.role === 'user' || t.role === 'assistant') &&
          typeof t.text === 'string' &&
          typeof t.at === 'string',
      )
    : [];
  return {
    turns,
    summary: typeof v.summary === 'string' ? v.summary : '',
    summarizedTurns: Number.isInteger(v.summarizedTurns) && v.summarizedTurns! >= 0 ? v.summarizedTurns! : 0,
  };
}

const fallbackSummarizers = new Map<number, Summarizer>();
function fallbackSummarizer(maxTokens: number): Summarizer {
  let s = fallbackSummarizers.get(maxTokens);
  if (!s) fallbackSummarizers.set(maxTokens, (s = createExtractiveSummarizer({ maxTokens })));
  return s;
}

/**
 * Append one message. When the window overflows by `summarizeEvery` messages, the oldest ones
 * (all beyond the window) are folded into the summary by `summarizer` (default: extractive). If the summarizer fails (e.g. the model is
 * down) the extractive one is used instead, so nothing is silently dropped. Pure: the input
 * memory is not modified.
 */
export async function appendTurn(
  memory: ConversationMemory,
  turn: MemoryTurn,
  options: MemoryOptions = {},
  summarizer?: Summarizer,
): Promise<ConversationMemory> {
  const opts = resolveOptions(options);
  validateTurn(turn);
  const current = normalizeMemory(memory);
  const text = turn.text.length > opts.maxTurnChars ? `${turn.text.slice(0, opts.maxTurnChars)}…` : turn.text;
  const turns = [...current.turns, { role: turn.role, text, at: turn.at }];
  if (turns.length < opts.windowTurns + opts.summarizeEvery) return { ...current, turns };

  const dropped = turns.slice(0, turns.length - opts.windowTurns);
  const kept = turns.slice(turns.length - opts.windowTurns);
  const fallback = fallbackSummarizer(opts.summaryMaxTokens);
  let summary: string;
  try {
    summary = await (summarizer ?? fallback)(current.summary, dropped);
    if (typeof summary !== 'string') throw new TypeError('summarizer returned a non-string');
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'memory summarizer failed; using the extractive summary');
    summary = await fallback(current.summary, dropped);
  }
  return {
    turns: kept,
    summary: truncateToTokens(summary.trim(), opts.summaryMaxTokens),
    summarizedTurns: current.summarizedTurns + dropped.length,
  };
}

interface PromptMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

interface RenderedMemory {
  /** Chat messages, oldest first: an optional system summary, then the recent turns. */
  messages: PromptMessage[];
  /** The same as plain text, for text-completion prompts. */
  text: string;
  /** Tokens used, counted like `tokenBudget` (content + per-message overhead). */
  tokens: number;
}

/** Per-message framing overhead of the chat format (role markers). */
const MESSAGE_OVERHEAD_TOKENS = 4;
export const SUMMARY_PREFIX = 'Summary of the earlier conversation: ';

/**
 * Render memory for the prompt within `tokenBudget`. Recent messages win: the summary gets at
 * most half of the budget, then messages are added newest-first while they fit (the newest is
 * shortened if it alone does not fit). Older messages that do not fit are left out whole, so
 * the rendered history is always a contiguous tail of the conversation.
 */
export function renderMemory(memory: ConversationMemory, tokenBudget: number): RenderedMemory {
  if (!Number.isFinite(tokenBudget) || tokenBudget < 0)
    throw new RangeError('tokenBudget must be a non-negative number');
  const m = normalizeMemory(memory);
  const messages: PromptMessage[] = [];
  let used = 0;

  let summaryMessage: PromptMessage | undefined;
  if (m.summary) {
    const room = Math.floor(tokenBudget / 2) - MESSAGE_OVERHEAD_TOKENS - countTokens(SUMMARY_PREFIX);
    const summary = truncateToTokens(m.summary, room);
    if (summary) {
      summaryMessage = { role: 'system', content: SUMMARY_PREFIX + summary };
      used += cost(summaryMessage);
    }
  }

  const recent: PromptMessage[] = [];
  for (let i = m.turns.length - 1; i >= 0; i--) {
    const msg: PromptMessage = { role: m.turns[i].role, content: m.turns[i].text };
    const c = cost(msg);
    if (used + c <= tokenBudget) {
      recent.unshift(msg);
      used += c;
      continue;
    }
    if (recent.length === 0) {
      const content = truncateToTokens(msg.content, tokenBudget - used - MESSAGE_OVERHEAD_TOKENS);
      if (content) {
        const shortened = { ...msg, content };
        recent.unshift(shortened);
        used += cost(shortened);
      }
    }
    break;
  }

  if (summaryMessage) messages.push(summaryMessage);
  messages.push(...recent);
  const text = messages
    .map((msg) =>
      msg.role === 'system' ? msg.content : `${msg.role === 'user' ? 'User' : 'Assistant'}: ${msg.content}`,
    )
    .join('\n');
  return { messages, text, tokens: used };
}

function cost(msg: PromptMessage): number {
  return countTokens(msg.content) + MESSAGE_OVERHEAD_TOKENS;
}

function resolveOptions(options: MemoryOptions): Required<MemoryOptions> {
  const o = { ...DEFAULT_MEMORY_OPTIONS, ...stripUndefined(options) };
  if (!Number.isInteger(o.windowTurns) || o.windowTurns < 1)
    throw new RangeError('windowTurns must be an integer >= 1');
  if (!Number.isInteger(o.summarizeEvery) || o.summarizeEvery < 1)
    throw new RangeError('summarizeEvery must be an integer >= 1');
  if (!Number.isInteger(o.summaryMaxTokens) || o.summaryMaxTokens < 1) {
    throw new RangeError('summaryMaxTokens must be an integer >= 1');
  }
  if (!Number.isInteger(o.maxTurnChars) || o.maxTurnChars < 1)
    throw new RangeError('maxTurnChars must be an integer >= 1');
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function validateTurn(turn: MemoryTurn): void {
  if (!turn || typeof turn !== 'object') throw new TypeError('turn must be an object');
  if (turn.role !== 'user' && turn.role !== 'assistant')
    throw new TypeError("turn.role must be 'user' or 'assistant'");
  if (typeof turn.text !== 'string') throw new TypeError('turn.text must be a string');
  if (typeof turn.at !== 'string' || Number.isNaN(Date.parse(turn.at)))
    throw new TypeError('turn.at must be an ISO-8601 string');
}
