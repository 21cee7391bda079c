import type { TicketDraftView } from './createTicket';
import { logger } from '../observability/logger';
import type { Order, OrderStatus } from '../orders/order';
import { OrdersUnavailableError } from '../orders/order';
import { deliveryReplies, deliveryRepliesIn } from '../replies';
import type { ActionDeps } from './deps';
import { orderNotFound, ordersUnavailableIn, ticketsUnavailableIn, translatorFor } from './messages';
import { parseToolArgs } from './schemas';
import { type ActionHandler, failure } from './types';

/** Orders whose package is on its way: the candidates for "my package never arrived". */
const IN_TRANSIT_STATUSES: readonly OrderStatus[] = ['shipped', 'out_for_delivery'];
/** Named explicitly, a delivered order can be reported too: "delivered" but never received. */
const REPORTABLE_STATUSES: readonly OrderStatus[] = [...IN_TRANSIT_STATUSES, 'delivered'];

export type DeliveryCandidate = Pick<
  Order,
  'id' | 'status' | 'carrier' | 'estimatedDelivery' | 'shippedAt'
> & {
  items: string;
};

/** The tool's data: candidates to pick from (rendered as a card by the Teams layer), or the drafted ticket. */
export type MissingDeliveryData =
  | { kind: 'delivery_candidates'; candidates: DeliveryCandidate[] }
  | ({ kind: 'delivery_drafted'; orderId: string } & TicketDraftView);

const candidateOf = (o: Order): DeliveryCandidate => ({
  id: o.id,
  status: o.status,
  ...(o.carrier ? { carrier: o.carrier } : {}),
  ...(o.estimatedDelivery ? { estimatedDelivery: o.estimatedDelivery } : {}),
  ...(o.shippedAt ? { shippedAt: o.shippedAt } : {}),
  items: o.items.map((i) => `${i.quantity} × ${i.name}`).join(', '),
});

/**
 * report_missing_delivery(orderId?): without an order, lists the requester's orders on their way
 * (always asked, even for one candidate); with an order the requester may see, drafts a
 * `delivery` ticket linked to it, which the requester confirms on the usual draft card.
 */
export function createReportMissingDelivery(
  deps: Pick<ActionDeps, 'orders' | 'tickets' | 'rbac'>,
): ActionHandler {
  return async (ctx, rawArgs) => {
    const args = parseToolArgs('report_missing_delivery', rawArgs);
    if (!args.ok) return failure('invalid_arguments', args.error);
    const { orderId } = args.value;
    const tr = translatorFor(ctx);
    const dr = deliveryRepliesIn(tr);
    try {
      if (!orderId) {
        const candidates = (await deps.orders.listForOwner(ctx.user.aadObjectId))
          .filter((o) => IN_TRANSIT_STATUSES.includes(o.status))
          .map(candidateOf);
        const data: MissingDeliveryData = { kind: 'delivery_candidates', candidates };
        if (!candidates.length) return { ok: true, summary: dr.none, data };
        const list = candidates.map((c) => `${c.id} (${c.status.replace(/_/g, ' ')})`).join(', ');
        return { ok: true, summary: `${dr.pick(candidates.length)} ${list}`, data };
      }
      const order = await deps.orders.get(orderId, {
        aadObjectId: ctx.user.aadObjectId,
        canViewAll: deps.rbac.hasPermission(ctx.roles, 'orders.read.any'),
      });
      if (!order) return failure('not_found', orderNotFound(orderId, tr));
      if (order.status === 'processing')
        return { ok: true, summary: dr.notShipped(order.id), data: { status: order.status } };
      if (!REPORTABLE_STATUSES.includes(order.status))
        return {
          ok: true,
          summary: deliveryReplies.notApplicable(order.id, order.status),
          data: { status: order.status },
        };
      const { draft, sig } = await deps.tickets.draft(
        {
          title: deliveryReplies.ticketTitle(order.id),
          description: deliveryReplies.ticketDescription(order.id, order.status),
          category: 'delivery',
          priority: 'normal',
          orderId: order.id,
        },
        ctx.user,
        ctx.conversationId,
      );
      const data: MissingDeliveryData = {
        kind: 'delivery_drafted',
        orderId: order.id,
        draftId: draft.id,
        status: draft.status,
        sig,
        draft,
      };
      return { ok: true, summary: dr.drafted(order.id), data };
    } catch (err) {
      if (err instanceof OrdersUnavailableError) {
        logger.warn({ reason: err.message }, 'report_missing_delivery: orders unavailable');
        return failure('unavailable', ordersUnavailableIn(tr));
      }
      logger.error({ err: String(err) }, 'report_missing_delivery: could not draft the ticket');
      return failure('unavailable', ticketsUnavailableIn(tr));
    }
  };
}
