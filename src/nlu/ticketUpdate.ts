/**
 * A request to change a ticket, read from the message by rule (no trained intent: the wording is
 * narrow and an update must never be guessed):
 * - a status change: "mark TKT-000123 as resolved: disk replaced", "set TKT-000123 to in progress",
 *   "close ticket TKT-000123", "resolve TKT-000123 with note: fixed";
 * - a note that keeps the status: "add a note to TKT-000123: customer called back", "note on it:
 *   waiting for the courier", "comment on the first one: …", "pls add note to 1234 - …".
 * Which ticket is meant is read from the words naming it (`target`), never from the rest of the
 * message: "note on it: duplicate of TKT-000002" is a note on the ticket shown, not on TKT-000002.
 */
type TicketUpdateRequest = { status: 'in_progress' | 'resolved' | 'closed'; comment?: string };

/** The words that name the ticket: an id ("TKT-000123", "ticket 12", "#12"), a place or a pronoun. */
export type TicketTarget =
  | { kind: 'id'; ticketId: string }
  /** "it", "that ticket", "the first one": the ticket just shown (src/nlu/ticketReference.ts). */
  | { kind: 'shown'; words: string }
  /** "add a note: …": no ticket named at all; the ticket just shown, if exactly one was. */
  | { kind: 'none' };

/**
 * What a ticket request asks, as update_ticket's arguments without the ticket id (a note has no
 * status), with the words naming the ticket. `comment` is absent on a note without its text
 * ("add a note to it"); `internal`: an internal / private note was asked for.
 */
export type TicketRequest =
  | { kind: 'update'; update: TicketUpdateRequest; target: TicketTarget }
  | { kind: 'note'; comment?: string; internal: boolean; target: TicketTarget };

const STATUS_WORDS: Record<string, TicketUpdateRequest['status']> = {
  'in progress': 'in_progress',
  'in-progress': 'in_progress',
  in_progress: 'in_progress',
  resolved: 'resolved',
  fixed: 'resolved',
  done: 'resolved',
  closed: 'closed',
};

/** "TKT-000123", "tkt 12", "ticket 12", "ticket #12", "#12", "12" (the id, in a command). */
const TICKET = String.raw`(?:(?:ticket|case)\s+)?(?:(?:TKT|TCK)[-_ ]?\d{1,6}|(?:(?:ticket|case)\s+)?(?:#\s*|no\.?\s*|number\s+)?\d{1,6})`;
/**
 * The ticket just shown, by pronoun or place ("mark it as resolved", "close that ticket", "resolve
 * the first one"): only the planner's shown-ticket memory can name it (src/nlu/ticketReference.ts);
 * without a ticket shown in this conversation the bot asks which ticket.
 */
const SHOWN_TICKET = String.raw`(?:it|my\s+(?:ticket|case)|this(?:\s+(?:one|ticket|case))?|that(?:\s+(?:one|ticket|case))?|the\s+(?:ticket|case|(?:first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last|top|bottom)\s+(?:one|ticket|case)))`;
const TARGET = String.raw`(${TICKET}|${SHOWN_TICKET})`;
const SET_STATUS = new RegExp(
  String.raw`\b(?:mark|set|move|change|put|update)\s+(?:my\s+|the\s+)?${TARGET}\s+(?:as|to)\s+(in[ _-]progress|resolved|fixed|done|closed)\b`,
  'i',
);
const VERB_FIRST = new RegExp(
  String.raw`^\s*(?:(?:please|pls|plz)\s+)?(close|resolve)\s+(?:my\s+|the\s+)?${TARGET}(?![\w-])`,
  'i',
);
const COMMENT = /^\s*(?:(?:with\s+(?:a\s+)?)?(?:note|comment)\s*:?\s*|[:,;–-]\s*)(.+)$/is;

/**
 * "did you mark it as resolved?", "why was TKT-000123 closed?", "how do I mark it as resolved?": a
 * question about an update, not one ("can you mark it as resolved?" asks for one).
 */
const ASKS_ABOUT =
  /^\s*(?:did|has|have|had|is|was|were|why|who|when|whether|what|which|how|where|can\s+i\s+see|show|(?:do|can|could|may|should)\s+(?:i|we))\b/i;

/** A note and its common misspellings ("ntoe", "coment"); "internal note" / "private comment" too. */
const NOTE_WORD = String.raw`(?:(internal|private)\s+)?(?:note|ntoe|nte|comment|coment|commnet|comemnt|cmment)`;
const POLITE = String.raw`(?:(?:please|pls|plz|can\s+you|could\s+you|would\s+you|kindly)\s+)*`;
/** "add a note to …", "pls add note on …", "leave a comment for …", "put a note on …". */
const ADD_NOTE = new RegExp(
  String.raw`^\s*${POLITE}(?:add|addd|ad|put|leave|post|write|log|make|drop|attach)\s+(?:a\s+|an\s+|the\s+|this\s+)?${NOTE_WORD}(?:\s+(?:to|on|onto|for|in|under)\s+(?:my\s+|the\s+)?${TARGET})?(?![\w-])`,
  'i',
);
/** 'add the note "customer called back" to TKT-000123': the text first, in quotes, then the ticket. */
const QUOTED_NOTE = new RegExp(
  String.raw`^\s*${POLITE}(?:add|put|leave|post|write|log|attach)\s+(?:a\s+|an\s+|the\s+|this\s+)?${NOTE_WORD}\s*[:,]?\s*["“']([^"”]+?)["”']\s+(?:to|on|onto|for|in|under)\s+(?:my\s+|the\s+)?${TARGET}\s*[.!]?\s*$`,
  'i',
);
/** "update TKT-000123 with a note: …", "annotate it with: …". */
const UPDATE_WITH_NOTE = new RegExp(
  String.raw`^\s*${POLITE}(?:update|annotate)\s+(?:my\s+|the\s+)?${TARGET}\s+with(?:\s+(?:a|an|the|this))?(?:\s+${NOTE_WORD})?(?=\s*[:,;–-])`,
  'i',
);
/** "note on it: …", "comment on the first one: …", "note for TKT-000123 - …" (a command: a separator follows). */
const NOTE_ON = new RegExp(
  String.raw`^\s*${POLITE}${NOTE_WORD}\s+(?:to|on|for)\s+(?:my\s+|the\s+)?${TARGET}(?=\s*[:,;–-]|\s+(?:saying|that)\b)`,
  'i',
);
/** What the note says: after a separator, "saying …", "that …" or "with …". */
const NOTE_TEXT =
  /^\s*(?:(?:please|pls|plz)\s*)?(?:[:,;–-]+\s*|saying\s*:?\s*|that\s+says\s*:?\s*|that\s+|with\s+(?:the\s+)?(?:text\s*)?:?\s*)(.+)$/is;
/** "leave a note for the customer: …": who reads it (the requester always does), not the ticket. */
const FOR_REQUESTER = /^\s+(?:for|to)\s+(?:the\s+)?(?:customer|requester|client|user)\b/i;
/** A place the words put the note that names no ticket the rules can read ("to the file"). */
const UNREAD_TARGET = /^\s+(?:to|on|onto|for|in|under)\b/i;

/** 给 TKT-000123 加备注:客户已回电, 在第一个工单上添加备注:…, 给它加个内部备注 (内部: internal). */
const ZH_NOTE =
  /^\s*(?:请|麻烦)?(?:你)?(?:帮我)?(?:给|在|为)\s*(?:工单\s*)?((?:TKT|TCK)[-_ ]?\d{1,6}|\d{1,6}|这个工单|那个工单|这个|那个|它|第[一二三四五](?:个|条|张)?(?:工单)?|最后(?:一)?(?:个|条|张)(?:工单)?)\s*(?:号)?(?:工单)?\s*(?:上)?\s*(?:加|添加|增加|写|记|留)(?:上)?(?:个|一条|一个|一下|条)?\s*(内部|私下)?(?:的)?(?:备注|评论|留言)\s*(?:[:：,，]\s*|说\s*)?(.*)$/i;

function targetOf(words: string | undefined): TicketTarget {
  if (!words) return { kind: 'none' };
  const id = /(\d{1,6})\s*$/.exec(words.trim());
  if (id) return { kind: 'id', ticketId: `TKT-${id[1]!.padStart(6, '0')}` };
  return { kind: 'shown', words };
}

function matchUpdate(text: string): { update: TicketUpdateRequest; target: TicketTarget } | undefined {
  if (ASKS_ABOUT.test(text)) return undefined;
  const set = SET_STATUS.exec(text);
  const verb = set ? undefined : VERB_FIRST.exec(text);
  const match = set ?? verb;
  if (!match) return undefined;
  const status = set
    ? STATUS_WORDS[set[2]!.toLowerCase().replace(/_/g, ' ')]
    : match[1]!.toLowerCase() === 'close'
      ? 'closed'
      : 'resolved';
  if (!status) return undefined;
  const rest = text.slice(match.index + match[0].length);
  const comment = COMMENT.exec(rest)?.[1]?.trim();
  const target = targetOf(set ? set[1] : match[2]);
  return { update: comment ? { status, comment } : { status }, target };
}

/**
 * "tell the customer we are sending a replacement", "let the requester know that it shipped": what
 * to tell a ticket's requester is a note on the ticket shown (every note reaches the requester).
 */
const TELL_REQUESTER = new RegExp(
  String.raw`^\s*${POLITE}(?:tell|inform|let|message|reply to|write to)\s+(?:the\s+)?(?:customer|requester|requestor|user|client|caller)(?:\s+know)?\s*(?:that\s+|[:,–-]\s*|(?=\w))(.{3,})$`,
  'i',
);

function matchNote(text: string): TicketRequest | undefined {
  if (ASKS_ABOUT.test(text)) return undefined;
  const told = TELL_REQUESTER.exec(text);
  if (told)
    return {
      kind: 'note',
      comment: told[1]!.trim().slice(0, 2000),
      internal: false,
      target: { kind: 'shown', words: 'it' },
    };
  const zh = ZH_NOTE.exec(text);
  if (zh) {
    const comment = zh[3]?.trim();
    return {
      kind: 'note',
      ...(comment ? { comment: comment.slice(0, 2000) } : {}),
      internal: zh[2] !== undefined,
      target: targetOf(zh[1]),
    };
  }
  const quoted = QUOTED_NOTE.exec(text);
  if (quoted)
    return {
      kind: 'note',
      comment: quoted[2]!.trim().slice(0, 2000),
      internal: quoted[1] !== undefined,
      target: targetOf(quoted[3]),
    };
  const update = UPDATE_WITH_NOTE.exec(text);
  const match = update ?? ADD_NOTE.exec(text) ?? NOTE_ON.exec(text);
  if (!match) return undefined;
  // UPDATE_WITH_NOTE names the ticket first (group 1), then the note word (group 2: internal).
  const [internalGroup, targetGroup] = update ? [match[2], match[1]] : [match[1], match[2]];
  const rest = text.slice(match.index + match[0].length).replace(FOR_REQUESTER, '');
  if (targetGroup === undefined && UNREAD_TARGET.test(rest)) return undefined;
  const said = NOTE_TEXT.exec(rest)?.[1]?.trim();
  // "add a note to it" says nothing yet; "add note customer called back" has no separator.
  const comment = said ?? (/^\s+\S/.test(rest) ? rest.trim() : undefined);
  return {
    kind: 'note',
    ...(comment ? { comment: comment.slice(0, 2000) } : {}),
    internal: internalGroup !== undefined,
    target: targetOf(targetGroup),
  };
}

/** A status change or a note, with the words naming its ticket; undefined when the message asks neither. */
export function parseTicketRequest(text: string): TicketRequest | undefined {
  const update = matchUpdate(text);
  if (update) return { kind: 'update', ...update };
  return matchNote(text);
}

/** The status change a message asks for (see parseTicketRequest for the ticket it names). */
export function parseTicketUpdate(text: string): TicketUpdateRequest | undefined {
  return matchUpdate(text)?.update;
}
