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
import { identityRequired } from '../../actions/messages';
import { deliveryReplies } from '../../replies';
import type { ToolName } from '../../actions/schemas';
import type { ActionContext, ActionHandler } from '../../actions/types';
import { isCreated, type TicketDocument } from '../../tickets/ticket';
import { english, isLanguage, translator, type Translator } from '../../text/i18n';
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
  const card = result.ticket
    ? ticketCardFor(result.ticket, sig, tr)
    : errorCard(result.error, tr.t('errorCard.title'));
  return { ok: false, code: result.code, error: result.error, card };
}

/**
 * One entry point for the adaptiveCard/action route: validates verb + data (cards/cardVerbs.ts),
 * applies RBAC, dispatches to the core (TicketService, the tools, the cancel and return
 * confirmations) and renders what they return as the card that replaces the clicked one.
 */
export function createCardActionHandler(
  deps: ActionDeps,
  registry: Map<ToolName, ActionHandler>,
): CardActionHandler {
  const refuse = (code: string, error: string): CardActionResult => ({
    ok: false,
    code,
    error,
    card: errorCard(error),
  });

  const runTool = async (
    ctx: ActionContext,
    tool: ToolName,
    args: unknown,
    tr: Translator = english,
  ): Promise<CardActionResult> => {
    const outcome = await registry.get(tool)!(ctx, args);
    if (!outcome.ok) return refuse(outcome.code, outcome.error);
    return {
      ok: true,
      card: renderToolCard(tool, outcome.data, tr) ?? errorCard(outcome.summary, tr.t('errorCard.done')),
      tool,
      data: outcome.data,
    };
  };

  return async (ctx, verb, data) => {
    const checked = validateCardActionData(verb, data);
    if (!checked.ok) {
      logger.warn(
        { verb: typeof verb === 'string' ? verb.slice(0, 64) : typeof verb },
        'card action refused: invalid data',
      );
      return refuse('invalid_arguments', 'This card is no longer valid.');
    }
    const { action } = checked;
    if (!ctx.user.aadObjectId.trim()) return refuse('forbidden', identityRequired);
    try {
      switch (action.verb) {
        case 'ticket.confirm':
        case 'ticket.cancel': {
          if (!deps.rbac.canCall(ctx.roles, 'create_ticket'))
            return refuse('forbidden', 'You are not allowed to file tickets.');
          const result =
            action.verb === 'ticket.confirm'
              ? await deps.tickets.confirm(action.data.draftId, ctx.user, {
                  sig: action.data.sig,
                  priority: action.data.priority,
                })
              : await deps.tickets.cancel(action.data.draftId, ctx.user, { sig: action.data.sig });
          return ticketResult(result, action.data.sig, cardTranslator(action.data));
        }
        case 'ticket.refresh': {
          const result = await deps.tickets.view(action.data.draftId, ctx.user, { sig: action.data.sig });
          return ticketResult(result, action.data.sig, cardTranslator(action.data));
        }
        case 'ticket.draftFromOrder':
          return await runTool(
            ctx,
            'create_ticket',
            {
              title: `Problem with order ${action.data.orderId}`,
              description: `Opened from the status card of order ${action.data.orderId}.`,
              category: 'order',
              priority: 'normal',
              orderId: action.data.orderId,
            },
            cardTranslator(action.data),
          );
        case 'order.showStatus':
          return await runTool(
            ctx,
            'get_order_status',
            { orderId: action.data.orderId },
            cardTranslator(action.data),
          );
        case 'ticket.showStatus':
          return await runTool(
            ctx,
            'get_ticket_status',
            { ticketId: action.data.ticketId },
            cardTranslator(action.data),
          );
        case 'order.cancelConfirm':
        case 'order.cancelKeep': {
          const result = await handleCancelCard(
            deps,
            ctx,
            action.verb === 'order.cancelConfirm' ? 'confirm' : 'keep',
            action.data,
          );
          if (!result.ok) return refuse(result.code, result.error);
          return {
            ok: true,
            card:
              result.kind === 'kept'
                ? orderKeptCard(result.orderId, cardTranslator(action.data))
                : orderCancelledCard(result.order, cardTranslator(action.data)),
          };
        }
        case 'handoff.request':
          return await runTool(ctx, 'request_human', {});
        case 'delivery.selectOrder':
          return await runTool(ctx, 'report_missing_delivery', { orderId: action.data.orderId });
        case 'delivery.ticketWithoutOrder':
          return await runTool(ctx, 'create_ticket', {
            title: deliveryReplies.anywayTitle,
            description: deliveryReplies.anywayDescription,
            category: 'delivery',
            priority: 'normal',
          });
        case 'order.returnConfirm':
        case 'order.returnKeep': {
          const result = await handleReturnCard(
            deps,
            ctx,
            action.verb === 'order.returnConfirm' ? 'confirm' : 'keep',
            action.data,
          );
          if (!result.ok) return refuse(result.code, result.error);
          if (result.kind === 'kept')
            return { ok: true, card: returnKeptCard(result.orderId, cardTranslator(action.data)) };
          return {
            ok: true,
            card: returnRequestedCard(result.request, cardTranslator(action.data)),
            audit: {
              rmaId: result.request.rmaId,
              ticketId: result.request.ticketId,
              orderId: result.request.orderId,
              changed: result.changed,
            },
          };
        }
      }
    } catch (err) {
      logger.error({ verb: action.verb, err: String(err) }, 'card action failed');
      return refuse('unavailable', 'Something went wrong on my side. Please try again.');
    }
  };
}
