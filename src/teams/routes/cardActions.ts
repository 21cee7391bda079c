import { logger } from '../../observability/logger';
import type { AdaptiveCard } from '../cards/cardBase';
import { errorCard } from '../cards/errorCard';
import { orderCancelledCard, orderKeptCard } from '../cards/cancelOrderCards';
import { returnKeptCard, returnRequestedCard } from '../cards/returnCards';
import { ticketCancelledCard, ticketCreatedCard, ticketDraftCard } from '../cards/ticketCards';
import { validateCardActionData } from '../cards/cardVerbs';
import { renderToolCard } from '../toolCards';
import { handleCancelCard } from '../../actions/cancelOrder';
import { handleReturnCard } from '../../actions/startReturn';
import type { ActionDeps } from '../../actions/deps';
import { identityRequiredIn } from '../../actions/messages';
import { deliveryReplies } from '../../replies';
import type { ToolName } from '../../actions/schemas';
import type { ActionContext, ActionHandler } from '../../actions/types';
import { isCreated, type TicketDocument } from '../../tickets/ticket';
import { english, inLanguage, isLanguage, translator, type Translator } from '../../text/i18n';
import type { TicketCardActionResult } from '../../tickets/ticketService';

/**
 * The card to show in place of the clicked one (the lead returns it as the invoke response).
 * `audit`: what the click did, for the transcript (e.g. the RMA and ticket ids of a return).
 */
export type CardActionResult = {
  ok: boolean;
  card: AdaptiveCard;
  code?: string;
  error?: string;
  /** The tool that ran and its data, so the Teams layer can render a tool-specific card. */
  tool?: ToolName;
  data?: unknown;
  audit?: Record<string, unknown>;
};

export type CardActionHandler = (
  ctx: ActionContext,
  verb: unknown,
  data: unknown,
) => Promise<CardActionResult>;

/** A ticket's card for its current state: the draft (signed), the created ticket, or the cancelled draft. */
function ticketCardFor(ticket: TicketDocument, sig: string, tr: Translator): AdaptiveCard {
  if (isCreated(ticket)) return ticketCreatedCard(ticket, tr);
  return ticket.status === 'cancelled' ? ticketCancelledCard(ticket, tr) : ticketDraftCard(ticket, sig, tr);
}

/** The language the clicked card was shown in (its buttons carry it; English when absent). */
export function cardTranslator(data: unknown): Translator {
  const lang = (data as { lang?: unknown } | null | undefined)?.lang;
  return isLanguage(lang) ? translator(lang) : english;
}

/** The card that replaces a ticket card after confirm/cancel/refresh (refusals show the ticket's state if known). */
function ticketResult(result: TicketCardActionResult, sig: string, tr: Translator): CardActionResult {
  if (result.ok) return { ok: true, card: ticketCardFor(result.ticket, sig, tr) };
  const error = inLanguage(result.error, tr);
  const card = result.ticket
    ? ticketCardFor(result.ticket, sig, tr)
    : errorCard(error, tr.t('errorCard.title'));
  return { ok: false, code: result.code, error, card };
}

/** A refused or failed click: the reason on an error card, in the clicked card's language. */
const refuse = (code: string, error: string, tr: Translator): CardActionResult => {
  const message = inLanguage(error, tr);
  return { ok: false, code, error: message, card: errorCard(message, tr.t('errorCard.title')) };
};

/**
 * The clicked card's language: its buttons carry it (`lang`; English cards carry none). Data that
 * does not validate (an edited or foreign payload) without a `lang` follows the turn (the client's
 * locale).
 */
function clickTranslator(ctx: ActionContext, data: unknown, valid: boolean): Translator {
  const lang = (data as { lang?: unknown } | null | undefined)?.lang;
  if (isLanguage(lang)) return translator(lang);
  return valid ? english : translator(ctx.language ?? 'en');
}

type Action = Extract<ReturnType<typeof validateCardActionData>, { ok: true }>['action'];
type Click = { deps: ActionDeps; ctx: ActionContext; tr: Translator; registry: Map<ToolName, ActionHandler> };

/** A tool run by a button (the card shows its outcome in the clicked card's language). */
async function runTool(click: Click, tool: ToolName, args: unknown): Promise<CardActionResult> {
  const outcome = await click.registry.get(tool)!(click.ctx, args);
  if (!outcome.ok) return refuse(outcome.code, outcome.error, click.tr);
  return {
    ok: true,
    card:
      renderToolCard(tool, outcome.data, click.tr) ??
      errorCard(outcome.summary, click.tr.t('errorCard.done')),
    tool,
    data: outcome.data,
  };
}

/**
 * One entry point for the adaptiveCard/action route: validates verb + data (cards/cardVerbs.ts),
 * applies RBAC, dispatches to the core (TicketService, the tools, the cancel and return
 * confirmations) and renders what they return as the card that replaces the clicked one. Every
 * refusal is in the clicked card's language.
 */
export function createCardActionHandler(
  deps: ActionDeps,
  registry: Map<ToolName, ActionHandler>,
): CardActionHandler {
  return async (turnCtx, verb, data) => {
    const checked = validateCardActionData(verb, data);
    const tr = clickTranslator(turnCtx, data, checked.ok);
    // The tools and confirmations answer in the card's language too.
    const ctx: ActionContext = { ...turnCtx, language: tr.language };
    if (!checked.ok) {
      logger.warn(
        { verb: typeof verb === 'string' ? verb.slice(0, 64) : typeof verb },
        'card action refused: invalid data',
      );
      return refuse('invalid_arguments', tr.t('cards.invalid'), tr);
    }
    const { action } = checked;
    if (!ctx.user.aadObjectId.trim()) return refuse('forbidden', identityRequiredIn(tr), tr);
    try {
      return await dispatch({ deps, ctx, tr, registry }, action);
    } catch (err) {
      logger.error({ verb: action.verb, err: String(err) }, 'card action failed');
      return refuse('unavailable', tr.t('cards.failed'), tr);
    }
  };
}

async function dispatch(click: Click, action: Action): Promise<CardActionResult> {
  const { deps, ctx, tr } = click;
  switch (action.verb) {
    case 'ticket.confirm':
    case 'ticket.cancel':
    case 'ticket.refresh':
      return ticketClick(click, action);
    case 'ticket.draftFromOrder':
      // The ticket is stored for the support team: its title and description stay English.
      return runTool(click, 'create_ticket', {
        title: `Problem with order ${action.data.orderId}`,
        description: `Opened from the status card of order ${action.data.orderId}.`,
        category: 'order',
        priority: 'normal',
        orderId: action.data.orderId,
      });
    case 'order.showStatus':
      return runTool(click, 'get_order_status', { orderId: action.data.orderId });
    case 'ticket.showStatus':
      return runTool(click, 'get_ticket_status', { ticketId: action.data.ticketId });
    case 'order.cancelConfirm':
    case 'order.cancelKeep': {
      const verb = action.verb === 'order.cancelConfirm' ? 'confirm' : 'keep';
      const result = await handleCancelCard(deps, ctx, verb, action.data);
      if (!result.ok) return refuse(result.code, result.error, tr);
      return {
        ok: true,
        card:
          result.kind === 'kept' ? orderKeptCard(result.orderId, tr) : orderCancelledCard(result.order, tr),
      };
    }
    case 'handoff.request':
      return runTool(click, 'request_human', {});
    case 'delivery.selectOrder':
      return runTool(click, 'report_missing_delivery', { orderId: action.data.orderId });
    case 'delivery.ticketWithoutOrder':
      return runTool(click, 'create_ticket', {
        title: deliveryReplies.anywayTitle,
        description: deliveryReplies.anywayDescription,
        category: 'delivery',
        priority: 'normal',
      });
    case 'order.returnConfirm':
    case 'order.returnKeep':
      return returnClick(click, action);
    case 'ticket.assignToMe':
    case 'ticket.unassign':
      return assignClick(click, action);
  }
}

/**
 * "Assign to me" / "Unassign" on a ticket card: the clicker's role decides (a non-agent is refused
 * before anything is read), the ticket must exist, and the card's `expected` assignee must still be
 * the ticket's, so a stale card changes nothing; a second click of the same button finds the
 * ticket already so and shows the same card. The tool does the rest (events, notices, webhook).
 */
async function assignClick(
  click: Click,
  action: Extract<Action, { verb: 'ticket.assignToMe' | 'ticket.unassign' }>,
): Promise<CardActionResult> {
  const { deps, ctx, tr } = click;
  if (!deps.rbac.hasPermission(ctx.roles, 'tickets.assign.any'))
    return refuse('forbidden', tr.t('cards.notAllowedAssign'), tr);
  return runTool(click, 'assign_ticket', {
    ticketId: action.data.ticketId,
    assignee: action.verb === 'ticket.assignToMe' ? 'me' : 'nobody',
    expectedAssigneeId: action.data.expected,
  });
}

async function ticketClick(
  { deps, ctx, tr }: Click,
  action: Extract<Action, { verb: 'ticket.confirm' | 'ticket.cancel' | 'ticket.refresh' }>,
): Promise<CardActionResult> {
  if (action.verb === 'ticket.refresh') {
    const result = await deps.tickets.view(action.data.draftId, ctx.user, { sig: action.data.sig });
    return ticketResult(result, action.data.sig, tr);
  }
  if (!deps.rbac.canCall(ctx.roles, 'create_ticket'))
    return refuse('forbidden', tr.t('cards.notAllowedTickets'), tr);
  const result =
    action.verb === 'ticket.confirm'
      ? await deps.tickets.confirm(action.data.draftId, ctx.user, {
          sig: action.data.sig,
          priority: action.data.priority,
        })
      : await deps.tickets.cancel(action.data.draftId, ctx.user, { sig: action.data.sig });
  return ticketResult(result, action.data.sig, tr);
}

async function returnClick(
  { deps, ctx, tr }: Click,
  action: Extract<Action, { verb: 'order.returnConfirm' | 'order.returnKeep' }>,
): Promise<CardActionResult> {
  const verb = action.verb === 'order.returnConfirm' ? 'confirm' : 'keep';
  const result = await handleReturnCard(deps, ctx, verb, action.data);
  if (!result.ok) return refuse(result.code, result.error, tr);
  if (result.kind === 'kept') return { ok: true, card: returnKeptCard(result.orderId, tr) };
  return {
    ok: true,
    card: returnRequestedCard(result.request, tr),
    audit: {
      rmaId: result.request.rmaId,
      ticketId: result.request.ticketId,
      orderId: result.request.orderId,
      changed: result.changed,
    },
  };
}
