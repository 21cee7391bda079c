import { ticketListScope } from './ticketListScope';
import type { Language } from '../text/language';
import type { TicketCategory, TicketPriority } from '../tickets/ticketEnums';
import type { ExtractedEntities } from './entities';
import { soundsFrustrated } from './frustration';
import { describesProblem } from './problemReport';
import type { IntentPrediction } from './intents';
import { orderDateRange, placedIn } from './orderDates';
import { asksAboutPolicy } from './policyQuestion';
import type { TicketRequest } from './ticketUpdate';

/**
 * Conversation moves that are not a new intent: small talk, corrections, references to an order by
 * what is in it, ids written loosely, two requests in one message, and slot filling (what a message
 * means while a question waits, which tool a request calls: `DialogueMove`). Pure functions over text
 * (and over orders the caller already scoped to the requesting user); no Teams or bot types here.
 */

type SmallTalk = 'thanks' | 'greeting' | 'farewell';

const THANKS_WORDS =
  '(?:thanks?(?: you| u)?(?: (?:so|very) much)?|thx|thnx|tnx|ty|cheers(?: mate)?|ta|much appreciated|appreciate it|many thanks|thanks a lot|thank you kindly)';
const FAREWELL_WORDS =
  "(?:(?:good)?bye(?: bye| for now| then)?|bye-bye|cya|see (?:you|ya)(?: later| soon| around)?|later|take care|have a (?:nice|good|great) (?:day|one|evening|weekend)|that(?:'s| is| was) (?:all|it)(?: for (?:now|today))?|all good(?: now)?)";
const OK_WORDS =
  '(?:(?:ok(?:ay)?|great|perfect|awesome|brilliant|lovely|nice|cool|super|excellent|good|alright|right)[,!. ]*)';
/** Whom thanks or a goodbye is said to: "thanks bot", "cheers mate", "bye team". */
const ADDRESSEE = '(?:bot|buddy|mate|man|team|guys|folks|friend|pal|dude|all|everyone)';
const THANKS = new RegExp(
  `^${OK_WORDS}*${THANKS_WORDS}(?:[,!. ]+(?:that(?:'s| is| was) (?:very |really |so )?(?:great|helpful|perfect|useful)|that help(?:ed|s)|that worked|very helpful|${ADDRESSEE}|a lot|for (?:your |the |all (?:your |the )?)?(?:help|assistance|that|everything|this)))*[!. ]*$`,
  'i',
);
// "thx, bye", "ok that's all, thanks", "bye!": the conversation is ending, whatever the order.
const FAREWELL = new RegExp(
  `^${OK_WORDS}*(?:${THANKS_WORDS}[,!. ]+(?:and )?)?${FAREWELL_WORDS}(?:[,!. ]+(?:${THANKS_WORDS}|${FAREWELL_WORDS}|${ADDRESSEE}))*(?: again)?[!. ]*$`,
  'i',
);
const GREETING =
  /^(?:hi|hello|hey|hiya|howdy|good (?:morning|afternoon|evening)|greetings|yo)(?: there| all| team| bot)?[,!. ]*$/i;
const THANKS_ZH = /^(?:好的?[，,]?\s*)?(?:谢谢|多谢|感谢|谢了|谢啦)(?:你|您|了|啦)?[!！。~\s]*$/;
const FAREWELL_ZH =
  /^(?:(?:好的?|谢谢(?:你|您)?)[，,]?\s*)?(?:再见|拜拜|回头见|下次见)(?:了|啦)?[!！。~\s]*$/;
const GREETING_ZH = /^(?:你好|您好|嗨|哈喽|早上好|下午好|晚上好|早)(?:呀|啊)?[!！。~\s]*$/;

/**
 * "thanks!", "cheers", "great, thank you" → thanks; "hi there" → greeting; "thx, bye", "that's all,
 * thanks" → farewell; the same in Chinese. Only the whole message counts.
 */
export function smallTalk(text: string): SmallTalk | undefined {
  const t = text
    .replace(/[’‘]/g, "'")
    .replace(/[🙂😀👍🙏👋]/gu, '')
    .trim();
  if (t.length === 0 || t.length > 60) return undefined;
  if (FAREWELL.test(t) || FAREWELL_ZH.test(t)) return 'farewell';
  if (THANKS.test(t) || THANKS_ZH.test(t)) return 'thanks';
  if (GREETING.test(t) || GREETING_ZH.test(t)) return 'greeting';
  return undefined;
}

const CONTINUE =
  /^(?:(?:ok(?:ay)?|yes|yeah|yep|sure|alright|right|fine)[,!. ]*)*(?:(?:let'?s |please |pls )?(?:continue|carry on|go on|keep going|proceed|move on|resume)(?: (?:then|please|pls|with (?:it|that|the (?:return|ticket|order))|where we (?:were|left off)))*|back to (?:it|that|the (?:return|ticket|order))|where were we)[?!. ]*$/i;
const CONTINUE_ZH = /^(?:好的?[，,]?\s*)?(?:继续|接着来|接着说|继续吧|请继续)(?:吧|了)?[!！。\s]*$/;

/** "ok continue", "let's carry on", "where were we?", 继续: go back to the waiting question. */
export function asksToContinue(text: string): boolean {
  const t = text.replace(/[’‘]/g, "'").trim();
  return t.length <= 60 && (CONTINUE.test(t) || CONTINUE_ZH.test(t));
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
  // "tkt 12", "tkt-000012", "tck-12" (a common slip of the keys).
  out = out.replace(/\bt(?:kt|ck)\s*[-_#:. ]?\s*(\d{1,6})\b/gi, (_m, n: string) => `TKT-${n}`);
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

/**
 * A correction that names the order by what is in it: "actually, make that the headset instead",
 * "sorry, I meant the keyboard", "no, the other one with the monitor". The caller resolves the
 * reference against the user's own orders.
 */
const CORRECTION_BY_REFERENCE =
  /^(?:(?:sorry|oops|whoops|my bad|my mistake|no|nope|wait|actually|correction|hmm|oh)\b[,!.:]?\s*)+(?:(?:i|I) meant|i mean|make (?:that|it)|it(?:'s| is| was)|not that one,?|rather|i want(?:ed)?(?: to return| to cancel)?)?\s*(?:the|my)\s+\S|^(?:i meant|make (?:that|it))\s+(?:the|my)\s+\S|^(?:make (?:that|it)|(?:and )?(?:the|my))\b.{2,40}\binstead[.!]?$/i;

export function correctsByReference(text: string): boolean {
  const t = text.replace(/[’‘]/g, "'").trim();
  return t.length <= 80 && CORRECTION_BY_REFERENCE.test(t);
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
// "i ordered a keyboard", "where's my keyboard?": matched against the items of the user's own orders
// (no match leaves the message as it was). Not while the bot asks why an order is returned: "the mug
// handle came off" is the reason, not another order.
const ITEM_NAMED_CUE =
  /\b(?:ordered|orderd|ordred|odered|bought|bougth|bougt|purchased|purchsed|(?:my|the|these|those|this)\s+[a-z]{3,})\b/i;
const REFERENCE_CUE =
  /\b(?:the one|the order|that order|my order|the\s+[\w"' -]{2,30}\s+(?:order|one)|order with|one with|with the|containing|for the|for my)\b/i;

/**
 * An order named by what happened to it: "the order I cancelled", "my returned one", 我取消的订单.
 * Each cue lists the statuses it names.
 */
const STATUS_NAMED: [RegExp, string[]][] = [
  [
    /\b(?:order|one|purchase|thing|stuff)s?\s+(?:that\s+|which\s+)?(?:i|we)(?:\s+have|'ve)?\s+(?:just\s+)?cancel+ed\b|\b(?:my|the|that)\s+cancel+ed\s+(?:order|one|purchase)\b|取消(?:了)?的(?:那个|那单)?(?:订单|那单|那个)/i,
    ['cancelled'],
  ],
  [
    /\b(?:order|one|purchase|thing|stuff)s?\s+(?:that\s+|which\s+)?(?:i|we)(?:\s+have|'ve)?\s+(?:just\s+)?(?:returned|sent back|send back)\b|\b(?:my|the|that)\s+returned\s+(?:order|one|purchase)\b|退(?:了)?货的(?:那个|那单)?(?:订单|那单|那个)/i,
    ['return_requested', 'returned'],
  ],
];

function statusesNamed(text: string): string[] | undefined {
  return STATUS_NAMED.find(([cue]) => cue.test(text))?.[1];
}

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

/**
 * Chinese words for items (item names are English in the order data): "我买的显示器" names the
 * monitor. Each word adds the English terms it stands for to what the message says.
 */
const ZH_ITEM_WORDS: [RegExp, string[]][] = [
  [/键盘/, ['keyboard']],
  [/鼠标/, ['mouse']],
  [/显示器|显示屏|屏幕/, ['monitor']],
  [/耳机|耳麦/, ['headphones', 'headset']],
  [/椅子|座椅/, ['chair']],
  [/摄像头/, ['webcam']],
  [/扩展坞|拓展坞/, ['docking']],
  [/数据线|线缆/, ['cable']],
  [/保护套|内胆包|电脑包/, ['sleeve', 'case']],
  [/旅行箱|收纳盒|收纳包/, ['case']],
  [/礼品卡/, ['gift']],
  [/音箱|扬声器/, ['speakerphone']],
  [/充电宝|移动电源/, ['bank']],
  // Words of an item's name: "头戴式的那个" is the over-ear one, "无线的" the wireless one.
  [/头戴/, ['ear']],
  [/降噪/, ['noise']],
  [/无线/, ['wireless']],
];

function chineseItemTerms(text: string): string[] {
  return ZH_ITEM_WORDS.filter(([re]) => re.test(text)).flatMap(([, terms]) => terms);
}

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

function literalTerms(name: string): Set<string> {
  const terms = new Set<string>();
  for (const w of words(name)) terms.add(w.endsWith('s') ? w.slice(0, -1) : w).add(w);
  return terms;
}

/** The item's head noun ("headphones" of "Wireless over-ear headphones"), as literalTerms. */
function headTerms(name: string): Set<string> {
  const all = words(name);
  return literalTerms(all[all.length - 1] ?? '');
}

/** One insertion, deletion, substitution or swap of neighbours apart ("keybord" / "keyboard"). */
function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return a === b;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const swapped = a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  return (
    swapped ||
    a.slice(i + 1) === b.slice(i + 1) ||
    a.slice(i + 1) === b.slice(i) ||
    a.slice(i) === b.slice(i + 1)
  );
}

/** A misspelt item word ("keybord", "headphnes"): six letters or more, one edit from a term. */
function nearlySaid(said: Set<string>, terms: Iterable<string>): boolean {
  const long = [...said].filter((w) => w.length >= 6);
  return [...terms].some((t) => t.length >= 6 && long.some((w) => oneEditApart(w, t)));
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

/** An order named by when it was placed: "what I ordered last week", 上周买的. */
const DATED_ORDER_CUE =
  /\b(?:order(?:ed|s)?|orderd|ordred|odered|bought|bougth|purchased?|placed|got|one)\b|订单|买的|下单|购买|那个|那单|那笔/i;

/** Does the message point at an order without its number ("my last order", "the one with the monitor")? */
export function mentionsOrderReference(text: string, now = Date.now(), byItem = true): boolean {
  return (
    (byItem && (ITEM_NAMED_CUE.test(text) || chineseItemTerms(text).length > 0)) ||
    LATEST.test(text) ||
    FIRST.test(text) ||
    REFERENCE_CUE.test(text) ||
    statusesNamed(text) !== undefined ||
    (DATED_ORDER_CUE.test(text) && orderDateRange(text, now) !== undefined)
  );
}

/**
 * "I want to track the thing I bought back in September": an order named by its date is about an
 * order even when the classifier read the sentence as something else; the best order intent of the
 * ranking is taken, if it has one.
 */
export function orderIntentOfDatedReference(text: string, prediction: IntentPrediction): IntentPrediction {
  if (ORDER_INTENTS.has(prediction.intent) || !DATED_ORDER_CUE.test(text) || !namesOrderDate(text))
    return prediction;
  // "I bought it in early December, is it too late to bring it back?" asks the rule (policyQuestion.ts).
  if (asksAboutPolicy(text)) return prediction;
  // A return only when one is named (as requireReturnCue): "bought back in May" is no return.
  const namesReturn = RETURN_CUE.test(text) || RETURN_CUE_ZH.test(text);
  const order = prediction.ranking.find(
    (r) => ORDER_INTENTS.has(r.intent) && (r.intent !== 'start_return' || namesReturn),
  );
  return order ? { ...prediction, intent: order.intent, confidence: order.score } : prediction;
}

/** "the one I ordered last week", "my order from November": names a date (it may match none). */
export function namesOrderDate(text: string, now = Date.now()): boolean {
  return orderDateRange(text, now) !== undefined;
}

/**
 * Resolves "my last order", "the one with the monitor", "the headphones order" against `orders`,
 * which the caller must already have limited to the requesting user's own orders.
 */
export function resolveOrderReference<T extends OrderLike>(
  text: string,
  orders: T[],
  now = Date.now(),
): OrderReference<T> {
  const range = orderDateRange(text, now);
  // "the one I ordered last week", "my last order from November": only orders placed then count.
  // "the order I cancelled": only orders in that state count.
  const statuses = statusesNamed(text);
  const byDate = [...orders]
    .filter((o) => !range || placedIn(o.orderedAt, range))
    .filter((o) => !statuses || statuses.includes(o.status))
    .sort((a, b) => Date.parse(b.orderedAt) - Date.parse(a.orderedAt));
  if (byDate.length === 0) return { kind: 'none' };
  const said = new Set(
    [...words(text), ...chineseItemTerms(text)].flatMap((w) => (w.endsWith('s') ? [w, w.slice(0, -1)] : [w])),
  );
  const exact = (terms: Iterable<string>) => [...terms].some((t) => said.has(t));
  // "i ordred a keybord": a misspelt item word, only when no item is named as written.
  const writtenAsIs = byDate.some((o) => o.items.some((item) => exact(itemTerms(item.name))));
  const hit = writtenAsIs ? exact : (terms: Iterable<string>) => nearlySaid(said, terms);
  const named = (o: T, terms: (name: string) => Iterable<string>) =>
    o.items.some((item) => hit(terms(item.name)));
  const loosely = byDate.filter((o) => named(o, itemTerms));
  // "the headphones" names the headphones, not the headset its synonyms also match; "the headset,
  // it hurts my ears" names the headset, not the over-ear headphones (a head noun before a modifier).
  const literally = loosely.filter((o) => named(o, literalTerms));
  const byHead = literally.filter((o) => named(o, headTerms));
  const matches = byHead.length ? byHead : literally.length ? literally : loosely;
  // "the headphones from my latest order": the latest of the orders with them.
  const ranked = matches.length ? matches : byDate;
  if (LATEST.test(text)) return { kind: 'one', order: ranked[0] };
  if (FIRST.test(text)) return { kind: 'one', order: ranked[ranked.length - 1] };
  if (matches.length === 1) return { kind: 'one', order: matches[0] };
  if (matches.length > 1) return { kind: 'ambiguous', candidates: matches };
  const namesAnItem = orders.some((o) =>
    o.items.some((i) => exact(itemTerms(i.name)) || nearlySaid(said, itemTerms(i.name))),
  );
  if ((!range && !statuses) || namesAnItem) return { kind: 'none' };
  // A date or a state and no item: the orders placed then (one, or the candidates to choose from).
  return byDate.length === 1 ? { kind: 'one', order: byDate[0] } : { kind: 'ambiguous', candidates: byDate };
}

/**
 * Two requests in one message: "where is ORD-10421 and can you open a ticket about my printer?".
 * Splits only where a second request clearly starts; otherwise returns the text whole.
 */
export function splitRequests(text: string): [string, string] | undefined {
  const m =
    /^(.{6,}?)(?:[,;]?\s+(?:and|also|plus)[,:]?\s+(?:also[,:]?\s+|then\s+)?|[.;!?]\s+(?:also[,:]?\s+|and\s+)?)((?:can|could|would) you\b.{6,}|please\b.{6,}|(?:i|I)(?:'d| would| also)? (?:like|want|need) to\b.{6,}|(?:open|create|raise|file|log|cancel|return|track|check|list|show)\b.{4,}|(?:tell me|let me know|remind me|explain)\b.{4,}|(?:what|how|when|where|which|is there|are there|do (?:you|i|we)|does|(?:can|could|may|should) (?:i|we))\b.{6,}[?？]?)$/i.exec(
      text.trim(),
    );
  if (!m) return splitChineseRequests(text);
  return [m[1].trim(), m[2].replace(/^((?:can|could|would) you|please) also\b/i, '$1').trim()];
}

/** "我的订单ORD-10421到哪了，另外退款多久到账": a second request after 另外 / 还有 / 顺便. */
function splitChineseRequests(text: string): [string, string] | undefined {
  const m =
    /^(.{4,}?)[，,。；;！!？?\s]+(?:另外|还有|顺便|以及|再)(?:问一下|问下|想问)?[，,：:]?\s*(.{4,})$/.exec(
      text.trim(),
    );
  return m && HAN.test(text) ? [m[1].trim(), m[2].trim()] : undefined;
}

/**
 * One action on two orders: "cancel ORD-10422 and ORD-10430", "where are ORD-10421 and ORD-10388?".
 * Each part is the message with the pair replaced by one of the two numbers.
 */
export function splitOrderIds(text: string): [string, string] | undefined {
  const m =
    /\b(ORD-\d{5,10})\s*(?:,|and|&|plus|as well as|和|跟|与|还有)\s*(?:(?:order|the order)\s+)?(ORD-\d{5,10})\b/i.exec(
      text,
    );
  if (!m || m[1].toUpperCase() === m[2].toUpperCase()) return undefined;
  // The pair ("ORD-1 and ORD-2") becomes one of them.
  const only = (id: string) => text.replace(m[0], id).replace(/\s+/g, ' ').trim();
  return [only(m[1]), only(m[2])];
}

/** "tell me the return window", "(could you) let me know how long refunds take": asks to be told. */
const TELL_ME =
  /^(?:(?:please\s+)?(?:can|could|would) you\s+(?:please\s+)?|please\s+)?(?:also\s+)?(?:tell me|let me know|remind me|explain)\b/i;
/** A request of the bot ("can you open a ticket …"), not a question for the documents. */
const REQUEST_OF_BOT = /^(?:please\s+)?(?:can|could|would|will) you\b/i;
/** Intents a question for the documents is often taken for ("what is the return window?" → start_return). */
const QUESTION_LOOKALIKES = new Set([
  'knowledge_question',
  'out_of_scope',
  'start_return',
  'help',
  'create_ticket',
]);

/**
 * One part of a two-request message that asks to be told something the documents may say ("tell
 * me the return window", "how long do refunds take?"), rather than to act on an order or ticket.
 */
export function asksTheDocuments(
  text: string,
  prediction: IntentPrediction,
  entities: ExtractedEntities,
): boolean {
  if (entities.orderId || entities.ticketId) return false;
  if (TELL_ME.test(text)) return true;
  return isQuestion(text) && !REQUEST_OF_BOT.test(text) && QUESTION_LOOKALIKES.has(prediction.intent);
}

/** "tell me the return window" → "the return window": the question the documents are searched with. */
export function withoutTellMe(text: string): string {
  return text.replace(TELL_ME, '').trim() || text;
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

/**
 * Chinese questions often end without 吗 or a question mark ("退货要几天退款", "加急配送多少钱",
 * "忘记密码了怎么办"): their question words make them questions (not the bare 怎么 / 什么 of a
 * statement such as "不知道怎么说").
 */
const ZH_QUESTION_WORD =
  /多久|几天|几点|多少钱|多少天|多长时间|怎么办|怎么弄|如何|为什么|是否|能否|可否|能不能|可不可以|有没有|是不是|要不要/u;

/** "actually first, how do I return an item?", "what are your phone hours?": a question, not an answer. */
export function isQuestion(text: string): boolean {
  const t = withoutPreamble(text);
  return (
    /[?？]\s*$/.test(t) ||
    /[吗么呢][\s。]*$/.test(t) ||
    ZH_QUESTION_WORD.test(t) ||
    /^(?:how|what|when|where|which|why|who|is|are|do|does|can|could|will|would|should)\b/i.test(t)
  );
}

/*
 * Slot filling: what a message means while the bot waits for an answer, and which tool a request
 * calls. The functions below decide; the embedded model (src/planner/embeddedModel.ts) carries the
 * decision out against the turn's memory.
 */

/** A question the bot asked and whose answer it is waiting for (slot filling across turns). */
export interface PendingSlot {
  intent:
    | 'order_status'
    | 'ticket_status'
    | 'create_ticket'
    | 'cancel_order'
    | 'missing_delivery'
    | 'start_return'
    | 'update_ticket'
    | 'assign_ticket';
  slot: 'orderId' | 'ticketId' | 'description' | 'reason';
  askedAt: string;
  /** start_return: what the user already said (the order while asking why, the reason while asking which). */
  orderId?: string;
  reason?: string;
  /** start_return: the items the request named ("return the headphones from ORD-…"). */
  items?: ReturnItems;
  /**
   * create_ticket: the problem the user reported before the bot offered a ticket ("yes" drafts it).
   * With slot `orderId`: a broken item that several of the user's orders hold ("my headphones
   * broke"); the order picked next gets its return window and warranty, then the offer.
   */
  problem?: string;
  /**
   * The tool's reply already answered (the ticket list): a number typed next still continues it,
   * but nothing asks the question again ("thanks!" is not followed by "Now, which ticket?").
   */
  answered?: boolean;
  /** The orders just offered ("Which order do you mean? …"): "the most recent one" is among these. */
  candidates?: string[];
  /**
   * update_ticket / assign_ticket asked "which ticket?": the request waiting for its ticket (the
   * tool and its arguments without ticketId), carried out when the ticket is named.
   */
  ticketRequest?: PendingTicketRequest;
}

/** A ticket write waiting for its ticket: "mark it as resolved" with no ticket shown. */
export type PendingTicketRequest = {
  tool: 'update_ticket' | 'assign_ticket';
  args: Record<string, unknown>;
};

/** The items a return request names ("return the headphones from ORD-…"), as said. */
export type ReturnItems = { item: string }[];

/** A slot as the dialogue asks for it; the planner stamps `askedAt` when it records it. */
export type SlotRequest = Omit<PendingSlot, 'askedAt'>;

/** The order tool that ran last: "cancel it" and "sorry, I meant ORD-…" refer to it. */
export interface LastOrderAction {
  tool: string;
  orderId: string;
  /** When it ran: "cancel it" refers to an order only for a while. */
  at?: string;
  /** start_return: the reason given, which a correction of the order number keeps. */
  reason?: string;
}

/** The questions slot filling asks, in the turn's language (the planner's reply catalogue). */
export interface SlotQuestions {
  askOrderId: string;
  askCancelOrderId: string;
  askReturnOrderId: string;
  askTicketId: string;
  /** "which ticket?" for a waiting update, note or assignment. */
  askWhichTicket: string;
  askTicketProblem: string;
  /** "which orders does Bea have?": the list is the asker's own; a number looks one order up. */
  askOthersOrderId: string;
  askReason: (orderId: string) => string;
}
export type QuestionName = Exclude<keyof SlotQuestions, 'askReason'>;

/**
 * What a message does, decided here and carried out by the planner:
 * - `tool`: call it; with `pending`, the question its answer fills is recorded first;
 * - `return`: start_return, which asks why itself when there is no reason;
 * - `ask`: ask `question` and wait for `slot` (`documentsFirst`: only if the documents do not answer);
 * - `ownItem`: the reported `problem` is about an item of order `orderId`: its return window and
 *   warranty, then the offer of a ticket;
 * - `again`: the waiting question is dropped and the message is handled as a new request.
 */
export type DialogueMove =
  | { kind: 'tool'; tool: string; args: Record<string, unknown>; pending?: SlotRequest }
  | { kind: 'return'; orderId: string; reason?: string; items?: ReturnItems }
  | { kind: 'ask'; slot: SlotRequest; question: QuestionName; documentsFirst?: boolean }
  | { kind: 'ownItem'; orderId: string; problem: string }
  | { kind: 'again' };

const tool = (name: string, args: Record<string, unknown>, pending?: SlotRequest): DialogueMove =>
  pending ? { kind: 'tool', tool: name, args, pending } : { kind: 'tool', tool: name, args };

/** The question a pending slot stands for, to ask again after a digression. */
export function questionFor(pending: PendingSlot, r: SlotQuestions): string | undefined {
  if (pending.answered) return undefined;
  if (pending.slot === 'reason' && pending.orderId) return r.askReason(pending.orderId);
  // "Which order do you mean?" about a broken item: the order number is what it waits for.
  if (pending.slot === 'orderId' && pending.intent === 'create_ticket') return r.askOrderId;
  switch (pending.intent) {
    case 'order_status':
      return r.askOrderId;
    case 'cancel_order':
      return r.askCancelOrderId;
    case 'start_return':
      return r.askReturnOrderId;
    case 'missing_delivery':
      return r.askOrderId;
    case 'ticket_status':
      return r.askTicketId;
    case 'update_ticket':
    case 'assign_ticket':
      return r.askWhichTicket;
    case 'create_ticket':
      return r.askTicketProblem;
    default:
      return undefined;
  }
}

/** "yes", "ok go ahead", "confirm it", "好的": agreement to the card just shown. */
export function isAffirmation(text: string): boolean {
  return AFFIRMATION.test(text);
}

/** Intents that do something (a frustrated message with one of them still gets it done). */
export function isTaskIntent(intent: string): boolean {
  return TASK_INTENTS.has(intent);
}

/**
 * Venting while a question waits is not its answer; the handoff offer follows and the flow waits.
 * "this is useless, I want a human" asks for the person outright: that is the hand-over, not an offer.
 */
export function ventsWhileWaiting(
  pending: PendingSlot | undefined,
  text: string,
  entities: ExtractedEntities,
  prediction?: IntentPrediction,
): boolean {
  return (
    pending !== undefined &&
    prediction?.intent !== 'request_human' &&
    soundsFrustrated(text) &&
    !entities.orderId &&
    !entities.ticketId &&
    wordCount(text) <= 8
  );
}

/** Venting ("this is useless") with no task in it: the turn's handoff offer is the answer. */
export function ventsWithoutTask(prediction: IntentPrediction, text: string): boolean {
  return !TASK_INTENTS.has(prediction.intent) && soundsFrustrated(text);
}

/** Whether to look "the one with the monitor" / "my last order" up among the requester's orders. */
export function looksForOrderReference(
  pending: PendingSlot | undefined,
  prediction: IntentPrediction,
  entities: ExtractedEntities,
  text: string,
): boolean {
  return (
    !entities.orderId &&
    (pending?.slot === 'orderId' ||
      ORDER_INTENTS.has(prediction.intent) ||
      // "cancel the headset I bought": the n-gram model hears "stop what we are doing".
      (prediction.intent === 'cancel' && CANCEL_CUE.test(text))) &&
    mentionsOrderReference(text, Date.now(), pending?.slot !== 'reason')
  );
}

/**
 * "cancel the headset I bought" named one of the user's orders: it cancels that order, whatever the
 * classifier made of it (it often says `cancel`, i.e. stop the current step).
 */
export function cancelsReferencedOrder(prediction: IntentPrediction, text: string): IntentPrediction {
  if (prediction.intent !== 'cancel' || !CANCEL_CUE.test(text)) return prediction;
  return { ...prediction, intent: 'cancel_order' };
}

/** "which of these orders?" fills the waiting order slot (its reason kept) or the request's own. */
export function whichOrderSlot(pending: PendingSlot | undefined, prediction: IntentPrediction): SlotRequest {
  return pending?.slot === 'orderId'
    ? {
        intent: pending.intent,
        slot: 'orderId',
        ...(pending.reason ? { reason: pending.reason } : {}),
        ...(pending.problem ? { problem: pending.problem } : {}),
      }
    : { intent: prediction.intent as PendingSlot['intent'], slot: 'orderId' };
}

/** "both", "all of them", 两个都坏了: every order the bot just offered, not one of them. */
const ALL_OFFERED =
  /^(?:(?:oh|well|actually|um+)[,\s]+)?(?:both|all|each)(?:\s+of\s+them)?\b(?!\s+(?:of\s+)?(?:the|my)\s)|^(?:两个|俩|全部|都)(?:都|订单都|单都)?(?:坏了|是|有问题|不行)?[。!！\s]*$|^两个都|^两单都|^都坏了/i;

export function meansAllOffered(text: string): boolean {
  return ALL_OFFERED.test(text.trim());
}

/** "the one with the …", "the … order": an order described by what is in it. */
export function describesOrderByItem(text: string): boolean {
  return ITEM_REFERENCE.test(text);
}

/**
 * A question in the middle of a flow ("actually first, how do I return an item?"): the documents
 * answer it and the waiting question is asked again.
 */
export function isDigression(
  pending: PendingSlot,
  text: string,
  prediction: IntentPrediction,
  entities: ExtractedEntities,
  answersWhy: boolean,
): boolean {
  return (
    !answersWhy &&
    !entities.orderId &&
    !entities.ticketId &&
    prediction.intent !== pending.intent &&
    (!NOT_DIGRESSIONS.has(prediction.intent) || (prediction.intent === 'help' && !asksForHelp(text))) &&
    isQuestion(text)
  );
}

/** A short request that points back at the order just shown: "cancel it", "return that one". */
export function pointsBack(text: string): boolean {
  return POINTS_BACK.test(text.trim());
}

/** "when will it arrive?", "it never came": about the order just shown, without its number. */
const SHOWN_ORDER_REF =
  /\b(?:it|they|them|that one|this one|that order|this order|that parcel|this parcel|the parcel|the package)\b/i;

/**
 * "is it going to arrive before friday?", "what carrier is it with?": a question about what the
 * order's card shows (its delivery, carrier, tracking), whatever the classifier made of it.
 */
const ASKS_ORDER_DETAIL =
  /\b(?:arriv\w*|get here|be here|come|coming|deliver\w*|ship\w*|dispatch\w*|carrier|courier|tracking|track|eta|on (?:its|the) way|how long (?:will|would|does|is) (?:it|they) (?:take|be))\b/i;

/** The order just shown, asked about again ("when will it arrive?"): its status or its missing delivery. */
export function shownOrderMove(
  text: string,
  prediction: IntentPrediction,
  orderId: string,
): DialogueMove | undefined {
  if (!SHOWN_ORDER_REF.test(text)) return undefined;
  if (prediction.intent === 'missing_delivery') return tool('report_missing_delivery', { orderId });
  if (prediction.intent === 'order_status' || ASKS_ORDER_DETAIL.test(text))
    return tool('get_order_status', { orderId });
  return undefined;
}

/** "can you cancel it?", "return that one" about `orderId`, the order just shown (the card confirms). */
export function pointedBackMove(text: string, orderId: string): DialogueMove | undefined {
  if (CANCEL_CUE.test(text) && !RETURN_CUE.test(text)) return tool('cancel_order', cancelArgs(text, orderId));
  if (RETURN_CUE.test(text))
    return { kind: 'return', orderId, reason: returnReason(text), items: returnItems(text, true) };
  return undefined;
}

/**
 * The message as the answer to the waiting question; undefined when it answers something else.
 * `answersWhy`: it names a return reason; `referenced`: its order came from "the one with …".
 */
export function slotAnswer(
  pending: PendingSlot,
  text: string,
  prediction: IntentPrediction,
  entities: ExtractedEntities,
  answersWhy: boolean,
  referenced: boolean,
): DialogueMove | undefined {
  // "Cancel my order ORD-…" while a lookup waits for its number is a cancellation, not the answer.
  if (
    pending.slot === 'orderId' &&
    entities.orderId &&
    (prediction.intent !== 'cancel_order' || !CANCEL_CUE.test(text))
  )
    return orderIdAnswer(pending, text, prediction, entities.orderId, referenced);
  if (
    pending.slot === 'reason' &&
    pending.orderId &&
    (answersWhy ||
      !isOtherTask(text, prediction, entities) ||
      // "I want to send it back because …" without a number still answers about the same order.
      (prediction.intent === 'start_return' && !entities.orderId))
  ) {
    // Items named in the answer replace those of the request ("actually send back the case, …");
    // "return the headphones please" names them but gives no reason: the question why comes again.
    const renamed = RETURN_CUE.test(text) ? returnItems(text, true) : undefined;
    return {
      kind: 'return',
      orderId: pending.orderId,
      reason: returnReason(text) ?? (renamed ? undefined : text),
      items: renamed ?? pending.items,
    };
  }
  // "they don't fit" while the bot asks which order to return: the reason is kept, the question asked again.
  if (
    pending.slot === 'orderId' &&
    pending.intent === 'start_return' &&
    !entities.orderId &&
    namesReturnReason(text) &&
    !isQuestion(text)
  ) {
    const slot: SlotRequest = {
      intent: 'start_return',
      slot: 'orderId',
      reason: returnReason(text) ?? text,
      ...(pending.items ? { items: pending.items } : {}),
      ...(pending.candidates ? { candidates: pending.candidates } : {}),
    };
    return { kind: 'ask', slot, question: 'askReturnOrderId' };
  }
  if (pending.slot === 'ticketId' && pending.ticketRequest)
    return ticketRequestAnswer(pending, text, prediction, entities);
  if (pending.slot === 'ticketId' && entities.ticketId)
    return tool('get_ticket_status', { ticketId: entities.ticketId });
  // "yes" to "Shall I open a ticket about it?": the problem reported before is the description.
  if (pending.slot === 'description' && pending.problem && isAffirmation(text))
    return tool(
      'create_ticket',
      // The order the problem is about (picked from "Which order do you mean?"), when there is one.
      draftTicket(pending.problem, pending.orderId ? { orderId: pending.orderId } : {}),
    );
  if (pending.slot === 'description' && !isOtherTask(text, prediction, entities))
    return tool('create_ticket', draftTicket(text, entities));
  return undefined;
}

function orderIdAnswer(
  pending: PendingSlot,
  text: string,
  prediction: IntentPrediction,
  orderId: string,
  referenced: boolean,
): DialogueMove {
  // "my headphones broke" → "Which order do you mean?" → "ORD-10388" / "the first one".
  if (pending.intent === 'create_ticket' && pending.problem)
    return { kind: 'ownItem', orderId, problem: pending.problem };
  if (pending.intent === 'cancel_order') return tool('cancel_order', { orderId });
  if (pending.intent === 'missing_delivery') {
    // "ORD-10421" / "it's ORD-10421" answers "which order?"; "where is ORD-10421?" is a new question.
    if (prediction.intent === 'missing_delivery' || referenced || isShortAnswer(text))
      return tool('report_missing_delivery', { orderId });
    return { kind: 'again' };
  }
  if (pending.intent === 'start_return')
    return {
      kind: 'return',
      orderId,
      reason: pending.reason ?? returnReason(text),
      items: pending.items ?? returnItems(text),
    };
  return tool('get_order_status', { orderId });
}

/** "sorry, I meant ORD-10388" right after an order reply: the same action on the corrected order. */
export function correctionMove(
  text: string,
  entities: ExtractedEntities,
  last: LastOrderAction | undefined,
  /** The corrected order was named by its item ("make that the headset"), not by its number. */
  byReference = false,
): DialogueMove | undefined {
  if (!(byReference || isCorrection(normaliseIds(text))) || !(entities.orderId || entities.ticketId))
    return undefined;
  if (entities.ticketId && !entities.orderId)
    return tool('get_ticket_status', { ticketId: entities.ticketId });
  const orderId = entities.orderId!;
  if (last?.tool === 'cancel_order') return tool('cancel_order', { orderId });
  if (last?.tool === 'start_return')
    return { kind: 'return', orderId, reason: returnReason(text) ?? last.reason };
  if (last?.tool === 'report_missing_delivery') return tool('report_missing_delivery', { orderId });
  return tool('get_order_status', { orderId });
}

/**
 * "Mark TKT-000123 as resolved: …", "add a note to it: …": by rule, whatever the classifier says.
 * `ticketId`: the ticket its words name (an id, or the ticket shown that they point at). Without
 * one the bot asks which ticket and keeps the request (slotAnswer completes it).
 */
export function ticketRequestMove(request: TicketRequest, ticketId: string | undefined): DialogueMove {
  const args = request.kind === 'update' ? { ...request.update } : { comment: request.comment };
  if (ticketId) return tool('update_ticket', { ticketId, ...args });
  return askWhichTicket({ tool: 'update_ticket', args });
}

/** "Which ticket?" for a ticket write without its ticket; the request waits in the slot. */
export function askWhichTicket(request: PendingTicketRequest): DialogueMove {
  const intent = request.tool === 'assign_ticket' ? 'assign_ticket' : 'update_ticket';
  return {
    kind: 'ask',
    slot: { intent, slot: 'ticketId', ticketRequest: request },
    question: 'askWhichTicket',
  };
}

/** Notes, comments or a ticket's history asked about ("what does the note on TKT-… say?", "show its history"). */
const NOTE_QUESTION = /\b(?:notes?|comments?|history|updates?)\b|备注|记录/i;
const SHOW_REQUEST = /^\s*(?:(?:please|pls|can you|could you)\s+)?(?:show|list|give|read|get)\b/i;

/**
 * "what does the note on TKT-000123 say?", "any comments on that ticket?", "show the history of it":
 * a question about a ticket's notes, answered with its card (which lists them), not the documents.
 */
export function asksForTicketNotes(text: string): boolean {
  return NOTE_QUESTION.test(text) && (isQuestion(text) || SHOW_REQUEST.test(text));
}

/** A ticket named in at most a few words: "TKT-000123", "1234", "it's ticket 12", "the second one". */
function isShortTicketAnswer(text: string): boolean {
  return wordCount(text.replace(/\bTKT-?\d+\b/gi, ' ')) <= 4;
}

/**
 * The answer to "which ticket?" for a waiting write: the ticket named in a few words completes it;
 * a list of tickets asked for in between is shown and the request keeps waiting ("show me open
 * tickets", then "the second one"); a longer message naming a ticket ("status of TKT-…") is a new
 * request, and the waiting one is dropped (a write is never applied to a ticket named in passing).
 */
function ticketRequestAnswer(
  pending: PendingSlot,
  text: string,
  prediction: IntentPrediction,
  entities: ExtractedEntities,
): DialogueMove | undefined {
  const request = pending.ticketRequest!;
  if (entities.ticketId)
    return isShortTicketAnswer(text)
      ? tool(request.tool, { ...request.args, ticketId: entities.ticketId })
      : { kind: 'again' };
  if (prediction.intent === 'ticket_status') {
    const { askedAt: _askedAt, ...slot } = pending;
    return tool('list_my_tickets', { scope: ticketListScope(text) }, slot);
  }
  return undefined;
}

/**
 * Not a confident action and nothing to act on ("Can I bring an online order back to a shop?" read
 * as request_human at 0.26): the documents answer when they can, otherwise the action goes ahead.
 */
export function unsureAction(prediction: IntentPrediction, entities: ExtractedEntities): boolean {
  return (
    ACTIONS_WITHOUT_CONFIDENCE.has(prediction.intent) &&
    prediction.confidence < ACTION_CONFIDENCE &&
    !entities.orderId &&
    !entities.ticketId
  );
}

/**
 * A question about something the documents describe is not the action its words suggest:
 * "星期天能打电话找客服吗" / "can I call support on Sunday?" asks about support hours (no handoff
 * ticket), "礼品卡能不能退掉" asks whether gift cards are returnable (no return flow).
 */
export function asksAboutDocuments(
  prediction: IntentPrediction,
  text: string,
  entities: ExtractedEntities,
  language: Language,
): boolean {
  return (
    !entities.orderId &&
    !entities.ticketId &&
    ((prediction.intent === 'request_human' && isQuestion(text) && AVAILABILITY_CUE.test(text)) ||
      (ACTIONS_WITHOUT_CONFIDENCE.has(prediction.intent) && ASKS_WHAT_TO_DO.test(text)) ||
      (prediction.intent === 'start_return' && language === 'zh-CN' && ZH_QUESTION.test(text)))
  );
}

const OTHERS_ORDERS = [
  // Names as people type them, lower case too ("does alex have"); "do I / we / you" are not others.
  /\b(?:does|did|has|have)\s+(?!(?:i|we|you|my|our|your|the|this|that|it|its|any|all)\b)\p{L}[\p{L}'-]+(?:\s+\p{L}[\p{L}'-]+)?\s+(?:have|got|order|ordered|place|placed|buy|bought)\b/iu,
  // Not a day's order ("yesterday's order", "last week's order"): that is the asker's own, by date.
  /\b(?!(?:my|our|your|today|yesterday|tonight|week|month|year|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)'s\b)(?!(?:my|our|your)\b)\p{L}[\p{L}-]+'s\s+orders?\b/iu,
  // Not a date: "my order from March 2024", "orders from Monday".
  /\borders?\s+(?:of|for|from|by|placed by)\s+(?!me\b|us\b|my\b)(?!(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Christmas|Easter|Black Friday)\b)(?:[A-Z][\p{L}'-]+|(?:the|this|that|a|our)\s+customer)\b/u,
  /\b(?:his|her|their|the customer'?s|this customer'?s)\s+orders\b/i,
];

/** "which orders does Bea have?", "Carl's orders", "orders for the customer": not the asker's own. */
export function asksForSomeoneElsesOrders(text: string): boolean {
  return OTHERS_ORDERS.some((re) => re.test(text));
}

/** The move of a task intent: its tool when the message names what it needs, else the question. */
export function taskMove(
  intent: string,
  text: string,
  entities: ExtractedEntities,
): DialogueMove | undefined {
  const { orderId, ticketId } = entities;
  switch (intent) {
    case 'order_status':
      if (orderId) return tool('get_order_status', { orderId });
      return {
        kind: 'ask',
        slot: { intent: 'order_status', slot: 'orderId' },
        // "what's the status of alex's order?": looked up by number only (RBAC decides in the tool).
        question: asksForSomeoneElsesOrders(text) ? 'askOthersOrderId' : 'askOrderId',
      };
    case 'cancel_order':
      if (orderId) return tool('cancel_order', cancelArgs(text, orderId));
      return { kind: 'ask', slot: { intent: 'cancel_order', slot: 'orderId' }, question: 'askCancelOrderId' };
    case 'start_return':
      return returnMove(text, orderId);
    case 'list_orders':
      // "Show my orders" lists the asker's own; someone else's orders are looked up by number
      // (support agents may see any order, RBAC decides in the tool).
      if (asksForSomeoneElsesOrders(text))
        return {
          kind: 'ask',
          slot: { intent: 'order_status', slot: 'orderId' },
          question: 'askOthersOrderId',
        };
      return tool('list_my_orders', {});
    case 'request_human':
      return tool('request_human', {});
    case 'missing_delivery':
      if (orderId) return tool('report_missing_delivery', { orderId });
      // The tool lists the candidates; a typed order number next turn answers the question.
      return tool('report_missing_delivery', {}, { intent: 'missing_delivery', slot: 'orderId' });
    case 'ticket_status':
      if (ticketId) return tool('get_ticket_status', { ticketId });
      // No ticket number: the list answers it ("my tickets", "any update on my ticket?"), and a
      // number typed next ("123") still means that ticket.
      return tool(
        'list_my_tickets',
        { scope: ticketListScope(text) },
        { intent: 'ticket_status', slot: 'ticketId', answered: true },
      );
    case 'create_ticket':
      if (problemWords(text).length >= 3) return tool('create_ticket', draftTicket(text, entities));
      return {
        kind: 'ask',
        slot: { intent: 'create_ticket', slot: 'description' },
        question: 'askTicketProblem',
        // "open on sunday" is not "open a ticket": without a ticket word, the documents answer first.
        documentsFirst: !TICKET_CUE.test(text),
      };
    default:
      return undefined;
  }
}

function returnMove(text: string, orderId: string | undefined): DialogueMove {
  const reason = returnReason(text);
  const items = returnItems(text, orderId !== undefined);
  if (orderId) return { kind: 'return', orderId, reason, items };
  return {
    kind: 'ask',
    slot: {
      intent: 'start_return',
      slot: 'orderId',
      ...(reason ? { reason } : {}),
      ...(items ? { items } : {}),
    },
    question: 'askReturnOrderId',
  };
}

/** "what are your phone hours?" under help is a question for the documents, not a request for help text. */
export function helpIsAQuestion(text: string): boolean {
  return !asksForHelp(text) && isQuestion(text);
}

/** "yes", "ok go ahead", "confirm it", "好的": agreement to a card, not a new request. */
const AFFIRMATION =
  /^(?:(?:yes|yeah|yep|yup|sure|ok(?:ay)?|fine|please|confirm(?:ed)?|go ahead|do it|proceed|sounds good|that's right|correct)\b[\s,.!]*)+(?:(?:with|and)?\s*(?:it|that|the (?:ticket|return|cancellation|cancel|draft)|them|please)\b[\s.!]*)*$|^(?:好的?|好吧|是的?|对|确认|确定|可以|没问题|行)[的了吧啊。!！\s]*$/i;

/**
 * Stopping said in so many words ("never mind", "forget it", 算了): the `cancel` intent alone is not
 * trusted to drop a flow, because the n-gram model also hears it in "they don't fit" (from "don't
 * do that") or "ok continue" (from "i don't want to continue").
 */
const STOP_CUE =
  /\b(?:cancel\w*|stop\w*|never ?mind|nvm|forget (?:it|about|that)|abort\w*|quit|exit|changed? my mind|don'?t bother|don'?t do (?:it|that|this)|leave it|skip (?:it|this|that)|drop (?:it|this|that)|halt|scrap (?:it|that|this)|no thanks|don'?t want|not (?:any ?more|now)|let'?s not|rather not|abandon\w*|enough|no more)\b|取消|算了|算啦|不用|不要|没事了|停|别弄|别管|别继续|改主意|退出|放弃|不弄了|中止|撤销|撤回|不做了|不想继续|不开/i;

/**
 * "never mind.", "forget it,", "算了，" opening a message that goes on with a request of its own.
 * Not "cancel it, …": "cancel it, the monitor one" is a cancellation.
 */
const STOP_THEN =
  /^\s*(?:(?:oh |ok(?:ay)? |no )?(?:never ?mind|nvm|forget (?:it|that|about (?:it|that))|scrap that|skip (?:it|that)|leave it|no thanks|don'?t bother)|算了|不用了|没事了)(?:\s*[,.;:!—–，。；：！、-]+\s*|\s+(?:then|instead|but)\s*[,:]?\s*)(.+)$/i;

/**
 * The request after a stop ("never mind. do you have a phone number?" → "do you have a phone
 * number?"), or undefined when the message only stops ("never mind", "forget it, thanks").
 */
export function requestAfterStop(text: string): string | undefined {
  const rest = STOP_THEN.exec(text)?.[1]?.trim();
  if (!rest) return undefined;
  const meaningful = /\p{Script=Han}/u.test(rest)
    ? rest.replace(/[谢谢多了吧啊哦。！，\s]/gu, '').length >= 2
    : rest
        .split(/\s+/)
        .filter((w) => !/^(?:thanks?|thank|you|thx|ty|please|pls|bye|ok(?:ay)?|cheers|then)[.!,]*$/i.test(w))
        .length >= 2;
  return meaningful ? rest : undefined;
}

/** The flow stops only when the message says so, whatever the classifier made of it. */
export function saysStop(text: string): boolean {
  return STOP_CUE.test(text);
}

/** Cancellation named in so many words (an id answering "which order?" is not a cancellation). */
const CANCEL_CUE = /\b(?<!noise[- ])cancel\w*|取消|撤销|不要了|不想要/i;

/**
 * "my noise-cancelling headset stopped working": "cancelling" names the product, so a cancel
 * reading without any other cancel word takes the next intent of the ranking.
 */
export function productIsNotCancel(text: string, prediction: IntentPrediction): IntentPrediction {
  if (!/\bnoise[- ]cancel/i.test(text) || CANCEL_CUE.test(text)) return prediction;
  if (prediction.intent !== 'cancel_order' && prediction.intent !== 'cancel') return prediction;
  const next = prediction.ranking.find((r) => r.intent !== 'cancel_order' && r.intent !== 'cancel');
  return next ? { ...prediction, intent: next.intent, confidence: next.score } : prediction;
}

/**
 * The user asks what to do or what the rules say happens in their situation rather than for the
 * action: "I'm not happy with the answer to my complaint, what now?", "the tracking shows nothing
 * yet", "what should I do if …". The documents describe what to do; when they answer, that is the
 * reply, else the intent's action (a lookup or a question, never a write) as before.
 */
const ASKS_WHAT_TO_DO =
  /\bwhat (?:now|next|happens (?:now|next)|(?:should|can|could|do|must) (?:i|we) do|are my options)\b|\b(?:not |un)(?:happy|satisfied) with\b|\bdissatisfied with\b|\btracking (?:info(?:rmation)?\s+)?(?:shows?|says?|said|showing|is showing|has|had) (?:nothing|no\b|not\b|empty)/i;

/** Days and times: a question about when something is available, not a request for it now. */
const AVAILABILITY_CUE =
  /\b(?:mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?|weekends?|weekdays?|holidays?|hours|what time|when|open|opening|closed?)\b|星期|周[一二三四五六日末天]|礼拜|几点|营业|时间|节假日|假期/i;
/** A Chinese yes/no, open or how-to question (吗, 能不能, a question mark, 怎么, 如何, 流程). */
const ZH_QUESTION =
  /[吗么呢][\s？?。]*$|能不能|可不可以|能否|是否|[？?]\s*$|怎么|如何|怎样|流程|步骤|政策|规定|规则|问一下|请问|想了解/;

/** A short request that points back at the order just shown: "cancel it", "return that one". */
const POINTS_BACK =
  /^(?!(?:how|what|why|when|where|which)\b)(?:\S+\s+){0,8}?(?:it|that|this|that one|this one|that order|this order)[\s?.!]*(?:please[\s?.!]*)?$|它|这个订单|那个订单/i;

/** Intents whose order can be named by its content ("the one with the monitor"). */
/** "the one with the …", "the … order": an order described by what is in it. */
// "the status of my order" asks about an order, it does not describe one by its content.
const ITEM_REFERENCE =
  /\b(?:the one|one with|order with|with the|the (?!(?:status|state|progress|tracking|details?|number|date|eta|whereabouts|update|delivery)\b)[\w" -]{2,30} (?:order|one))\b/i;
const ORDER_INTENTS = new Set(['order_status', 'cancel_order', 'start_return', 'missing_delivery']);
/** Requests that replace the waiting question rather than interrupt it. */
const NOT_DIGRESSIONS = new Set(['list_orders', 'request_human', 'help', 'reset', 'cancel', 'ticket_status']);

function wordCount(text: string): number {
  return text.split(/[^\p{L}\p{N}]+/u).filter(Boolean).length;
}

/**
 * Below this confidence an action intent is not taken at its word when the documents answer the
 * message. Not higher: "I'd prefer that a staff member gets in touch with me" is request_human at 0.75.
 */
export const ACTION_CONFIDENCE = 0.5;
/** Actions that only look something up or ask a question first: a document may answer instead. */
const ACTIONS_WITHOUT_CONFIDENCE = new Set([
  'order_status',
  'list_orders',
  'ticket_status',
  'create_ticket',
  'request_human',
  'missing_delivery',
]);

/** Asking about the bot itself ("help", "what can you do?") rather than a question for the documents. */
const HELP_CUE =
  /\b(?:help|what (?:can|do|else can) (?:you|u|i) (?:do|ask)|how (?:do|does) (?:this|it|you) work|commands?|menu|features?|capabilit\w*|options)\b/i;
function asksForHelp(text: string): boolean {
  // "my mouse stopped working, what are my options?" asks about the mouse, not about the bot.
  return HELP_CUE.test(text) && !describesProblem(text);
}

/** Intents that do something; a frustrated message with one of them still gets it done. */
const TASK_INTENTS = new Set([
  'order_status',
  'cancel_order',
  'list_orders',
  'ticket_status',
  'create_ticket',
  'request_human',
  'missing_delivery',
  'reset',
  'cancel',
]);
/** While we wait for a ticket description, a clear request for something else is not the description. */
function isOtherTask(text: string, prediction: IntentPrediction, entities: ExtractedEntities): boolean {
  if (entities.ticketId) return true;
  // A policy question in between ("what are your support hours?") is answered; the draft waits.
  if (prediction.intent === 'knowledge_question' && /[?？]$/.test(text.trim())) return true;
  return [
    'list_orders',
    'ticket_status',
    'cancel_order',
    'request_human',
    'missing_delivery',
    'start_return',
    'help',
    'reset',
    'greeting',
  ].includes(prediction.intent);
}

const TICKET_PHRASES =
  /\b(please|pls|can you|could you|i want to|i'd like to|i would like to|i need to|help me|open|create|raise|file|submit|log|start|make|a|an|new|support|help ?desk|ticket|case|request|for|about|regarding|re)\b/gi;

/** "please open a new support ticket about: …" and the like, at the start of a request. */
const REQUEST_PREFIX =
  /^(?:(?:please|pls|hi|hello|hey)[,!]?\s+)*(?:(?:can|could) you\s+|i(?:'d| would) like to\s+|i (?:want|need) to\s+)?(?:open|create|raise|file|submit|log|start|make)\s+(?:me\s+)?(?:a\s+|an\s+)?(?:new\s+)?(?:support\s+|help ?desk\s+)?(?:ticket|case|request)\b\s*(?:about|for|regarding|re)?\s*[:,-]?\s*/i;

/** A priority word in front of the problem ("urgent, my headset stopped charging"): the card has a priority field. */
const PRIORITY_PREFIX =
  /^(?:(?:very|super|really)\s+)?(?:urgent|urgently|asap|high priority|important|help)\s*[,:!-]+\s*/i;
/** The request after the problem ("…stopped charging, please open a ticket"). */
const REQUEST_SUFFIX =
  /[\s,;.!-]+(?:(?:so\s+)?(?:please|pls|can you|could you|would you)\s+)?(?:open|create|raise|file|log|make)\s+(?:me\s+)?(?:a\s+|an\s+)?(?:new\s+)?(?:support\s+)?(?:ticket|case)(?:\s+(?:for me|for this|about (?:it|this)))?(?:\s+please)?[\s.!?]*$/i;

/** "…broke after 3 weeks, what can I do?": the question after the problem is not its title. */
const ASKS_WHAT_NOW =
  /[\s,;.!-]+(?:so\s+)?(?:what (?:can|should|do) (?:i|we) do(?: now| about it)?|what now|any ideas|can you help(?: me)?|help(?: me)?|please help)[\s.!?]*$/i;

/** Chinese request wording ("帮我开个工单", "请提交一个支持请求"): not a description of the problem. */
const ZH_TICKET_WORDS = new Set(
  '请 麻烦 你 您 帮 我 帮忙 给 开 开个 个 一个 一 张 下 一下 工 单 工单 报修 报修单 提 提交 创建 新建 建 登记 支持 请求 问题 新 的 要 想 需要 吧 呢 了'.split(
    ' ',
  ),
);
const zhSegmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN = /\p{Script=Han}/u;

/** "帮我开个工单，…" / "请提交一个支持请求：…" in front of a Chinese description. */
const ZH_REQUEST_PREFIX =
  /^(?:请|麻烦)?(?:你|您)?(?:帮我|给我|帮忙)?(?:开|建|提|创建|新建|提交|登记)(?:一)?(?:个|张|下)?(?:新的?)?(?:支持)?(?:工单|报修单|单|请求)[，,:：。\s]*/;
/** Words that ask for a ticket in so many words (create_ticket without them may be a question). */
const TICKET_CUE = /\b(tickets?|case|incident|issue|problem|support request|help ?desk|service desk)\b/i;

/** The words describing the problem, once the request wording ("open a ticket about …") is gone. */
function problemWords(text: string): string[] {
  if (HAN.test(text)) {
    // Chinese has no spaces: ICU word segments, without the request wording, count as the words.
    return [...zhSegmenter.segment(text.replace(TICKET_PHRASES, ' '))]
      .filter((s) => s.isWordLike && !ZH_TICKET_WORDS.has(s.segment))
      .map((s) => s.segment);
  }
  return text
    .replace(TICKET_PHRASES, ' ')
    .split(/[^\p{L}\p{N}-]+/u)
    .filter((w) => w.length > 1);
}

const PRIORITY_MAP: Record<string, TicketPriority> = {
  low: 'low',
  medium: 'normal',
  high: 'high',
  critical: 'urgent',
};
const CATEGORY_MAP: Record<string, TicketCategory> = {
  billing: 'billing',
  shipping: 'delivery',
  product: 'order',
  account: 'account',
  technical: 'technical',
  hr: 'hr',
  other: 'other',
};

/** Fills create_ticket's arguments from the user's own words; the user reviews them on the draft card. */
export function draftTicket(text: string, entities: ExtractedEntities) {
  const cleaned = text.replace(/\s+/g, ' ').trim();
  // The title is the user's own first sentence without the request wording in front of it.
  const problem =
    cleaned
      .replace(REQUEST_PREFIX, '')
      .replace(ZH_REQUEST_PREFIX, '')
      .replace(PRIORITY_PREFIX, '')
      .replace(REQUEST_SUFFIX, '')
      .replace(ASKS_WHAT_NOW, '')
      .trim() || cleaned;
  const firstSentence = problem.split(/(?<=[.!?])\s|(?<=[。！？])/)[0] ?? problem;
  const title = capitalise(firstSentence.replace(/[.!?。！？]+$/, '')).slice(0, 100);
  const category =
    (entities.category && CATEGORY_MAP[entities.category]) ?? (entities.orderId ? 'order' : 'other');
  return {
    title: title.length >= 3 ? title : 'Support request',
    description: cleaned.slice(0, 4000),
    category,
    priority: (entities.priority && PRIORITY_MAP[entities.priority]) ?? 'normal',
    ...(entities.orderId ? { orderId: entities.orderId } : {}),
  };
}

/** cancel_order's arguments: the order, and the user's stated reason ("… because I ordered twice"). */
function cancelArgs(text: string, orderId: string): { orderId: string; reason?: string } {
  const reason = /\b(?:because|since|reason:?)\s+(.+)$/i
    .exec(text.trim())?.[1]
    ?.replace(/[.!]+$/, '')
    .trim();
  return reason ? { orderId, reason: reason.slice(0, 500) } : { orderId };
}

/** A bare slot answer: the order number plus at most three other words ("it's ORD-10421"). */
function isShortAnswer(text: string): boolean {
  return (
    text
      .replace(/\bORD-?\d+\b/gi, ' ')
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean).length <= 3
  );
}

/** A return or refund named in so many words; without one, start_return is not what the user asked. */
const RETURN_CUE =
  /\b(return\w*|retrun\w*|refund\w*|refnd|reimburse\w*|money back|rma|(?:send|sent|take|bring|ship)(?: \w+){0,2} back)\b/i;

/**
 * start_return is a write action: a bare order number ("ORD-10388", "sorry, I meant ORD-10421")
 * must not become one because many return requests carry a number. Without a return cue the next
 * intent in the ranking is taken instead.
 */
export function requireReturnCue(text: string, prediction: IntentPrediction): IntentPrediction {
  if (prediction.intent !== 'start_return' || RETURN_CUE.test(text) || RETURN_CUE_ZH.test(text))
    return prediction;
  const next = prediction.ranking.find((r) => r.intent !== 'start_return');
  return next ? { ...prediction, intent: next.intent, confidence: next.score } : prediction;
}

/** Changing an order ("can I change my order?", "modify ORD-10422") is not cancelling it. */
const CHANGE_CUE = /\b(?:change|changing|modify|edit|amend|update|alter|switch)\b|修改|更改|改一下|改地址/i;

/**
 * The n-gram model hears "cancel" in "can I change my order?": without a cancellation named, a
 * change is a question for the documents (changing the address, swapping an item), not a cancel card.
 */
export function changeIsNotCancel(text: string, prediction: IntentPrediction): IntentPrediction {
  if (prediction.intent !== 'cancel_order' || !CHANGE_CUE.test(text) || CANCEL_CUE.test(text))
    return prediction;
  return { ...prediction, intent: 'knowledge_question' };
}

/** Nothing but an order number, perhaps with "order" in front ("订单ORD-10388", "order ORD-10388"). */
const BARE_ORDER_ID =
  /^(?:(?:my|the|order|number|no\.?|please|pls|订单号?|单号|编号|我的|是|帮我|请|麻烦|查一下|查下|查查|查|看一下|看下|看看|一下|[#:：,，\s]))*ORD-\d+(?:的?(?:订单|状态|情况))?[\s.!?。！？]*$/i;

/**
 * "订单ORD-10388" / "帮我查下ORD-10422" alone: the Chinese model reads a bare order number as
 * cancel_order or out of scope; it asks for the order, so it is a lookup (a question waiting for an order number still takes it as its
 * answer, whatever this says).
 */
export function bareOrderIdLookup(text: string, prediction: IntentPrediction): IntentPrediction {
  if (prediction.intent === 'order_status' || !BARE_ORDER_ID.test(text.trim())) return prediction;
  return { ...prediction, intent: 'order_status' };
}

/** 退货, 退款, 退钱, 退回, 寄回, 退掉, 想退, 要退 …: a return named in Chinese. */
const RETURN_CUE_ZH = /退货|退款|退钱|退回|退掉|退了|退一下|寄回|退换|换货|[想要能]退/;

/** Words that name why something goes back ("it doesn't fit", "arrived damaged", "wrong size"). */
const RETURN_REASON_HINT =
  /\b(fit|fits|damaged?|broken|broke|defective|faulty|stopped working|(?:does ?n[o']?t|not|never) work(?:s|ing)?|wrong|too (?:small|big|large|tight|loose|short|long|heavy|loud|quiet|noisy|slow)|no longer need(?:ed)?|(?:do ?n[o']?t|not) need|not as described|not what I expected|quality|dead|scratched|cracked|missing parts?|hurts?|uncomfortable|painful|changed my mind|(?:do ?n[o']?t|not|never) (?:like|want|use)|dislike|ordered (?:it |them )?(?:by mistake|twice)|by accident|cheaper|arrived late|came late)\b/i;

/** Chinese reasons: 坏了, 破损, 有瑕疵, 尺码不合适, 太小, 不想要了, 质量问题 … */
const RETURN_REASON_HINT_ZH =
  /坏了|坏的|破损|损坏|瑕疵|不合适|不合身|太小|太大|太短|太长|不想要|不需要|用不上|有问题|质量|不对|不符|发错|错了|划痕|裂/;

export function namesReturnReason(text: string): boolean {
  return RETURN_REASON_HINT.test(text) || RETURN_REASON_HINT_ZH.test(text);
}

/** start_return's reason from the user's own words: "… because it broke", or the phrase naming it. */
function returnReason(text: string): string | undefined {
  // "wrong order, I meant the headphones" corrects which order; it gives no reason.
  if (/\bi mean[t]?\b/i.test(text)) text = text.replace(/\bwrong (?:one|order)\b/gi, ' ');
  const stated = /\b(?:because|since|reason:?)\s+(.+)$/i
    .exec(text.trim())?.[1]
    ?.replace(/[.!]+$/, '')
    .trim();
  if (stated && stated.split(/\s+/).length >= 2) return stated;
  const statedZh = /(?:因为|由于)(.+)$/
    .exec(text.trim())?.[1]
    ?.replace(/[。！!]+$/, '')
    .trim();
  if (statedZh && statedZh.length >= 2) return statedZh;
  const clauses = text
    .split(/[,.;!?，。；！？、]|\s+-\s+/)
    .map((part) => part.replace(/\bORD-\d+\b/gi, '').trim())
    .filter(Boolean);
  const clause = clauses.find(namesReturnReason);
  if (clause) return clause;
  // "can I return the headphones from ORD-10395? they hurt my ears": beside the request itself, a
  // statement about the item is why (whatever its words), unless it is only a greeting or a filler.
  // What the customer did ("I tried it on") is left out: it may be why, or a question whether they still can.
  if (clauses.length < 2 || !clauses.some((c) => RETURN_CUE.test(c))) return undefined;
  return clauses.find(
    (c) =>
      !RETURN_CUE.test(c) &&
      c.split(/\s+/).length >= 3 &&
      !QUESTION_START.test(c) &&
      !/^(?:i|i've|i'm|we|we've)\b/i.test(c) &&
      c.split(/\s+/).some((w) => !REASON_FILLER.has(w.toLowerCase().replace(/[^a-z']/g, ''))),
  );
}

/** A clause that asks rather than tells ("can I …", "how long …"): not a reason. */
const QUESTION_START =
  /^(?:can|could|may|will|would|should|shall|do|does|did|is|are|am|how|what|when|where|which|who|why|whats|what's)\b/i;

/** Words of greetings, thanks and politeness: a clause of only these says no reason. */
const REASON_FILLER = new Set(
  "hi hello hey there thanks thank you so much very please pls ok okay well um so and also team guys folks in advance a lot cheers good morning afternoon evening day i'd i like to".split(
    ' ',
  ),
);

/** Words that name no item: "return it from ORD-…", "return everything in ORD-…". */
const NOT_AN_ITEM =
  /^(?:it|them|this|that|these|those|something|stuff|things?|items?|everything|all(?: of (?:it|them))?|the (?:whole |entire )?order|(?:my |the |an? )?(?:order|package|parcel|purchase|delivery))$/i;

/** A phrase about the order or the buying, not an order line ("ORD-10395", "what I bought"). */
const NOT_ITEM_WORDS = /\bORD-\d+|\b(?:i|we|bought|got|ordered|received|purchased|one)\b/i;

/**
 * The items a return request names before its order number: "return the headphones from
 * ORD-10395", "send the case and the headphones in ORD-10395 back". Each becomes start_return's
 * `item` as said (the tool matches it against the order's lines); undefined when none is named.
 */
function returnItems(text: string, orderKnown = false): { item: string }[] | undefined {
  const m =
    /\b(?:return(?:ing)?|send(?:ing)?(?: back)?|refund(?: for)?)\s+(?:only\s+|just\s+)?(.+?)\s+(?:back\s+)?(?:from|in|of|on)\s+(?:my\s+|the\s+)?(?:order\s+)?ORD-\d+/i.exec(
      text,
    ) ??
    // While the bot asks why an order goes back, "I'd rather send back the case, it's too small"
    // names the items without the order number.
    (orderKnown
      ? /\b(?:return(?:ing)?|send(?:ing)?(?: back)?|refund(?: for)?)\s+(?:only\s+|just\s+)?(.+?)(?:\s+back)?\s*(?=[,.;!?]|\s+(?:because|since|as|from|in|of|on|instead)\b|$)/i.exec(
          text,
        )
      : null);
  if (!m?.[1]) return undefined;
  const items = m[1]
    .split(/\s*(?:,|&|\band\b|\bplus\b)\s*/i)
    .map((part) =>
      part
        .replace(/^(?:the|my|a|an|both|one of the)\s+/i, '')
        .replace(/\s+back$/i, '')
        .replace(/\s+(?:please|pls|plz|thanks|thank you)$/i, '')
        .trim(),
    )
    .filter((part) => part.length > 1 && !NOT_AN_ITEM.test(part) && !NOT_ITEM_WORDS.test(part))
    .map((item) => ({ item: item.slice(0, 120) }));
  return items.length ? items : undefined;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
