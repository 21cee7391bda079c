/**
 * A request to change a ticket's status, read from the message by rule (no trained intent: the
 * wording is narrow and an update must never be guessed): "mark TKT-000123 as resolved: disk
 * replaced", "set TKT-000123 to in progress", "close ticket TKT-000123", "resolve TKT-000123 with
 * note: fixed". The ticket id itself comes from the entity extractor.
 */
type TicketUpdateRequest = { status: 'in_progress' | 'resolved' | 'closed'; comment?: string };

const STATUS_WORDS: Record<string, TicketUpdateRequest['status']> = {
  'in progress': 'in_progress',
  'in-progress': 'in_progress',
  in_progress: 'in_progress',
  resolved: 'resolved',
  fixed: 'resolved',
  done: 'resolved',
  closed: 'closed',
};

const TICKET = String.raw`(?:ticket\s+)?TKT-\d{6}`;
/**
 * The ticket just shown, by pronoun or place ("mark it as resolved", "close that ticket", "resolve
 * the first one"): only the planner's shown-ticket memory can name it (src/nlu/ticketReference.ts);
 * without a ticket shown in this conversation there is no id and nothing is updated.
 */
const SHOWN_TICKET = String.raw`(?:it|this(?:\s+(?:one|ticket|case))?|that(?:\s+(?:one|ticket|case))?|the\s+(?:ticket|case|(?:first|second|third|last|top)\s+(?:one|ticket)))`;
const TARGET = String.raw`(?:${TICKET}|${SHOWN_TICKET})`;
const SET_STATUS = new RegExp(
  String.raw`\b(?:mark|set|move|change|put|update)\s+(?:my\s+|the\s+)?${TARGET}\s+(?:as|to)\s+(in[ _-]progress|resolved|fixed|done|closed)\b`,
  'i',
);
const VERB_FIRST = new RegExp(
  String.raw`^\s*(?:please\s+)?(close|resolve)\s+(?:my\s+|the\s+)?${TARGET}\b`,
  'i',
);
const COMMENT = /^\s*(?:(?:with\s+(?:a\s+)?)?(?:note|comment)\s*:?\s*|[:,;–-]\s*)(.+)$/is;

/** "did you mark it as resolved?", "why was TKT-000123 closed?": a question about an update, not one. */
const ASKS_ABOUT = /^\s*(?:did|has|have|had|is|was|were|why|who|when|whether)\b/i;

export function parseTicketUpdate(text: string): TicketUpdateRequest | undefined {
  if (ASKS_ABOUT.test(text)) return undefined;
  const set = SET_STATUS.exec(text);
  const verb = set ? undefined : VERB_FIRST.exec(text);
  const match = set ?? verb;
  if (!match) return undefined;
  const status = set
    ? STATUS_WORDS[set[1].toLowerCase().replace(/_/g, ' ')]
    : match[1].toLowerCase() === 'close'
      ? 'closed'
      : 'resolved';
  if (!status) return undefined;
  const rest = text.slice(match.index + match[0].length);
  const comment = COMMENT.exec(rest)?.[1]?.trim();
  return comment ? { status, comment } : { status };
}
