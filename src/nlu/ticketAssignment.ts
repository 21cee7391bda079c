import type { IntentPrediction } from './intents';

/**
 * A support agent assigning a ticket, read from the message: "assign TKT-000123 to me", "I'll take
 * TKT-000123", "give ticket 123 to @Dana", "unassign TKT-000123", 把工单123分配给我, 工单123我来处理,
 * 取消分配工单123. Rules first (an assignment is a write: the wording must say so), then the
 * trained intent `assign_ticket` for wording the rules do not know ("put TKT-000123 on my plate").
 * Who is meant is never read from a name: an @mention in the message (`<at>…</at>`, which Teams
 * sends with the person's ids in the activity's mention entities) means "the mentioned agent".
 * The ticket id itself comes from the entity extractor.
 */
export type AssignmentRequest = { assignee: 'me' | 'mentioned' | 'nobody' };

/** A mention of someone other than the bot: Teams leaves `<at>Name</at>` in the text. */
const MENTION = /<at>[^<]{1,200}<\/at>/i;

/** Unassigning: "unassign" anywhere; the looser verbs only as the message's command. */
const UNASSIGN = [
  /\b(?:un-?assign|de-?assign)\b/i,
  /^\s*(?:please\s+)?(?:release|drop|let\s+go\s+of)\s+(?:my\s+|the\s+)?(?:ticket\s+|case\s+)?(?:#\s*)?(?:tkt|\d)/i,
  /\b(?:put|send|move|return|throw)\b.{0,40}\bback\b.{0,30}\b(?:in(?:to)?|to)\s+the\s+(?:queue|pool|backlog)\b/i,
  /\bremove\s+(?:me|my\s+name|the\s+assignee|the\s+assignment)\s+from\b/i,
  /\b(?:i'?m|i\s+am)\s+(?:no\s+longer|not)\s+(?:working\s+on|handling)\b/i,
  /取消(?:分配|指派)|退回(?:到)?队列|放回(?:到)?队列|我不再(?:处理|负责)/,
];

const TO_SOMEONE = [
  /\b(?:re-?assign|assign|give|hand(?:\s+over)?|pass|transfer|route|forward|delegate|allocate)\b/i,
  /分配给|指派给|转给|交给|转交/,
];

/** "a look at": "I'll take a look at TKT-000123" reads the ticket, it does not take it. */
const TAKE = String.raw`(?:take(?!\s+a\s+look)|handle|own|pick\s+up|grab|claim|work\s+on|look\s+after|deal\s+with|take\s+over)`;

const TO_ME = [
  /\b(?:re-?assign|assign|allocate|give|route)\b.{0,60}\bto\s+(?:me|myself)\b/i,
  /\b(?:re-?assign|assign)\s+(?:it\s+|this\s+)?(?:me|myself)\b/i,
  new RegExp(
    String.raw`\b(?:i'?ll|i\s+will|i\s+can|let\s+me|i'?m\s+going\s+to|i\s+am\s+going\s+to|gonna|i'?d\s+like\s+to|i\s+want\s+to)\s+${TAKE}\b`,
    'i',
  ),
  /^\s*(?:please\s+)?(?:take|claim|grab|pick\s+up)\s+(?:over\s+)?(?:the\s+)?(?:ticket\s+|case\s+)?(?:#\s*)?(?:tkt|\d)/i,
  /分配给我|指派给我|交给我|我来(?:处理|接手|跟进|负责|接)|我(?:接手|负责)|由我(?:来)?(?:处理|负责)/,
];

/** "who is working on TKT-000123?", "is TKT-000123 assigned?": questions about the ticket, not requests. */
const QUESTION =
  /^\s*(?:who|whom|whose|is|has|was|are|does|did)\b|\bwho(?:'s|\s+is|\s+has)\b|谁(?:在)?(?:处理|负责)|分配给谁了|有人(?:处理|负责)吗/i;

/** The assignment a message asks for by rule, or undefined when its words do not ask for one. */
export function parseTicketAssignment(text: string): AssignmentRequest | undefined {
  if (QUESTION.test(text)) return undefined;
  if (UNASSIGN.some((re) => re.test(text))) return { assignee: 'nobody' };
  if (MENTION.test(text) && TO_SOMEONE.some((re) => re.test(text))) return { assignee: 'mentioned' };
  if (TO_ME.some((re) => re.test(text))) return { assignee: 'me' };
  return undefined;
}

/**
 * Words without which the trained intent alone never assigns: it generalises the wording ("put
 * TKT-000123 on my plate"), the cue keeps a misread lookup ("can you look up TKT-000123", taken for
 * assign_ticket on the held-out split) from taking a ticket.
 */
const ASSIGN_CUE =
  /\b(?:a?ssign\w*|owner|own|mine|plate|take|taking|hand|pass|transfer|delegate|route|responsible|claim|pick(?:ing)?\s+up)\b|分配|指派|负责|接手|认领|转给|交给|转交|处理人|归我|我来|我接/i;

/**
 * The trained intent `assign_ticket` stands only with an assignment in the words: a rule reading, or
 * an assignment word and a ticket. Otherwise the next intent of the ranking is taken ("请把我转给支持
 * 团队", transfer me to the support team, is a hand-over, not an assignment; read as assign_ticket
 * on the zh-CN held-out split), as start_return needs a return cue.
 */
export function requireAssignmentCue(
  text: string,
  prediction: IntentPrediction,
  namesTicket: boolean,
): IntentPrediction {
  if (prediction.intent !== 'assign_ticket') return prediction;
  if (parseTicketAssignment(text) || (namesTicket && ASSIGN_CUE.test(text))) return prediction;
  const next = prediction.ranking.find((r) => r.intent !== 'assign_ticket');
  return next ? { ...prediction, intent: next.intent, confidence: next.score } : prediction;
}

/** "the ticket", "the first one", 第二个, 工单: the words point at a ticket, if not by its number. */
const NAMES_A_TICKET =
  /\b(?:tickets?|case)\b|\b(?:first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last|top|bottom)\s+(?:one|ticket|case)\b|第[一二三四五]|工单/i;

export type AssignmentMove =
  | { tool: 'assign_ticket'; args: { ticketId: string; assignee: AssignmentRequest['assignee'] } }
  | { tool: 'get_ticket_status'; args: { ticketId: string } }
  | 'ask';

/**
 * What the embedded model does with an assignment message: the tool call when it names a ticket,
 * "which ticket?" when it clearly asks for an assignment without one, nothing otherwise. `intent`
 * is the classifier's reading: `assign_ticket` with an assignment word also covers wording the
 * rules do not know (who is then meant: a mention, otherwise the sender); without one, a message
 * naming a ticket is looked up instead (the safe reading of a write the words do not ask for).
 */
export function assignmentMove(
  text: string,
  ticketId: string | undefined,
  intent: string,
): AssignmentMove | undefined {
  const byRule = parseTicketAssignment(text);
  const classified = intent === 'assign_ticket' && !QUESTION.test(text);
  const byIntent =
    classified && ASSIGN_CUE.test(text)
      ? (byRule ?? { assignee: MENTION.test(text) ? ('mentioned' as const) : ('me' as const) })
      : undefined;
  const request = byRule ?? byIntent;
  if (!request) {
    if (intent === 'assign_ticket' && ticketId) return { tool: 'get_ticket_status', args: { ticketId } };
    return undefined;
  }
  if (ticketId) return { tool: 'assign_ticket', args: { ticketId, assignee: request.assignee } };
  // Without a ticket: only an unmistakable assignment of a ticket is answered with the question
  // ("assign it to me", "I'll take the first one" with no list shown; "I'll take it" is not).
  return /\bassign|分配|指派/i.test(text) || NAMES_A_TICKET.test(text) ? 'ask' : undefined;
}
