import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  CardFactory,
  type Activity,
  type Attachment,
  type MessagingExtensionAttachment,
  type MessagingExtensionResult,
  type TurnContext,
} from 'botbuilder';
import type { Application } from '@microsoft/teams-ai';
import type { BusinessActions } from '../actions';
import { EVERYONE, KnowledgeUnavailableError, type KnowledgeHit, type KnowledgeSearch } from '../knowledge';
import { ORDER_ID_PATTERN, OrdersUnavailableError, searchOrders, type Order } from '../orders';
import { logger } from '../observability/logger';
import { repliesIn } from '../replies';
import { translator, type Translator } from '../text/i18n';
import { detectLanguage, turnLanguage } from '../text/language';
import type { BotTurnState } from './app';
import { turnServices } from './pipeline/turnServices';
import {
  citationLine,
  knowledgeSnippetCard,
  ORDER_STATUS_LABELS,
  orderStatusCard,
  recordStatusCard,
  snippetOf,
  TICKET_STATUS_LABELS,
  type AdaptiveCard,
} from './cards';
import { orderStatusLabel } from './cards/orderCards';
import { ticketStatusLabel } from './cards/ticketCards';

/** Command ids of the search-based message extension (appPackage/manifest.json composeExtensions). */
export const ME_COMMANDS = { orders: 'searchOrders', knowledge: 'searchKnowledge' } as const;
/** Results per search; the same number is searched again when an item is selected. */
const KNOWLEDGE_TOP = 10;
const MAX_QUERY_CHARS = 200;

/**
 * Links the bot previews (link unfurling): https://<BOT_DOMAIN>/orders/ORD-10422 and
 * https://<BOT_DOMAIN>/tickets/TKT-000123. Teams sends a queryLink only for the manifest's
 * messageHandlers domains; the path decides what is previewed.
 */
export const UNFURL_PATH = /^\/(orders|tickets)\/([A-Za-z]{3}-\d{5,10})\/?$/;

export interface MessageExtensionOptions {
  business: BusinessActions;
  knowledge: KnowledgeSearch;
  /** HMAC key for the selectItem payloads (the card signing secret). */
  signingSecret: string;
}

/**
 * Where what the user inserts will be read. Private only in the user's own 1:1 chat with the
 * bot: Teams marks it `personal` and its id is not a `19:` thread. A 1:1 chat between two people
 * is `personal` too, but has a `19:…@unq.gbl.spaces` id: another person reads it. Everything
 * else (channels, group chats, meetings, no type given) is shared. See SECURITY.md.
 */
export function isPrivateComposeContext(activity: Partial<Activity> | undefined): boolean {
  const conversation = activity?.conversation;
  if (conversation?.conversationType !== 'personal') return false;
  return !String(conversation.id ?? '').startsWith('19:');
}

/** The signed reference a result's preview carries to selectItem. */
export interface SelectedItem {
  kind: 'order' | 'knowledge';
  id: string;
  /** The knowledge query the passage was found by (re-run on select); '' for orders. */
  q: string;
  sig: string;
}

/** HMAC over the item and the caller: an item from someone else's results, or edited, fails. */
export class ItemSigner {
  constructor(private readonly secret: string) {
    if (typeof secret !== 'string' || secret.length < 16)
      throw new Error('The card signing secret must be at least 16 characters');
  }

  sign(item: Omit<SelectedItem, 'sig'>, caller: string): string {
    return createHmac('sha256', this.secret)
      .update(JSON.stringify(['me-item:v1', item.kind, item.id, item.q, caller]))
      .digest('hex');
  }

  /** The item when the payload is well-formed and signed for this caller; undefined otherwise. */
  verify(raw: unknown, caller: string): SelectedItem | undefined {
    const v = raw as Partial<SelectedItem> | undefined;
    if (!v || (v.kind !== 'order' && v.kind !== 'knowledge')) return undefined;
    if (typeof v.id !== 'string' || typeof v.q !== 'string' || typeof v.sig !== 'string') return undefined;
    const item: SelectedItem = { kind: v.kind, id: v.id, q: v.q, sig: v.sig };
    const expected = Buffer.from(this.sign(item, caller), 'hex');
    const given = /^[0-9a-f]{64}$/i.test(item.sig) ? Buffer.from(item.sig, 'hex') : Buffer.alloc(0);
    return given.length === expected.length && timingSafeEqual(given, expected) ? item : undefined;
  }
}

/** What every handler of the extension shares. */
type Extension = { business: BusinessActions; knowledge: KnowledgeSearch; signer: ItemSigner };
type Caller = { aadObjectId: string; groups: string[]; roles: string[] };
type Query = { parameters?: Record<string, unknown>; count?: number };

/**
 * The language of a compose-box request: the query's script when it has letters, else the
 * client's locale (English otherwise). Results, notes and inserted cards are in it.
 */
function composeTranslator(context: TurnContext, query = ''): Translator {
  return translator(turnLanguage(query, context.activity.locale));
}

/**
 * The search-based message extension (search my orders, search the knowledge base) and link
 * unfurling, with the bot's own rules: RBAC roles from the policy, own orders only (support agents
 * any), knowledge trimmed by the caller's groups and, because the inserted card is posted into
 * the conversation being composed in, public documents only outside the 1:1 chat with the bot.
 * selectItem never trusts its payload: the signature binds it to the caller, and the order or
 * passage is fetched again and its access re-checked before a card is returned.
 */
export function registerMessageExtension(
  app: Application<BotTurnState>,
  options: MessageExtensionOptions,
): void {
  const ext: Extension = {
    business: options.business,
    knowledge: options.knowledge,
    signer: new ItemSigner(options.signingSecret),
  };
  app.messageExtensions.query(ME_COMMANDS.orders, (context, _state, query) =>
    searchOrdersQuery(ext, context, query),
  );
  app.messageExtensions.query(ME_COMMANDS.knowledge, (context, _state, query) =>
    searchKnowledgeQuery(ext, context, query),
  );
  app.messageExtensions.selectItem((context, _state, raw) => selectItem(ext, context, raw));
  app.messageExtensions.queryLink((context, _state, url) => previewLink(ext, context, url));
}

/** A Chinese query prefers Chinese documents (as in the chat); other queries search as they always did. */
const chineseQuery = (query: string): { language?: 'zh-CN' } =>
  detectLanguage(query) === 'zh-CN' ? { language: 'zh-CN' } : {};

async function callerOf(ext: Extension, context: TurnContext): Promise<Caller> {
  const aadObjectId = context.activity.from?.aadObjectId ?? '';
  const groups = aadObjectId
    ? ((await turnServices(context)
        ?.groups()
        .catch(() => [])) ?? [])
    : [];
  const ctx = ext.business.contextFor(
    {
      aadObjectId,
      name: context.activity.from?.name,
      tenantId: context.activity.conversation?.tenantId,
      groupIds: groups,
    },
    context.activity.conversation?.id ?? '',
  );
  return { aadObjectId, groups, roles: ctx.roles };
}

const orderViewer = (ext: Extension, caller: Caller) => ({
  aadObjectId: caller.aadObjectId,
  canViewAll: ext.business.rbac.hasPermission(caller.roles, 'orders.read.any'),
});
const mayLookUpOrders = (ext: Extension, caller: Caller) =>
  !!caller.aadObjectId && ext.business.rbac.canCall(caller.roles, 'get_order_status');
/** Groups whose documents may be inserted here: the caller's in the private chat, else everyone's. */
const knowledgeGroups = (context: TurnContext, caller: Caller) =>
  isPrivateComposeContext(context.activity) ? [...new Set([EVERYONE, ...caller.groups])] : [EVERYONE];

/** The order's card: the full card in the private chat, id and status only where others read it. */
const orderCard = (context: TurnContext, order: Order, tr: Translator): AdaptiveCard =>
  isPrivateComposeContext(context.activity)
    ? orderStatusCard(order, tr)
    : recordStatusCard(
        'Order',
        order.id,
        orderStatus(order, tr),
        repliesIn(tr).messageExtension.sharedDetails,
        tr,
      );

const orderStatus = (order: Order, tr: Translator) => ({
  ...ORDER_STATUS_LABELS[order.status],
  label: orderStatusLabel(order.status, tr),
});

function orderResult(
  ext: Extension,
  context: TurnContext,
  caller: Caller,
  order: Order,
  tr: Translator,
): MessagingExtensionAttachment {
  const item = { kind: 'order' as const, id: order.id, q: '' };
  const line = tr.t('me.orderPreview', {
    status: orderStatusLabel(order.status, tr),
    count: order.items.length,
  });
  return withPreview(
    CardFactory.adaptiveCard(orderCard(context, order, tr)),
    CardFactory.thumbnailCard(order.id, line, undefined, undefined, {
      tap: {
        type: 'invoke',
        title: order.id,
        value: { ...item, sig: ext.signer.sign(item, caller.aadObjectId) },
      },
    }),
  );
}

function knowledgeResult(
  ext: Extension,
  caller: Caller,
  hit: KnowledgeHit,
  query: string,
  tr: Translator,
): MessagingExtensionAttachment {
  const item = { kind: 'knowledge' as const, id: hit.id, q: query };
  return withPreview(
    CardFactory.adaptiveCard(knowledgeSnippetCard(hit, tr)),
    CardFactory.thumbnailCard(citationLine(hit, tr), snippetOf(hit.content, 120), undefined, undefined, {
      tap: {
        type: 'invoke',
        title: hit.title,
        value: { ...item, sig: ext.signer.sign(item, caller.aadObjectId) },
      },
    }),
  );
}

/** What both searches start from: the query text, its language's wording, and who asks. */
async function readQuery(ext: Extension, context: TurnContext, query: Query) {
  const text = queryText(query.parameters ?? {});
  const tr = composeTranslator(context, text);
  return { text, tr, said: repliesIn(tr).messageExtension, caller: await callerOf(ext, context) };
}

async function searchOrdersQuery(
  ext: Extension,
  context: TurnContext,
  query: Query,
): Promise<MessagingExtensionResult> {
  const { text, tr, said, caller } = await readQuery(ext, context, query);
  if (!mayLookUpOrders(ext, caller)) return message(said.noIdentity);
  try {
    const found = await searchOrders(
      ext.business.orders,
      orderViewer(ext, caller),
      text,
      clampCount(query.count),
    );
    if (!found.length) return message(said.noOrders(text));
    return list(found.map((o) => orderResult(ext, context, caller, o, tr)));
  } catch (err) {
    if (!(err instanceof OrdersUnavailableError)) throw err;
    logger.warn({ reason: err.message }, 'message extension: orders unavailable');
    return message(said.ordersUnavailable);
  }
}

async function searchKnowledgeQuery(
  ext: Extension,
  context: TurnContext,
  query: Query,
): Promise<MessagingExtensionResult> {
  const { text, tr, said, caller } = await readQuery(ext, context, query);
  if (!text) return message(said.typeAQuestion);
  try {
    const hits = await ext.knowledge.search(text, {
      groups: knowledgeGroups(context, caller),
      top: KNOWLEDGE_TOP,
      ...chineseQuery(text),
    });
    if (!hits.length) {
      const none = said.noKnowledge(text);
      const joiner = tr.language === 'en' ? ' ' : '';
      return message(isPrivateComposeContext(context.activity) ? none : `${none}${joiner}${said.sharedNote}`);
    }
    return list(hits.slice(0, clampCount(query.count)).map((h) => knowledgeResult(ext, caller, h, text, tr)));
  } catch (err) {
    if (!(err instanceof KnowledgeUnavailableError)) throw err;
    logger.warn({ backend: err.backend }, 'message extension: knowledge base unavailable');
    return message(said.knowledgeUnavailable);
  }
}

async function selectItem(
  ext: Extension,
  context: TurnContext,
  raw: unknown,
): Promise<MessagingExtensionResult> {
  const caller = await callerOf(ext, context);
  const item = caller.aadObjectId ? ext.signer.verify(raw, caller.aadObjectId) : undefined;
  // The item's own query decides for a passage (it was found in that language), the locale otherwise.
  const tr = composeTranslator(context, item?.q);
  const said = repliesIn(tr).messageExtension;
  if (!item) {
    logger.warn({ signed: false }, 'message extension item refused');
    return message(said.itemRefused);
  }
  try {
    const card =
      item.kind === 'order'
        ? await reselectOrder(ext, context, caller, item.id, tr)
        : await reselectPassage(ext, context, caller, item, tr);
    if (!card) {
      logger.warn({ kind: item.kind, signed: true }, 'message extension item refused');
      return message(said.itemRefused);
    }
    return list([CardFactory.adaptiveCard(card)]);
  } catch (err) {
    if (err instanceof OrdersUnavailableError) return message(said.ordersUnavailable);
    if (err instanceof KnowledgeUnavailableError) return message(said.knowledgeUnavailable);
    throw err;
  }
}

/** The order again, through get() and today's roles: ownership is re-checked. */
async function reselectOrder(
  ext: Extension,
  context: TurnContext,
  caller: Caller,
  id: string,
  tr: Translator,
) {
  if (!mayLookUpOrders(ext, caller) || !ORDER_ID_PATTERN.test(id)) return undefined;
  const order = await ext.business.orders.get(id, orderViewer(ext, caller));
  return order && orderCard(context, order, tr);
}

/** The passage again, by the same search with the groups allowed here and now. */
async function reselectPassage(
  ext: Extension,
  context: TurnContext,
  caller: Caller,
  item: SelectedItem,
  tr: Translator,
) {
  if (!item.q) return undefined;
  const hits = await ext.knowledge.search(item.q, {
    groups: knowledgeGroups(context, caller),
    top: KNOWLEDGE_TOP,
    ...chineseQuery(item.q),
  });
  const hit = hits.find((h) => h.id === item.id);
  return hit && knowledgeSnippetCard(hit, tr);
}

async function previewLink(
  ext: Extension,
  context: TurnContext,
  url: unknown,
): Promise<MessagingExtensionResult> {
  const target = parseUnfurlUrl(url);
  const caller = await callerOf(ext, context);
  if (!target || !caller.aadObjectId) return list([]);
  const tr = composeTranslator(context);
  try {
    const found =
      target.kind === 'orders'
        ? await orderPreview(ext, caller, target.id, tr)
        : await ticketPreview(ext, caller, target.id, tr);
    if (!found) return list([]);
    const preview = CardFactory.thumbnailCard(found.id, found.status.label);
    return list([withPreview(CardFactory.adaptiveCard(found.card), preview)]);
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'link preview failed');
    return list([]);
  }
}

// Link previews are read by everyone in the conversation: id and status only, whatever the caller may see.
async function orderPreview(ext: Extension, caller: Caller, id: string, tr: Translator) {
  if (!mayLookUpOrders(ext, caller)) return undefined;
  const order = await ext.business.orders.get(id, orderViewer(ext, caller));
  if (!order) return undefined;
  const status = orderStatus(order, tr);
  const note = repliesIn(tr).messageExtension.sharedDetails;
  return { id: order.id, status, card: recordStatusCard('Order', order.id, status, note, tr) };
}

async function ticketPreview(ext: Extension, caller: Caller, id: string, tr: Translator) {
  if (!ext.business.rbac.canCall(caller.roles, 'get_ticket_status')) return undefined;
  const ticket = await ext.business.tickets.getForViewer(id, {
    aadObjectId: caller.aadObjectId,
    canViewAll: ext.business.rbac.hasPermission(caller.roles, 'tickets.read.any'),
  });
  if (!ticket?.ticketId) return undefined;
  const status = { ...TICKET_STATUS_LABELS[ticket.status], label: ticketStatusLabel(ticket.status, tr) };
  const note = repliesIn(tr).messageExtension.sharedDetails;
  return { id: ticket.ticketId, status, card: recordStatusCard('Ticket', ticket.ticketId, status, note, tr) };
}

/** `{ kind, id }` for a previewable link, else undefined (other paths, bad ids, not https). */
export function parseUnfurlUrl(url: unknown): { kind: 'orders' | 'tickets'; id: string } | undefined {
  if (typeof url !== 'string' || url.length > 2048) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:') return undefined;
  const m = UNFURL_PATH.exec(parsed.pathname);
  if (!m) return undefined;
  const kind = m[1] as 'orders' | 'tickets';
  const id = m[2]!.toUpperCase();
  const valid = kind === 'orders' ? ORDER_ID_PATTERN.test(id) : /^TKT-\d{6}$/.test(id);
  return valid ? { kind, id } : undefined;
}

function queryText(parameters: Record<string, unknown>): string {
  const value = parameters.query ?? Object.values(parameters)[0];
  // initialRun sends the parameter name 'initialRun' with value 'true': that is no query.
  if (typeof value !== 'string' || parameters.initialRun !== undefined) return '';
  return value.trim().slice(0, MAX_QUERY_CHARS);
}

function clampCount(count: unknown): number {
  return typeof count === 'number' && Number.isInteger(count) && count > 0 ? Math.min(count, 25) : 25;
}

function withPreview(card: Attachment, preview: Attachment): MessagingExtensionAttachment {
  return { ...card, preview };
}

function list(attachments: MessagingExtensionAttachment[]): MessagingExtensionResult {
  return { type: 'result', attachmentLayout: 'list', attachments };
}

function message(text: string): MessagingExtensionResult {
  return { type: 'message', text };
}
