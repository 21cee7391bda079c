import type { TicketTranscriptLine } from '../tickets/ticket';
import type { TranscriptEntry, TranscriptStore } from './transcriptStore';

/** Longest text kept per message on a handoff ticket (the ticket is one Cosmos document). */
const MAX_LINE_CHARS = 1000;

/**
 * The last `turns` turns of a conversation from the audit transcript, as lines for a handoff ticket:
 * what the user wrote and what the bot answered (card titles stand in for cards). In a shared
 * conversation (`member` given) only that member's turns: the bot's replies to a member are
 * recorded under that member's id, so other members' exchanges are never attached.
 */
export async function recentTranscriptLines(
  store: Pick<TranscriptStore, 'list'>,
  conversationId: string,
  turns: number,
  member?: string,
): Promise<TicketTranscriptLine[]> {
  const entries = (await store.list(conversationId)).filter(
    (e) =>
      (e.kind === 'user_message' || e.kind === 'bot_reply') &&
      (member === undefined || e.userAadObjectId === member),
  );
  const turnIds: string[] = [];
  for (const e of entries) if (!turnIds.includes(e.activityId)) turnIds.push(e.activityId);
  const keep = new Set(turnIds.slice(-turns));
  return entries
    .filter((e) => keep.has(e.activityId))
    .map(
      (e) =>
        ({ role: e.kind === 'user_message' ? 'user' : 'bot', text: lineText(e), at: e.timestamp }) as const,
    )
    .filter((l) => l.text.length > 0);
}

function lineText(entry: TranscriptEntry): string {
  const text = (entry.text ?? '').trim();
  const cards = Array.isArray(entry.action?.data) ? (entry.action.data as unknown[]) : [];
  const titles = cards.map(firstText).filter(Boolean);
  const all = [text, ...titles.map((t) => `[card: ${t}]`)].filter(Boolean).join(' ');
  return all.length > MAX_LINE_CHARS ? `${all.slice(0, MAX_LINE_CHARS - 1)}…` : all;
}

/** The first TextBlock of a card (its heading). */
function firstText(card: unknown): string {
  const body = (card as { body?: unknown[] } | undefined)?.body;
  if (!Array.isArray(body)) return '';
  for (const el of body) {
    const t = (el as { type?: string; text?: unknown }).text;
    if ((el as { type?: string }).type === 'TextBlock' && typeof t === 'string') return t.slice(0, 200);
  }
  return '';
}
