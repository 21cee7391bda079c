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
import { replies } from '../replies';
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
  const { business, knowledge } = options;
  const signer = new ItemSigner(options.signingSecret);

  const callerOf = async (context: TurnContext) => {
    const aadObjectId = context.activity.from?.aadObjectId ?? '';
    const groups = aadObjectId
      ? ((await turnServices(context)
          ?.groups()
          .catch(() => [])) ?? [])
      : [];
    const ctx = business.contextFor(
      {
        aadObjectId,
        name: context.activity.from?.name,
        tenantId: context.activity.conversation?.tenantId,
        groupIds: groups,
      },
      context.activity.conversation?.id ?? '',
    );
    return { aadObjectId, groups, roles: ctx.roles };
  };
  type Caller = Awaited<ReturnType<typeof callerOf>>;

  const orderViewer = (caller: Caller) => ({
    aadObjectId: caller.aadObjectId,
    canViewAll: business.rbac.hasPermission(caller.roles, 'orders.read.any'),
  });
  const mayLookUpOrders = (caller: Caller) =>
    !!caller.aadObjectId && business.rbac.canCall(caller.roles, 'get_order_status');
  /** Groups whose documents may be inserted here: the caller's in the private chat, else everyone's. */
  const knowledgeGroups = (context: TurnContext, caller: Caller) =>
    isPrivateComposeContext(context.activity) ? [...new Set([EVERYONE, ...caller.groups])] : [EVERYONE];

  const orderCard = (context: TurnContext, order: Order): AdaptiveCard =>
    isPrivateComposeContext(context.activity)
      ? orderStatusCard(order)
      : recordStatusCard(
          'Order',
          order.id,
          ORDER_STATUS_LABELS[order.status],
          replies.messageExtension.sharedDetails,
        );

  const orderResult = (context: TurnContext, caller: Caller, order: Order): MessagingExtensionAttachment => {
    const status = ORDER_STATUS_LABELS[order.status].label;
    const item = { kind: 'order' as const, id: order.id, q: '' };
    return withPreview(
      CardFactory.adaptiveCard(orderCard(context, order)),
      CardFactory.thumbnailCard(order.id, `${status} · ${order.items.length} item(s)`, undefined, undefined, {
        tap: {
          type: 'invoke',
          title: order.id,
          value: { ...item, sig: signer.sign(item, caller.aadObjectId) },
        },
      }),
    );
  };

  const knowledgeResult = (
    caller: Caller,
    hit: KnowledgeHit,
    query: string,
  ): MessagingExtensionAttachment => {
    const item = { kind: 'knowledge' as const, id: hit.id, q: query };
    return withPreview(
      CardFactory.adaptiveCard(knowledgeSnippetCard(hit)),
      CardFactory.thumbnailCard(citationLine(hit), snippetOf(hit.content, 120), undefined, undefined, {
        tap: {
          type: 'invoke',
          title: hit.title,
          value: { ...item, sig: signer.sign(item, caller.aadObjectId) },
        },
      }),
    );
  };

  app.messageExtensions.query(ME_COMMANDS.orders, async (context, _state, query) => {
    const caller = await callerOf(context);
    if (!mayLookUpOrders(caller)) return message(replies.messageExtension.noIdentity);
    const text = queryText(query.parameters);
    try {
      const found = await searchOrders(business.orders, orderViewer(caller), text, clampCount(query.count));
      if (!found.length) return message(replies.messageExtension.noOrders(text));
      return list(found.map((o) => orderResult(context, caller, o)));
    } catch (err) {
      if (!(err instanceof OrdersUnavailableError)) throw err;
      logger.warn({ reason: err.message }, 'message extension: orders unavailable');
      return message(replies.messageExtension.ordersUnavailable);
    }
  });

  app.messageExtensions.query(ME_COMMANDS.knowledge, async (context, _state, query) => {
    const caller = await callerOf(context);
    const text = queryText(query.parameters);
    if (!text) return message(replies.messageExtension.typeAQuestion);
    try {
      const hits = await knowledge.search(text, {
        groups: knowledgeGroups(context, caller),
        top: KNOWLEDGE_TOP,
      });
      if (!hits.length) {
        const none = replies.messageExtension.noKnowledge(text);
        return message(
          isPrivateComposeContext(context.activity) ? none : `${none} ${replies.messageExtension.sharedNote}`,
        );
      }
      return list(hits.slice(0, clampCount(query.count)).map((h) => knowledgeResult(caller, h, text)));
    } catch (err) {
      if (!(err instanceof KnowledgeUnavailableError)) throw err;
      logger.warn({ backend: err.backend }, 'message extension: knowledge base unavailable');
      return message(replies.messageExtension.knowledgeUnavailable);
    }
  });

  app.messageExtensions.selectItem(async (context, _state, raw) => {
    const caller = await callerOf(context);
    const item = caller.aadObjectId ? signer.verify(raw, caller.aadObjectId) : undefined;
    if (!item) {
      logger.warn({ signed: false }, 'message extension item refused');
      return message(replies.messageExtension.itemRefused);
    }
    try {
      const card =
        item.kind === 'order'
          ? await reselectOrder(context, caller, item.id)
          : await reselectPassage(context, caller, item);
      if (!card) {
        logger.warn({ kind: item.kind, signed: true }, 'message extension item refused');
        return message(replies.messageExtension.itemRefused);
      }
      return list([CardFactory.adaptiveCard(card)]);
    } catch (err) {
      if (err instanceof OrdersUnavailableError) return message(replies.messageExtension.ordersUnavailable);
      if (err instanceof KnowledgeUnavailableError)
        return message(replies.messageExtension.knowledgeUnavailable);
      throw err;
    }
  });

  /** The order again, through get() and today's roles: ownership is re-checked. */
  const reselectOrder = async (context: TurnContext, caller: Caller, id: string) => {
    if (!mayLookUpOrders(caller) || !ORDER_ID_PATTERN.test(id)) return undefined;
    const order = await business.orders.get(id, orderViewer(caller));
    return order && orderCard(context, order);
  };

  /** The passage again, by the same search with the groups allowed here and now. */
  const reselectPassage = async (context: TurnContext, caller: Caller, item: SelectedItem) => {
    if (!item.q) return undefined;
    const hits = await knowledge.search(item.q, {
      groups: knowledgeGroups(context, caller),
      top: KNOWLEDGE_TOP,
    });
    const hit = hits.find((h) => h.id === item.id);
    return hit && knowledgeSnippetCard(hit);
  };

  app.messageExtensions.queryLink(async (context, _state, url) => {
    const target = parseUnfurlUrl(url);
    const caller = await callerOf(context);
    if (!target || !caller.aadObjectId) return list([]);
    try {
      const found =
        target.kind === 'orders'
          ? await orderPreview(caller, target.id)
          : await ticketPreview(caller, target.id);
      if (!found) return list([]);
      const preview = CardFactory.thumbnailCard(found.id, found.status.label);
      return list([withPreview(CardFactory.adaptiveCard(found.card), preview)]);
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'link preview failed');
      return list([]);
    }
  });

  // Link previews are read by everyone in the conversation: id and status only, whatever the caller may see.
  const orderPreview = async (caller: Caller, id: string) => {
    if (!mayLookUpOrders(caller)) return undefined;
    const order = await business.orders.get(id, orderViewer(caller));
    if (!order) return undefined;
    const status = ORDER_STATUS_LABELS[order.status];
    const card = recordStatusCard('Order', order.id, status, replies.messageExtension.sharedDetails);
    return { id: order.id, status, card };
  };
  const ticketPreview = async (caller: Caller, id: string) => {
    if (!business.rbac.canCall(caller.roles, 'get_ticket_status')) return undefined;
    const ticket = await business.tickets.getForViewer(id, {
      aadObjectId: caller.aadObjectId,
      canViewAll: business.rbac.hasPermission(caller.roles, 'tickets.read.any'),
    });
    if (!ticket?.ticketId) return undefined;
    const status = TICKET_STATUS_LABELS[ticket.status];
    const card = recordStatusCard('Ticket', ticket.ticketId, status, replies.messageExtension.sharedDetails);
    return { id: ticket.ticketId, status, card };
  };
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
