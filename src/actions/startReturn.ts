import type { RefusalCode } from '../errors';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Citation } from '../knowledge';
import { logger } from '../observability/logger';
import { type Order, OrdersUnavailableError, type ReturnBlocker } from '../orders/order';
import { returnBlocker, returnWindow, type ReturnWindow } from '../orders/returnWindow';
import { localWording, NO_RETURN_RULES, nonReturnableRule, type ReturnRules } from '../returns/returnRules';
import { returnReplies, returnRepliesIn } from '../replies';
import type { ReturnItem, ReturnRequestDocument } from '../returns/returnRequest';
import type { ReturnStore } from '../returns/returnStore';
import type { ReturnsPolicySource } from '../returns/returnsPolicy';
import type { TicketService } from '../tickets/ticketService';
import type { OrderService } from '../orders/order';
import type { RbacPolicy } from './rbac';
import { orderNotFound, ordersUnavailableIn, translatorFor } from './messages';
import { parseToolArgs, type ToolArgs } from './schemas';
import { type ActionContext, type ActionHandler, failure } from './types';

type ReturnReplies = ReturnType<typeof returnRepliesIn>;

/** What start_return needs beyond orders, tickets and RBAC. */
export type ReturnDeps = {
  store: ReturnStore;
  signer: ReturnCardSigner;
  policy: ReturnsPolicySource;
  /** RETURN_WINDOW_DAYS. */
  windowDays: number;
  /** config/returns-policy.json: holiday season, member windows, non-returnable items. */
  rules?: ReturnRules;
  now?: () => Date;
};

type Deps = { orders: OrderService; tickets: TicketService; rbac: RbacPolicy; returns: ReturnDeps };

/** The signed reference a return confirmation card carries back in its Action.Execute data. */
export type ReturnCardData = {
  orderId: string;
  requester: string;
  items: { sku: string; quantity: number }[];
  reason: string;
  sig: string;
};

/**
 * Tamper evidence for return confirmation cards: HMAC-SHA256 over the order, the requester, the
 * items with their quantities and the reason, so an edited card is refused.
 */
export class ReturnCardSigner {
  constructor(private readonly secret: string) {
    if (typeof secret !== 'string' || secret.length < 16) {
      throw new Error('The card signing secret must be at least 16 characters');
    }
  }

  sign(data: Omit<ReturnCardData, 'sig'>): string {
    return createHmac('sha256', this.secret)
      .update(
        JSON.stringify([
          'order-return:v1',
          data.orderId,
          data.requester,
          data.items.map((i) => [i.sku, i.quantity]),
          data.reason,
        ]),
      )
      .digest('hex');
  }

  verify(data: ReturnCardData): boolean {
    const expected = Buffer.from(this.sign(data), 'hex');
    const given = /^[0-9a-f]{64}$/i.test(data.sig) ? Buffer.from(data.sig, 'hex') : Buffer.alloc(0);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/** What the confirmation card shows (rendered in src/teams/cards/returnCards.ts). */
export type ReturnOffer = {
  order: Order;
  items: ReturnItem[];
  reason: string;
  refundAmount: number;
  /** ISO date: the last day of the return window. */
  deadline?: string;
  /** Lines of the order the returns policy excludes (not part of the return), with the policy's label. */
  excluded?: { name: string; label: string }[];
  data: ReturnCardData;
};

const viewerFor = (deps: Pick<Deps, 'rbac'>, ctx: ActionContext) => ({
  aadObjectId: ctx.user.aadObjectId,
  canViewAll: deps.rbac.hasPermission(ctx.roles, 'orders.return.any'),
});

const refundOf = (items: readonly ReturnItem[]) =>
  Math.round(items.reduce((sum, i) => sum + i.quantity * i.price, 0) * 100) / 100;

type ItemSelection = NonNullable<ToolArgs<'start_return'>['items']>;

/**
 * The order lines to return: all of them when none are named, else each named line (by SKU, or by
 * name: exact first, then the one line whose name contains it) with its quantity (default: all).
 */
export function selectReturnItems(
  order: Order,
  wanted: ItemSelection | undefined,
  rr: ReturnReplies = returnReplies,
): { ok: true; items: ReturnItem[] } | { ok: false; error: string } {
  if (!wanted || wanted.length === 0) return { ok: true, items: order.items.map((i) => ({ ...i })) };
  const chosen = new Map<string, ReturnItem>();
  for (const w of wanted) {
    const key = w.item.trim().toLowerCase();
    const bySku = order.items.filter((i) => i.sku.toLowerCase() === key);
    const byName = order.items.filter((i) => i.name.toLowerCase() === key);
    const partial = order.items.filter((i) => i.name.toLowerCase().includes(key));
    const byWords = partial.length === 0 ? order.items.filter((i) => namesItem(key, i, order.items)) : [];
    const match =
      bySku[0] ??
      byName[0] ??
      (partial.length === 1 ? partial[0] : undefined) ??
      (byWords.length === 1 ? byWords[0] : undefined);
    if (!match) return { ok: false, error: rr.unknownItem(order.id, w.item) };
    const quantity = (chosen.get(match.sku)?.quantity ?? 0) + (w.quantity ?? match.quantity);
    if (quantity > match.quantity)
      return { ok: false, error: rr.tooMany(order.id, match.name, match.quantity) };
    chosen.set(match.sku, { ...match, quantity });
  }
  // In the order's own line order, so the same selection always signs the same way.
  return { ok: true, items: order.items.flatMap((i) => chosen.get(i.sku) ?? []) };
}

/** Words too common to tell one order line from another. */
const GENERIC_WORDS = new Set(
  'the and for with from set pack piece pair item items one two new black white grey gray blue red green mini pro max plus'.split(
    ' ',
  ),
);

const wordsOf = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 3 && !GENERIC_WORDS.has(w))
    .map((w) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w));

/** The words of a line's name that no other line of the order shares ("headphones" of "Wireless over-ear headphones"). */
function distinctiveWords(item: Order['items'][number], lines: Order['items']): string[] {
  const others = new Set(lines.filter((l) => l.sku !== item.sku).flatMap((l) => wordsOf(l.name)));
  return wordsOf(item.name).filter((w) => !others.has(w));
}

/** The text names the line by one of its distinctive words or by its SKU. */
function namesItem(text: string, item: Order['items'][number], lines: Order['items']): boolean {
  const said = new Set(wordsOf(text));
  if (
    text
      .toLowerCase()
      .split(/[^\w-]+/)
      .includes(item.sku.toLowerCase())
  )
    return true;
  return distinctiveWords(item, lines).some((w) => said.has(w));
}

/**
 * The order lines the user's own words name (e.g. the reason "the headphones don't fit"), for a
 * start_return without items on an order of several lines; none when the words name none (or all).
 */
export function mentionedItems(order: Order, text: string): Order['items'] {
  if (order.items.length < 2) return [];
  const named = order.items.filter((i) => namesItem(text, i, order.items));
  return named.length === order.items.length ? [] : named;
}

function outsideWindow(
  order: Order,
  window: ReturnWindow | undefined,
  windowDays: number,
  rr: ReturnReplies,
  rules: ReturnRules,
): string {
  if (window?.basis === 'member')
    return rr.outsideMemberWindow(order.id, window.windowDays, window.programme);
  if (window?.basis === 'holiday')
    return rr.outsideHolidayWindow(order.id, seasonName(window.season, rules, rr), window.until);
  return rr.outsideWindow(order.id, windowDays);
}

/** The holiday season's name in the reply's language (config/returns-policy.json `names`). */
const seasonName = (season: string, rules: ReturnRules, rr: ReturnReplies) =>
  localWording(season, rules.holidaySeason?.names, rr.language);

/** The sentence naming the exception that gives this order a longer window, if one does. */
function windowNote(window: ReturnWindow | undefined, rr: ReturnReplies, rules: ReturnRules): string {
  if (window?.basis === 'member') return `${rr.gap}${rr.memberWindow(window.programme, window.windowDays)}`;
  if (window?.basis === 'holiday')
    return `${rr.gap}${rr.holidayWindow(seasonName(window.season, rules, rr), window.until)}`;
  return '';
}

const rulesOf = (deps: Pick<Deps, 'returns'>) => deps.returns.rules ?? NO_RETURN_RULES;

/** The selected lines the returns policy excludes, with the policy's label for each (in `language`). */
function blockedLines(
  items: readonly ReturnItem[],
  rules: ReturnRules,
  language: ReturnReplies['language'] = 'en',
): { name: string; label: string; sku: string }[] {
  return items.flatMap((i) => {
    const rule = nonReturnableRule(i as Order['items'][number], rules);
    return rule ? [{ sku: i.sku, name: i.name, label: localWording(rule.label, rule.labels, language) }] : [];
  });
}

function refusal(
  order: Order,
  why: ReturnBlocker,
  windowDays: number,
  rules: ReturnRules = NO_RETURN_RULES,
  rr: ReturnReplies = returnReplies,
): string {
  switch (why) {
    case 'not_delivered':
      return order.status === 'processing' ? rr.notShippedYet(order.id) : rr.notDeliveredYet(order.id);
    case 'outside_window':
      return outsideWindow(order, returnWindow(order, windowDays, rules), windowDays, rr, rules);
    case 'returned':
      return rr.alreadyReturned(order.id);
    case 'cancelled':
      return rr.cancelled(order.id);
  }
}

/** The returns policy's citation, with the sentence that cites it as [1]. */
async function policyNote(
  deps: Deps,
  rr: ReturnReplies = returnReplies,
): Promise<{ note: string; citations: Citation[] } | { note: ''; citations: [] }> {
  const citation = await deps.returns.policy.citation();
  return citation
    ? { note: `${rr.gap}${rr.policy(deps.returns.windowDays)} [1]`, citations: [citation] }
    : { note: '', citations: [] };
}

type StartReturnArgs = ToolArgs<'start_return'>;
type Outcome = Awaited<ReturnType<ActionHandler>>;
type PolicyNote = Awaited<ReturnType<typeof policyNote>>;

/**
 * start_return(orderId, items?, reason): ownership (support agents: any order), a delivered order
 * inside the return window, then a signed confirmation card (without a reason: the question why). Nothing changes until the requester's
 * Confirm (order.returnConfirm). Replies cite the returns policy.
 */
export function createStartReturn(deps: Deps): ActionHandler {
  return async (ctx, rawArgs) => {
    const args = parseToolArgs('start_return', rawArgs);
    if (!args.ok) return failure('invalid_arguments', args.error);
    const tr = translatorFor(ctx);
    try {
      return await startReturn(deps, ctx, args.value, returnRepliesIn(tr));
    } catch (err) {
      if (err instanceof OrdersUnavailableError) {
        logger.warn({ reason: err.message }, 'start_return: backend unavailable');
        return failure('unavailable', ordersUnavailableIn(tr));
      }
      throw err;
    }
  };
}

/** The order's state decides: already requested, not returnable (why), or the items and the card. */
async function startReturn(
  deps: Deps,
  ctx: ActionContext,
  args: StartReturnArgs,
  rr: ReturnReplies,
): Promise<Outcome> {
  const order = await deps.orders.get(args.orderId, viewerFor(deps, ctx));
  if (!order) return failure('not_found', orderNotFound(args.orderId, translatorFor(ctx)));
  const policy = await policyNote(deps, rr);
  if (order.status === 'return_requested' && order.returnRmaId)
    return {
      ok: true,
      summary: rr.alreadyRequested(order.id, order.returnRmaId),
      data: { orderId: order.id, status: order.status, rmaId: order.returnRmaId },
    };
  const now = deps.returns.now?.() ?? new Date();
  const why = returnBlocker(order, deps.returns.windowDays, now, rulesOf(deps));
  if (why)
    return {
      ok: true,
      summary:
        refusal(order, why, deps.returns.windowDays, rulesOf(deps), rr) +
        (why === 'outside_window' ? policy.note : ''),
      data: { orderId: order.id, status: order.status, returnable: false, why },
      ...(why === 'outside_window' && policy.citations.length ? { citations: policy.citations } : {}),
    };
  return returnableOrder(deps, ctx, order, args, rr, policy);
}

/** A returnable order: the lines to return, then the question why (no reason yet) or the signed card. */
function returnableOrder(
  deps: Deps,
  ctx: ActionContext,
  order: Order,
  { items: wanted, reason }: StartReturnArgs,
  rr: ReturnReplies,
  { note, citations }: PolicyNote,
): Outcome {
  const rules = rulesOf(deps);
  // Items named in the reason ("the headphones don't fit") count as named.
  const named = wanted?.length
    ? wanted
    : reason
      ? mentionedItems(order, reason).map((i) => ({ item: i.sku }))
      : undefined;
  const selected = selectReturnItems(order, named?.length ? named : undefined, rr);
  if (!selected.ok) return failure('invalid_arguments', selected.error);
  const blocked = blockedLines(selected.items, rules, rr.language);
  const items = selected.items.filter((i) => !blocked.some((b) => b.sku === i.sku));
  if (items.length === 0)
    return {
      ok: true,
      summary: rr.notReturnable(order.id, blocked) + note,
      data: { orderId: order.id, status: order.status, returnable: false, why: 'non_returnable' },
      ...(citations.length ? { citations } : {}),
    };
  const excludedNote = blocked.length ? `${rr.gap}${rr.excluded(blocked)}` : '';
  // The order can be returned: only now is it worth asking why (the card needs a reason), and
  // on an order of several lines with none named, which of them.
  if (!reason)
    return {
      ok: true,
      summary:
        !named?.length && items.length > 1
          ? rr.askReasonAndItems(
              order.id,
              items.map((i) => i.name),
            ) + excludedNote
          : rr.askReason(order.id),
      data: { orderId: order.id, status: order.status, returnable: true, needsReason: true },
    };
  const window = returnWindow(order, deps.returns.windowDays, rules);
  const offer = returnOffer(deps, ctx, order, items, reason, blocked, window);
  return {
    ok: true,
    summary: rr.confirm(order.id) + excludedNote + windowNote(window, rr, rules) + note,
    data: { orderId: order.id, status: order.status, returnable: true, returnOffer: offer },
    ...(citations.length ? { citations } : {}),
  };
}

/** What the confirmation card shows, with its signed reference. */
function returnOffer(
  deps: Deps,
  ctx: ActionContext,
  order: Order,
  items: ReturnItem[],
  reason: string,
  blocked: { name: string; label: string }[],
  window: ReturnWindow | undefined,
): ReturnOffer {
  const unsigned = {
    orderId: order.id,
    requester: ctx.user.aadObjectId,
    items: items.map((i) => ({ sku: i.sku, quantity: i.quantity })),
    reason,
  };
  return {
    order,
    items,
    reason,
    refundAmount: refundOf(items),
    deadline: window?.deadline.toISOString().slice(0, 10),
    ...(blocked.length ? { excluded: blocked.map(({ name, label }) => ({ name, label })) } : {}),
    data: { ...unsigned, sig: deps.returns.signer.sign(unsigned) },
  };
}

export type ReturnCardOutcome =
  | { ok: true; kind: 'requested'; request: ReturnRequestDocument; changed: boolean }
  | { ok: true; kind: 'kept'; orderId: string }
  | { ok: false; code: RefusalCode; error: string };

/**
 * The Confirm / Keep clicks. Refused without a change: bad signature, a click by anyone but the
 * requester, a caller without the tool, an order no longer eligible. Confirm drives the return to
 * completion idempotently, so a repeat (or Teams retrying the invoke, or a retry after a crash
 * half-way) converges on one RMA, one return record and one ticket:
 *   1. the order is marked return_requested with a new RMA id (ETag-guarded; a marked order keeps its id);
 *   2. the return record is created under that RMA id unless it exists;
 *   3. the return ticket is opened under a key derived from the RMA id unless it exists;
 *   4. the record gets the ticket id.
 */
export async function handleReturnCard(
  deps: Deps,
  ctx: ActionContext,
  verb: 'confirm' | 'keep',
  data: ReturnCardData,
): Promise<ReturnCardOutcome> {
  const tr = translatorFor(ctx);
  const rr = returnRepliesIn(tr);
  if (!deps.returns.signer.verify(data)) return refuseCard('invalid_arguments', rr.invalidCard);
  if (data.requester !== ctx.user.aadObjectId) return refuseCard('forbidden', rr.notRequester);
  if (!deps.rbac.canCall(ctx.roles, 'start_return')) return refuseCard('forbidden', rr.forbidden);
  if (verb === 'keep') return { ok: true, kind: 'kept', orderId: data.orderId };
  try {
    return await confirmReturn(deps, ctx, data, rr);
  } catch (err) {
    if (err instanceof OrdersUnavailableError) return refuseCard('unavailable', ordersUnavailableIn(tr));
    throw err;
  }
}

const refuseCard = (code: RefusalCode, error: string): ReturnCardOutcome => ({ ok: false, code, error });

/** The card's lines, as order items to select again (by SKU). */
const cardItems = (data: ReturnCardData) => data.items.map((i) => ({ item: i.sku, quantity: i.quantity }));

/** Confirm: steps 1–4 above, each idempotent. */
async function confirmReturn(
  deps: Deps,
  ctx: ActionContext,
  data: ReturnCardData,
  rr: ReturnReplies,
): Promise<ReturnCardOutcome> {
  const now = deps.returns.now?.() ?? new Date();
  const tr = translatorFor(ctx);
  // A signed card only lists returnable lines, but the policy may have changed since: check
  // before anything is marked.
  const current = await deps.orders.get(data.orderId, viewerFor(deps, ctx));
  if (!current) return refuseCard('not_found', orderNotFound(data.orderId, tr));
  const chosen = selectReturnItems(current, cardItems(data), rr);
  if (!chosen.ok) return refuseCard('invalid_arguments', rr.invalidCard);
  const blocked = blockedLines(chosen.items, rulesOf(deps), rr.language);
  if (blocked.length) return refuseCard('not_returnable', rr.notReturnable(current.id, blocked));
  const marked = await deps.orders.requestReturn(data.orderId, viewerFor(deps, ctx), {
    allocateRmaId: () => deps.returns.store.nextRmaId(),
    windowDays: deps.returns.windowDays,
    rules: rulesOf(deps),
    now,
  });
  if (!marked.ok)
    return marked.code === 'not_found'
      ? refuseCard('not_found', orderNotFound(data.orderId, tr))
      : refuseCard(
          'not_returnable',
          refusal(marked.order, marked.why, deps.returns.windowDays, rulesOf(deps), rr),
        );
  const order = marked.order;
  const selected = selectReturnItems(order, cardItems(data), rr);
  if (!selected.ok) return refuseCard('invalid_arguments', rr.invalidCard);
  const request = await deps.returns.store.ensure({
    id: order.returnRmaId,
    pk: order.ownerAadObjectId,
    type: 'return',
    rmaId: order.returnRmaId,
    orderId: order.id,
    ownerAadObjectId: order.ownerAadObjectId,
    status: 'requested',
    items: selected.items,
    reason: data.reason,
    refundMethod: 'original_payment_method',
    refundAmount: refundOf(selected.items),
    currency: order.currency,
    requestedBy: { aadObjectId: ctx.user.aadObjectId, name: ctx.user.name, tenantId: ctx.user.tenantId },
    conversationId: ctx.conversationId,
    requestedAt: order.returnRequestedAt ?? now.toISOString(),
  });
  const linked = await openReturnTicket(deps, ctx, request);
  if (marked.changed) logger.info({ rmaId: linked.rmaId, ticketId: linked.ticketId }, 'return requested');
  return { ok: true, kind: 'requested', request: linked, changed: marked.changed };
}

/** Steps 3 and 4: the return ticket (stored in English for the support team), linked to the record. */
async function openReturnTicket(
  deps: Deps,
  ctx: ActionContext,
  request: ReturnRequestDocument,
): Promise<ReturnRequestDocument> {
  const ticket = await deps.tickets.openConfirmed(
    `return-${request.rmaId}`,
    {
      title: returnReplies.ticketTitle(request.rmaId, request.orderId),
      description: returnReplies.ticketDescription(request),
      category: 'return',
      priority: 'normal',
      orderId: request.orderId,
    },
    {
      ...request.requestedBy,
      ...(ctx.user.channelUserId ? { channelUserId: ctx.user.channelUserId } : {}),
    },
    request.conversationId,
    ctx.address,
  );
  return deps.returns.store.linkTicket(request, ticket.ticketId);
}
