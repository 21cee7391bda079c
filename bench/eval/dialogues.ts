import { readFileSync } from 'node:fs';
import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import {
  cardAction,
  message,
  personalConversation,
  users,
  type ConversationRef,
} from '../../test/helpers/activities';
import { postJson } from '../../test/helpers/bot';
import type { LocalConnector } from '../../test/helpers/connector';
import { EVAL_LANGUAGES, type SourceInfo } from './answerEval';
import { sourceMatches } from './metrics';
import { parseCitedReply } from './serverSession';

/**
 * Scripted multi-turn dialogues (τ-bench style): each runs through the real server over HTTP in its
 * own Teams conversation; success means every turn's reply checks hold AND the tickets container
 * ends in the expected state for that conversation.
 */

const turnSchema = z
  .object({
    /** A user message; ${name} is replaced by a value captured earlier in the dialogue. */
    say: z.string().min(1).optional(),
    /** Press a button of the last card the bot sent: Action.Execute with this verb and the card's data. */
    click: z
      .enum([
        'ticket.confirm',
        'ticket.cancel',
        'handoff.request',
        'delivery.selectOrder',
        'delivery.ticketWithoutOrder',
        'order.returnConfirm',
        'order.returnKeep',
      ])
      .optional(),
    /** Extra input merged into the clicked card's data (e.g. the priority ChoiceSet). */
    inputs: z.record(z.string()).optional(),
    /** Case-insensitive regexes that must all match the turn's reply text (messages + cards). */
    expect: z.array(z.string()).default([]),
    /** Case-insensitive regexes that must not match the reply text. */
    reject: z.array(z.string()).default([]),
    /** The reply must (true) or must not (false) include an Adaptive Card. */
    card: z.boolean().optional(),
    /** name → regex; the first match in the reply text is stored for later ${name}. */
    capture: z.record(z.string()).optional(),
    /**
     * The reply's citations (Teams Claim entities): a path under data/knowledge that the first one must
     * name, or false when the reply must cite nothing (a refusal). Checks a fact, not the wording.
     */
    cites: z.union([z.string().min(1), z.literal(false)]).optional(),
  })
  .refine((t) => (t.say === undefined) !== (t.click === undefined), {
    message: 'a turn has exactly one of say or click',
  });

const ticketExpectation = z
  .object({
    /** Confirmed tickets (status open or later, with a TKT id). */
    created: z.number().int().min(0).optional(),
    cancelled: z.number().int().min(0).optional(),
    drafts: z.number().int().min(0).optional(),
    /** Field checks on the single created ticket. */
    category: z.string().optional(),
    priority: z.string().optional(),
    orderId: z.string().optional(),
    /** The single created ticket's status, e.g. closed after "close ticket …". */
    status: z.string().optional(),
  })
  .strict();

const userSchema = z.enum(['alex', 'bea', 'carl', 'dana']);

/** An order stored before the dialogue starts (dates relative to now), so write actions have their own data. */
const setupOrderSchema = z
  .object({
    id: z.string().regex(/^ORD-\d{5,10}$/),
    owner: userSchema,
    status: z.enum(['processing', 'shipped', 'out_for_delivery', 'delivered', 'cancelled', 'returned']),
    deliveredDaysAgo: z.number().int().min(0).optional(),
    /** When it was placed: days before now, or a fixed day (YYYY-MM-DD), for orders named by date. */
    orderedDaysAgo: z.number().int().min(0).optional(),
    orderedOn: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    items: z
      .array(
        z.object({
          sku: z.string().min(1),
          name: z.string().min(1),
          quantity: z.number().int().positive(),
          price: z.number().nonnegative(),
          /** Matched against config/returns-policy.json's non-returnable list (e.g. gift_card). */
          category: z.string().min(1).optional(),
          opened: z.boolean().optional(),
        }),
      )
      .min(1),
    /** The membership programme the order was placed under (e.g. contoso_plus). */
    membership: z.string().min(1).optional(),
  })
  .strict();

/** Return requests (RMA records) made in the dialogue's conversation. */
const returnExpectation = z
  .object({
    requested: z.number().int().min(0),
    /** Field checks on the single return request. */
    orderId: z.string().optional(),
    /** Case-insensitive regex the stored reason must match. */
    reason: z.string().optional(),
    /** SKU → quantity of the returned items (exactly these). */
    items: z.record(z.number().int().positive()).optional(),
  })
  .strict();

const dialogueSchema = z.object({
  id: z.string().min(1),
  category: z.string().min(1),
  user: userSchema,
  description: z.string().optional(),
  /** The language the user writes in; absent means en. Each language is reported apart. */
  language: z.enum(EVAL_LANGUAGES).optional(),
  setup: z.object({ orders: z.array(setupOrderSchema).min(1) }).optional(),
  turns: z.array(turnSchema).min(1),
  final: z.object({
    tickets: ticketExpectation,
    returns: returnExpectation.optional(),
    /** Order id → its stored status at the end. */
    orders: z.record(z.string()).optional(),
  }),
});

export type Dialogue = z.infer<typeof dialogueSchema>;
export type DialogueTurn = z.infer<typeof turnSchema>;

export function loadDialogues(path: string): Dialogue[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read dialogues ${path}: ${(err as Error).message}`);
  }
  const parsed = z.object({ dialogues: z.array(dialogueSchema).min(1) }).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: ${issue.path.join('.')}: ${issue.message}`);
  }
  const ids = new Set<string>();
  for (const d of parsed.data.dialogues) {
    if (ids.has(d.id)) throw new Error(`${path}: duplicate dialogue id ${d.id}`);
    ids.add(d.id);
    for (const [i, t] of d.turns.entries()) {
      for (const re of [...t.expect, ...t.reject, ...Object.values(t.capture ?? {})]) {
        try {
          new RegExp(re, 'i');
        } catch {
          throw new Error(`${path}: ${d.id} turn ${i + 1}: invalid regex ${re}`);
        }
      }
    }
  }
  return parsed.data.dialogues;
}

/** Strings a user sees in a posted activity: its text and the text/title/value fields of any card. */
export function visibleText(activity: Record<string, unknown>): string {
  const out: string[] = [];
  if (typeof activity.text === 'string') out.push(activity.text);
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (typeof value === 'string' && (key === 'text' || key === 'title' || key === 'value'))
          out.push(value);
        else if (typeof value === 'object' && key !== 'data') walk(value);
      }
    }
  };
  walk(activity.attachments);
  return out.join('\n');
}

/** The data of the most recent Action.Execute with `verb` in the cards of `activities` (newest first). */
export function findCardAction(
  activities: readonly Record<string, unknown>[],
  verb: string,
): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  const walk = (node: unknown) => {
    if (found) return;
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Execute' && o.verb === verb) {
        found = (o.data as Record<string, unknown>) ?? {};
        return;
      }
      Object.values(o).forEach(walk);
    }
  };
  for (const activity of [...activities].reverse()) {
    walk(activity.attachments);
    if (found) return found;
  }
  return undefined;
}

export function substitute(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(/\$\{(\w+)\}/g, (m, name: string) => vars.get(name) ?? m);
}

export interface DialogueResult {
  id: string;
  category: string;
  success: boolean;
  failures: string[];
  turns: { said: string; reply: string }[];
  /**
   * Reply lines that are not the user's own words echoed back (a draft card shows the description
   * typed): how many have letters, and how many of those are Chinese (hold a Han character).
   */
  replyLines?: { turns: number; chineseTurns: number; lines: number; chineseLines: number };
  tickets: { status: string; category?: string; priority?: string; orderId?: string }[];
}

export interface DialogueRunOptions {
  botUrl: string;
  connector: LocalConnector;
  tickets: Container;
  /** Needed by dialogues with `setup.orders` or `final.orders`. */
  orders?: Container;
  /** Needed by dialogues with `final.returns`. */
  returns?: Container;
  /** Titles and URLs of the knowledge documents, for `cites` checks (knowledgeSources()). */
  sources?: SourceInfo[];
  timeoutMs?: number;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * An order date, moved to 14 November when it falls in the holiday season (15 Nov–24 Dec,
 * config/returns-policy.json), so that a dialogue's return window does not depend on the day it runs.
 */
function orderedOutsideHolidays(ms: number): string {
  const d = new Date(ms);
  const md = d.toISOString().slice(5, 10);
  return md >= '11-15' && md <= '12-24'
    ? new Date(Date.UTC(d.getUTCFullYear(), 10, 14, 10)).toISOString()
    : d.toISOString();
}

/** The order's date: as the dialogue states it, else four days before delivery (or now). */
function orderedAt(
  o: NonNullable<Dialogue['setup']>['orders'][number],
  delivered: number | undefined,
): string {
  if (o.orderedOn) return `${o.orderedOn}T10:00:00Z`;
  if (o.orderedDaysAgo !== undefined) return new Date(Date.now() - o.orderedDaysAgo * DAY_MS).toISOString();
  return orderedOutsideHolidays((delivered ?? Date.now()) - 4 * DAY_MS);
}

/** Stores the dialogue's own orders, dated relative to now (upsert: a re-run starts from the same state). */
async function setUpOrders(d: Dialogue, orders: Container): Promise<void> {
  for (const o of d.setup?.orders ?? []) {
    const delivered = o.deliveredDaysAgo === undefined ? undefined : Date.now() - o.deliveredDaysAgo * DAY_MS;
    await orders.items.upsert({
      id: o.id,
      ownerAadObjectId: users[o.owner].aadObjectId,
      customerName: users[o.owner].name,
      status: o.status,
      currency: 'EUR',
      items: o.items,
      ...(o.membership ? { membership: o.membership } : {}),
      orderedAt: orderedAt(o, delivered),
      ...(delivered !== undefined ? { deliveredAt: new Date(delivered).toISOString() } : {}),
    });
  }
}

/** Final-state checks on orders and return requests; pushes what does not hold. */
async function judgeOrdersAndReturns(
  d: Dialogue,
  conversationId: string,
  opts: DialogueRunOptions,
  failures: string[],
): Promise<void> {
  for (const [id, status] of Object.entries(d.final.orders ?? {})) {
    const { resources } = await opts
      .orders!.items.query<{ status: string }>({
        query: 'SELECT c.status FROM c WHERE c.id = @id',
        parameters: [{ name: '@id', value: id }],
      })
      .fetchAll();
    if (resources[0]?.status !== status)
      failures.push(`final: order ${id} should be ${status}, is ${resources[0]?.status ?? 'absent'}`);
  }
  const want = d.final.returns;
  if (!want) return;
  const { resources } = await opts
    .returns!.items.query<{ orderId: string; reason: string; items: { sku: string; quantity: number }[] }>({
      query: "SELECT * FROM c WHERE c.type = 'return' AND c.conversationId = @conversation",
      parameters: [{ name: '@conversation', value: conversationId }],
    })
    .fetchAll();
  if (resources.length !== want.requested)
    failures.push(`final: ${want.requested} return request(s) expected, found ${resources.length}`);
  const r = resources[0];
  if (want.orderId !== undefined && r?.orderId !== want.orderId)
    failures.push(`final: return request orderId should be ${want.orderId}, is ${r?.orderId ?? 'absent'}`);
  if (want.reason !== undefined && !new RegExp(want.reason, 'i').test(r?.reason ?? ''))
    failures.push(`final: return reason lacks /${want.reason}/ (is ${JSON.stringify(r?.reason)})`);
  if (want.items !== undefined) {
    const got = Object.fromEntries((r?.items ?? []).map((i) => [i.sku, i.quantity]));
    if (JSON.stringify(got) !== JSON.stringify(want.items))
      failures.push(
        `final: returned items should be ${JSON.stringify(want.items)}, are ${JSON.stringify(got)}`,
      );
  }
}

const HAN = /\p{Script=Han}/u;
const LETTER = /\p{L}/u;

/**
 * Counts a turn's reply lines with letters, and the Chinese ones among them, leaving out lines that
 * only repeat what the user said (a ticket card echoes the description): the share of Chinese lines
 * measures how much of the bot's own text is in Chinese, whatever it says.
 */
export function chineseLines(reply: string, said: readonly string[]): { lines: number; chinese: number } {
  let lines = 0;
  let chinese = 0;
  for (const raw of reply.split('\n')) {
    const line = raw.trim();
    if (!LETTER.test(line) || said.some((s) => s.includes(line))) continue;
    lines++;
    if (HAN.test(line)) chinese++;
  }
  return { lines, chinese };
}

const hasCard = (activities: readonly Record<string, unknown>[], invokeBody: unknown) =>
  activities.some(
    (a) =>
      Array.isArray(a.attachments) &&
      a.attachments.some(
        (x: { contentType?: string }) => x?.contentType === 'application/vnd.microsoft.card.adaptive',
      ),
  ) || (invokeBody as { type?: string } | undefined)?.type === 'application/vnd.microsoft.card.adaptive';

/** Runs one dialogue in a fresh personal conversation and judges it. Never throws for bot misbehaviour. */
export async function runDialogue(d: Dialogue, opts: DialogueRunOptions): Promise<DialogueResult> {
  const user = users[d.user];
  const conversation: ConversationRef = personalConversation(user);
  const vars = new Map<string, string>();
  const failures: string[] = [];
  const transcript: DialogueResult['turns'] = [];
  const replyLines = { turns: 0, chineseTurns: 0, lines: 0, chineseLines: 0 };
  const userSaid: string[] = [];
  const url = `${opts.botUrl}/api/messages`;
  let lastInvokeCard: unknown;
  if ((d.setup || d.final.orders) && !opts.orders) failures.push('setup: no orders container given');
  else if (d.final.returns && !opts.returns) failures.push('setup: no returns container given');
  else if (d.setup) await setUpOrders(d, opts.orders!);
  if (failures.length)
    return { id: d.id, category: d.category, success: false, failures, turns: [], tickets: [] };

  for (const [i, turn] of d.turns.entries()) {
    const label = `turn ${i + 1}`;
    const before = opts.connector.messages(conversation.id).length;
    let said: string;
    let invokeBody: unknown;
    try {
      if (turn.say !== undefined) {
        said = substitute(turn.say, vars);
        userSaid.push(said);
        lastInvokeCard = undefined;
        const res = await postJson(url, message(opts.connector.url, conversation, said, { user }));
        if (res.status !== 200 && res.status !== 201 && res.status !== 202)
          failures.push(`${label}: HTTP ${res.status}`);
      } else {
        said = `[click ${turn.click}]`;
        // The card a click returned replaces the clicked one, so it is the newest card on screen.
        const data = findCardAction(
          [
            ...opts.connector.messages(conversation.id).map((c) => c.activity),
            ...(lastInvokeCard ? [{ attachments: [lastInvokeCard] }] : []),
          ],
          turn.click!,
        );
        if (!data) {
          failures.push(`${label}: no card with a ${turn.click} button was shown`);
          transcript.push({ said, reply: '' });
          continue;
        }
        const res = await postJson(
          url,
          cardAction(
            opts.connector.url,
            conversation,
            turn.click!,
            { ...data, ...(turn.inputs ?? {}) },
            user,
          ),
        );
        if (res.status !== 200) failures.push(`${label}: invoke HTTP ${res.status}`);
        invokeBody = res.body;
        lastInvokeCard = (res.body as { value?: unknown } | undefined)?.value;
      }
    } catch (err) {
      failures.push(`${label}: request failed: ${(err as Error).message}`);
      break;
    }
    const posted = opts.connector
      .messages(conversation.id)
      .slice(before)
      .map((c) => c.activity);
    const invokeText =
      invokeBody && typeof invokeBody === 'object'
        ? visibleText({ attachments: [(invokeBody as { value?: unknown }).value] })
        : '';
    const reply = [...posted.map(visibleText), invokeText].filter(Boolean).join('\n');
    transcript.push({ said, reply });
    const counted = chineseLines(reply, userSaid);
    if (counted.lines) {
      replyLines.turns++;
      if (counted.chinese) replyLines.chineseTurns++;
      replyLines.lines += counted.lines;
      replyLines.chineseLines += counted.chinese;
    }
    if (turn.cites !== undefined) {
      const cited = parseCitedReply(posted).citations;
      if (turn.cites === false) {
        if (cited.length) failures.push(`${label}: cites ${cited[0]!.source}, expected no citation`);
      } else {
        const expected = opts.sources?.find((x) =>
          sourceMatches(x.source, { source: turn.cites as string }),
        ) ?? {
          source: turn.cites,
        };
        if (!cited.length) failures.push(`${label}: no citation, expected ${turn.cites}`);
        else if (!sourceMatches(cited[0]!.source, expected))
          failures.push(`${label}: cites ${cited[0]!.source}, expected ${turn.cites}`);
      }
    }
    for (const re of turn.expect.map((r) => substitute(r, vars))) {
      if (!new RegExp(re, 'i').test(reply)) failures.push(`${label}: reply lacks /${re}/`);
    }
    for (const re of turn.reject.map((r) => substitute(r, vars))) {
      if (new RegExp(re, 'i').test(reply)) failures.push(`${label}: reply must not match /${re}/`);
    }
    if (turn.card !== undefined && hasCard(posted, invokeBody) !== turn.card)
      failures.push(`${label}: ${turn.card ? 'expected' : 'unexpected'} card`);
    for (const [name, re] of Object.entries(turn.capture ?? {})) {
      const m = new RegExp(re, 'i').exec(reply);
      if (m) vars.set(name, m[0]);
      else failures.push(`${label}: nothing to capture for ${name} (/${re}/)`);
    }
  }

  const { resources } = await opts.tickets.items
    .query<{ status: string; ticketId?: string; category?: string; priority?: string; orderId?: string }>({
      query: "SELECT * FROM c WHERE c.conversationId = @conversation AND c.type = 'ticket'",
      parameters: [{ name: '@conversation', value: conversation.id }],
    })
    .fetchAll();
  const created = resources.filter((t) => t.ticketId && t.status !== 'draft' && t.status !== 'cancelled');
  const want = d.final.tickets;
  const count = (what: string, actual: number, expected?: number) => {
    if (expected !== undefined && actual !== expected)
      failures.push(`final: ${expected} ${what} ticket(s) expected, found ${actual}`);
  };
  count('created', created.length, want.created);
  count('cancelled', resources.filter((t) => t.status === 'cancelled').length, want.cancelled);
  count('draft', resources.filter((t) => t.status === 'draft').length, want.drafts);
  await judgeOrdersAndReturns(d, conversation.id, opts, failures);
  for (const field of ['category', 'priority', 'orderId', 'status'] as const) {
    if (want[field] !== undefined && created[0]?.[field] !== want[field])
      failures.push(
        `final: created ticket ${field} should be ${want[field]}, is ${created[0]?.[field] ?? 'absent'}`,
      );
  }
  return {
    id: d.id,
    category: d.category,
    success: failures.length === 0,
    failures,
    turns: transcript,
    replyLines,
    tickets: resources.map((t) => ({
      status: t.status,
      category: t.category,
      priority: t.priority,
      orderId: t.orderId,
    })),
  };
}

export interface DialogueSummary {
  dialogues: number;
  taskSuccess: number;
  byCategory: Record<string, { total: number; success: number }>;
  /** Summed DialogueResult.replyLines: how much of the bot's own reply text is Chinese. */
  replyLines: { turns: number; chineseTurns: number; lines: number; chineseLines: number };
  results: DialogueResult[];
}

export function summarizeDialogues(results: DialogueResult[]): DialogueSummary {
  const byCategory: DialogueSummary['byCategory'] = {};
  const replyLines = { turns: 0, chineseTurns: 0, lines: 0, chineseLines: 0 };
  for (const r of results) {
    for (const k of Object.keys(replyLines) as (keyof typeof replyLines)[])
      replyLines[k] += r.replyLines?.[k] ?? 0;
    const c = (byCategory[r.category] ??= { total: 0, success: 0 });
    c.total++;
    if (r.success) c.success++;
  }
  return {
    dialogues: results.length,
    taskSuccess: results.length ? results.filter((r) => r.success).length / results.length : NaN,
    byCategory,
    replyLines,
    results,
  };
}
