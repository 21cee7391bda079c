/**
 * Conversation moves that are not a new intent: small talk, corrections, references to an order by
 * what is in it, ids written loosely, and two requests in one message. Pure functions over text (and
 * over orders the caller already scoped to the requesting user); no Teams or bot types here.
 */

type SmallTalk = 'thanks' | 'greeting';

const THANKS =
  /^(?:(?:ok(?:ay)?|great|perfect|awesome|brilliant|lovely|nice|cool|super|excellent|good)[,!. ]*)*(?:thanks?(?: you| u)?(?: (?:so|very) much)?|thx|ty|cheers(?: mate)?|ta|much appreciated|appreciate it|many thanks|thanks a lot|thank you kindly)(?:[,!. ]+(?:that(?:'s| is| was) (?:very |really |so )?(?:great|helpful|all|perfect|useful)|very helpful|mate|a lot))*[!. ]*$/i;
const GREETING =
  /^(?:hi|hello|hey|hiya|howdy|good (?:morning|afternoon|evening)|greetings|yo)(?: there| all| team| bot)?[,!. ]*$/i;

/** "thanks!", "cheers", "great, thank you" → thanks; "hi there" → greeting. Only the whole message counts. */
export function smallTalk(text: string): SmallTalk | undefined {
  const t = text
    .replace(/[’‘]/g, "'")
    .replace(/[🙂😀👍🙏]/gu, '')
    .trim();
  if (t.length === 0 || t.length > 60) return undefined;
  if (THANKS.test(t)) return 'thanks';
  if (GREETING.test(t)) return 'greeting';
  return undefined;
}

/**
 * Ids as people type them, rewritten to the canonical form before entity extraction:
 * "ord 1042l" → "ORD-10421" (l/I/o/O inside the number), and a bare five-digit number
 * when the bot is waiting for an order number ("10421"), or up to six digits for a ticket.
 */
export function normaliseIds(text: string, expecting?: 'orderId' | 'ticketId'): string {
  let out = text.replace(
    /\bord(?:er)?\s*[-_#:. ]?\s*((?:\d[\dlIoO]{3,}|[\dlIoO]{3,}\d)[\dlIoO]*)\b/gi,
    (_m, n: string) => (/\d/.test(n) ? `ORD-${fixDigits(n)}` : _m),
  );
  out = out.replace(/\btkt\s*[-_#:. ]?\s*(\d{1,6})\b/gi, (_m, n: string) => `TKT-${n}`);
  const hasId = /\b[A-Z]{3}-\d/i.test(out);
  if (expecting === 'orderId' && !hasId) {
    const digits = /^\D{0,30}?#?\b(\d{5,10})\b\D{0,30}$/.exec(out);
    if (digits) out = out.replace(digits[1], `ORD-${digits[1]}`);
  }
  if (expecting === 'ticketId' && !hasId) {
    const digits = /^\D{0,30}?#?\b(\d{1,6})\b\D{0,30}$/.exec(out);
    if (digits) out = out.replace(digits[1], `TKT-${digits[1]}`);
  }
  return out;
}

function fixDigits(n: string): string {
  return n.replace(/[lI]/g, '1').replace(/[oO]/g, '0');
}

/** "sorry, I meant ORD-10388", "oops, ORD-10422", "no, I meant …", "actually it's …". */
const CORRECTION =
  /^(?:(?:sorry|oops|whoops|my bad|my mistake|no|nope|wait|actually|correction)\b[,!.:]?\s*)+(?:(?:i|I) meant|i mean|it(?:'s| is| was)|that should be|should be|make that|not that one,?)?\s*(?:order\s*)?(?:ORD-\d+|TKT-\d+)\b|^(?:i|I) meant\s+(?:order\s*)?(?:ORD-\d+|TKT-\d+)\b/i;

export function isCorrection(text: string): boolean {
  return CORRECTION.test(text.replace(/[’‘]/g, "'").trim());
}

/** The parts of an order a reference can name. */
export interface OrderLike {
  id: string;
  orderedAt: string;
  status: string;
  items: { name: string }[];
}

type OrderReference<T extends OrderLike> =
  { kind: 'one'; order: T } | { kind: 'ambiguous'; candidates: T[] } | { kind: 'none' };

const LATEST = /\b(?:my\s+)?(?:last|latest|most recent|newest|recent)\s+(?:order|one|purchase)\b/i;
const FIRST = /\b(?:my\s+)?(?:first|oldest|earliest)\s+(?:order|one|purchase)\b/i;
const REFERENCE_CUE =
  /\b(?:the one|the order|that order|my order|the\s+[\w"' -]{2,30}\s+(?:order|one)|order with|one with|with the|containing|for the|for my)\b/i;

/** Words people use for an item, beside the words of its name. */
const ITEM_SYNONYMS: Record<string, string[]> = {
  headset: ['headphones', 'headphone', 'earphones', 'headset'],
  monitor: ['screen', 'display', 'monitor'],
  mouse: ['mice', 'mouse'],
  keyboard: ['keyboard', 'keys'],
  docking: ['dock', 'docking'],
  chair: ['chair', 'seat'],
  webcam: ['camera', 'webcam', 'cam'],
  speakerphone: ['speaker', 'speakerphone'],
  sleeve: ['sleeve', 'case'],
  bank: ['powerbank', 'charger'],
};

const STOP = new Set([
  'the',
  'a',
  'an',
  'my',
  'one',
  'with',
  'order',
  'i',
  'it',
  'of',
  'for',
  'and',
  'on',
  'in',
]);

function words(s: string): string[] {
  return s
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && !STOP.has(w));
}

function itemTerms(name: string): Set<string> {
  const terms = new Set<string>();
  for (const w of words(name)) {
    terms.add(w);
    if (w.endsWith('s')) terms.add(w.slice(0, -1));
    for (const s of ITEM_SYNONYMS[w] ?? []) terms.add(s);
  }
  return terms;
}

/** Does the message point at an order without its number ("my last order", "the one with the monitor")? */
export function mentionsOrderReference(text: string): boolean {
  return LATEST.test(text) || FIRST.test(text) || REFERENCE_CUE.test(text);
}

/**
 * Resolves "my last order", "the one with the monitor", "the headphones order" against `orders`,
 * which the caller must already have limited to the requesting user's own orders.
 */
export function resolveOrderReference<T extends OrderLike>(text: string, orders: T[]): OrderReference<T> {
  if (orders.length === 0) return { kind: 'none' };
  const byDate = [...orders].sort((a, b) => Date.parse(b.orderedAt) - Date.parse(a.orderedAt));
  if (LATEST.test(text)) return { kind: 'one', order: byDate[0] };
  if (FIRST.test(text)) return { kind: 'one', order: byDate[byDate.length - 1] };
  const said = new Set(words(text).flatMap((w) => (w.endsWith('s') ? [w, w.slice(0, -1)] : [w])));
  const matches = byDate.filter((o) =>
    o.items.some((item) => [...itemTerms(item.name)].some((t) => said.has(t))),
  );
  if (matches.length === 1) return { kind: 'one', order: matches[0] };
  if (matches.length > 1) return { kind: 'ambiguous', candidates: matches };
  return { kind: 'none' };
}

/**
 * Two requests in one message: "where is ORD-10421 and can you open a ticket about my printer?".
 * Splits only where a second request clearly starts; otherwise returns the text whole.
 */
export function splitRequests(text: string): [string, string] | undefined {
  const m =
    /^(.{6,}?)(?:[,;]?\s+(?:and|also|plus)\s+(?:also\s+)?|[.;!?]\s+(?:also\s+|and\s+)?)((?:can|could|would) you\b.{6,}|please\b.{6,}|(?:i|I)(?:'d| would| also)? (?:like|want|need) to\b.{6,}|(?:open|create|raise|file|log|cancel|return|track|check|list|show)\b.{4,})$/i.exec(
      text.trim(),
    );
  if (!m) return undefined;
  return [m[1].trim(), m[2].replace(/^((?:can|could|would) you|please) also\b/i, '$1').trim()];
}

/** The resume line after a digression: "Now, which order number?" */
export function resumePrompt(question: string): string {
  const q = question.replace(/\s+/g, ' ').trim();
  return `Now, ${q.charAt(0).toLowerCase()}${q.slice(1)}`;
}

const PREAMBLE =
  /^(?:(?:actually|but|oh|ok(?:ay)?|wait|first(?: of all)?|before that|hang on|hold on|one sec(?:ond)?|quick question(?: first)?|btw|by the way|also|sorry|and|so)[,:;!.\-–]*\s+)+/i;

/** "hang on, before that: how do I …?" → "how do I …?": the question without the words leading into it. */
export function withoutPreamble(text: string): string {
  return text.trim().replace(PREAMBLE, '').trim() || text.trim();
}

/** "actually first, how do I return an item?", "what are your phone hours?": a question, not an answer. */
export function isQuestion(text: string): boolean {
  const t = withoutPreamble(text);
  return (
    /[?？]\s*$/.test(t) ||
    /[吗么呢][\s。]*$/.test(t) ||
    /^(?:how|what|when|where|which|why|who|is|are|do|does|can|could|will|would|should)\b/i.test(t)
  );
}
