import { z } from 'zod';
import { logger } from '../observability/logger';
import type { AdaptiveCard } from '../teams/cards/cardBase';
import { errorCard } from '../teams/cards/errorCard';
import { returnKeptCard, returnRequestedCard } from '../teams/cards/returnCards';
import { handleCancelCard } from './cancelOrder';
import { handleReturnCard } from './startReturn';
import type { ActionDeps } from './deps';
import { identityRequired } from './messages';
import { deliveryReplies } from '../replies';
import { describeIssues, orderIdSchema, ticketPrioritySchema, type ToolName } from './schemas';
import type { ActionContext, ActionHandler } from './types';

/** Every Action.Execute verb our cards emit. */
export const CARD_ACTION_VERBS = [
  'ticket.confirm',
  'ticket.cancel',
  /** Adaptive Card refresh (Action.Execute, trigger automatic) of a draft card in a shared chat. */
  'ticket.refresh',
  'ticket.draftFromOrder',
  'order.showStatus',
  'order.cancelConfirm',
  'order.cancelKeep',
  'handoff.request',
  'delivery.selectOrder',
  'delivery.ticketWithoutOrder',
  'order.returnConfirm',
  'order.returnKeep',
] as const;
export type CardActionVerb = (typeof CARD_ACTION_VERBS)[number];

const draftRef = {
  draftId: z.string({ required_error: 'draftId is required' }).uuid('draftId is not valid'),
  sig: z.string({ required_error: 'sig is required' }).regex(/^[0-9a-f]{64}$/i, 'sig is not valid'),
};

// Teams merges card inputs into `data`; an unselected ChoiceSet may arrive as "".
const optionalPriority = z.preprocess(
  (v) => (v === '' || v === null ? undefined : v),
  ticketPrioritySchema.optional(),
);

const cancelRef = z.object({
  orderId: orderIdSchema,
  requester: z.string({ required_error: 'requester is required' }).min(1).max(200),
  reason: z.string().max(500).optional(),
  sig: draftRef.sig,
});

const returnRef = z.object({
  orderId: orderIdSchema,
  requester: z.string({ required_error: 'requester is required' }).min(1).max(200),
  items: z
    .array(z.object({ sku: z.string().min(1).max(120), quantity: z.number().int().positive().max(1000) }))
    .min(1)
    .max(50),
  reason: z.string().min(1).max(500),
  sig: draftRef.sig,
});

const cardActionSchemas = {
  'ticket.confirm': z.object({ ...draftRef, priority: optionalPriority }),
  'ticket.cancel': z.object(draftRef),
  'ticket.refresh': z.object(draftRef),
  'ticket.draftFromOrder': z.object({ orderId: orderIdSchema }),
  'order.showStatus': z.object({ orderId: orderIdSchema }),
  'order.cancelConfirm': cancelRef,
  'order.cancelKeep': cancelRef,
  'handoff.request': z.object({}),
  'delivery.selectOrder': z.object({ orderId: orderIdSchema }),
  'delivery.ticketWithoutOrder': z.object({}),
  'order.returnConfirm': returnRef,
  'order.returnKeep': returnRef,
} satisfies Record<CardActionVerb, z.ZodTypeAny>;

export type CardAction = {
  [V in CardActionVerb]: { verb: V; data: z.output<(typeof cardActionSchemas)[V]> };
}[CardActionVerb];

/** Checks an Action.Execute verb and its data against the schemas above. Never throws. */
export function validateCardActionData(
  verb: unknown,
  data: unknown,
): { ok: true; action: CardAction } | { ok: false; error: string } {
  if (typeof verb !== 'string' || !(CARD_ACTION_VERBS as readonly string[]).includes(verb)) {
    return { ok: false, error: 'Unknown card action' };
  }
  const parsed = cardActionSchemas[verb as CardActionVerb].safeParse(data ?? {});
  if (!parsed.success)
    return {
      ok: false,
      error: describeIssues(parsed.error).replace('Invalid arguments', 'Invalid card data'),
    };
  return { ok: true, action: { verb, data: parsed.data } as CardAction };
}

/** The card to show in place of the clicked one (the lead returns it as the invoke response). */
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

/**
 * One entry point for the lead's adaptiveCard/action route: validates verb + data, applies RBAC,
 * and dispatches to TicketService (confirm/cancel) or to the tools (order card buttons).
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

  const runTool = async (ctx: ActionContext, tool: ToolName, args: unknown): Promise<CardActionResult> => {
    const outcome = await registry.get(tool)!(ctx, args);
    if (!outcome.ok) return refuse(outcome.code, outcome.error);
    return {
      ok: true,
      card: (outcome.card as AdaptiveCard | undefined) ?? errorCard(outcome.summary, 'Done'),
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
          return result.ok
            ? { ok: true, card: result.card }
            : { ok: false, code: result.code, error: result.error, card: result.card };
        }
        case 'ticket.refresh': {
          const result = await deps.tickets.view(action.data.draftId, ctx.user, { sig: action.data.sig });
          return result.ok
            ? { ok: true, card: result.card }
            : { ok: false, code: result.code, error: result.error, card: result.card };
        }
        case 'ticket.draftFromOrder':
          return await runTool(ctx, 'create_ticket', {
            title: `Problem with order ${action.data.orderId}`,
            description: `Opened from the status card of order ${action.data.orderId}.`,
            category: 'order',
            priority: 'normal',
            orderId: action.data.orderId,
          });
        case 'order.showStatus':
          return await runTool(ctx, 'get_order_status', { orderId: action.data.orderId });
        case 'order.cancelConfirm':
        case 'order.cancelKeep':
          return await handleCancelCard(
            deps,
            ctx,
            action.verb === 'order.cancelConfirm' ? 'confirm' : 'keep',
            action.data,
          );
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
          if (result.kind === 'kept') return { ok: true, card: returnKeptCard(result.orderId) };
          return {
            ok: true,
            card: returnRequestedCard(result.request),
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
