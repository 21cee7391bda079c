import { logger } from '../observability/logger';
import { OrdersUnavailableError } from '../orders/order';
import type { TicketDocument } from '../tickets/ticket';
import type { ActionDeps } from './deps';
import { orderNotFound, ordersUnavailableIn, ticketsUnavailableIn, translatorFor } from './messages';
import { parseToolArgs } from './schemas';
import { type ActionHandler, failure } from './types';

/** create_ticket's data (and report_missing_delivery's once it drafted): the draft and its signature. */
export type TicketDraftView = { draftId: string; status: string; sig: string; draft: TicketDocument };

/**
 * create_ticket(...): only DRAFTS the ticket and returns the review card; the user's Confirm
 * click (ticket.confirm) files it. A referenced order must be one the caller may see.
 */
export function createCreateTicket(deps: ActionDeps): ActionHandler {
  return async (ctx, rawArgs) => {
    const args = parseToolArgs('create_ticket', rawArgs);
    if (!args.ok) return failure('invalid_arguments', args.error);
    const input = args.value;
    if (input.orderId) {
      try {
        const order = await deps.orders.get(input.orderId, {
          aadObjectId: ctx.user.aadObjectId,
          canViewAll: deps.rbac.hasPermission(ctx.roles, 'orders.read.any'),
        });
        if (!order) return failure('not_found', orderNotFound(input.orderId, translatorFor(ctx)));
      } catch (err) {
        if (err instanceof OrdersUnavailableError)
          return failure('unavailable', ordersUnavailableIn(translatorFor(ctx)));
        throw err;
      }
    }
    try {
      const { draft, sig } = await deps.tickets.draft(input, ctx.user, ctx.conversationId, ctx.address);
      return {
        ok: true,
        summary: `I drafted a ${input.priority}-priority ${input.category} ticket "${input.title}". Please review it on the card and press Confirm to file it.`,
        // The Teams layer renders the draft as the review card; sig is the signed reference its
        // buttons (and a shared chat's refresh action) carry.
        data: { draftId: draft.id, status: draft.status, sig, draft } satisfies TicketDraftView,
      };
    } catch (err) {
      logger.error({ err: String(err) }, 'create_ticket: could not store the draft');
      return failure('unavailable', ticketsUnavailableIn(translatorFor(ctx)));
    }
  };
}

/**
 * add_ticket_detail(detail): the detail goes into the description of the caller's newest
 * unconfirmed draft in this conversation, and the updated draft comes back for its card. Nothing
 * is filed; the user still confirms on the card.
 */
export function createAddTicketDetail(deps: ActionDeps): ActionHandler {
  return async (ctx, rawArgs) => {
    const args = parseToolArgs('add_ticket_detail', rawArgs);
    if (!args.ok) return failure('invalid_arguments', args.error);
    try {
      const updated = await deps.tickets.addToLatestDraft(ctx.user, ctx.conversationId, args.value.detail);
      if (!updated) return failure('not_found', translatorFor(ctx).t('tickets.noDraftToAddTo'));
      const { draft, sig } = updated;
      return {
        ok: true,
        summary: `I added that to the description of the ticket draft "${draft.title}". Please review it on the card and press Confirm to file it.`,
        data: { draftId: draft.id, status: draft.status, sig, draft } satisfies TicketDraftView,
      };
    } catch (err) {
      logger.error({ err: String(err) }, 'add_ticket_detail: could not update the draft');
      return failure('unavailable', ticketsUnavailableIn(translatorFor(ctx)));
    }
  };
}
