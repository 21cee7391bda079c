import { createHmac, timingSafeEqual } from 'node:crypto';
import { logger } from '../observability/logger';
import type { Order } from '../orders/order';
import { OrdersUnavailableError } from '../orders/order';
import type { ActionDeps } from './deps';
import { english, type Translator } from '../text/i18n';
import { orderNotFound, ordersUnavailableIn, translatorFor } from './messages';
import { parseToolArgs } from './schemas';
import { type ActionContext, type ActionHandler, failure } from './types';

/** The signed reference a confirmation card carries back in its Action.Execute data. */
export type CancelCardData = { orderId: string; requester: string; reason?: string; sig: string };

/** cancel_order's data when the order can be cancelled: what the confirmation card shows and sends back. */
export type CancelOffer = { order: Order; ref: CancelCardData };

/**
 * Tamper evidence for cancel-order confirmation cards: HMAC-SHA256 over the order id, the
 * requester and the reason, so a card edited to name another order or person is refused.
 */
export class CancelCardSigner {
  constructor(private readonly secret: string) {
    if (typeof secret !== 'string' || secret.length < 16) {
      throw new Error('The card signing secret must be at least 16 characters');
    }
  }

  sign(orderId: string, requester: string, reason: string | undefined): string {
    return createHmac('sha256', this.secret)
      .update(JSON.stringify(['order-cancel:v1', orderId, requester, reason ?? '']))
      .digest('hex');
  }

  verify(data: Omit<CancelCardData, 'sig'> & { sig: string }): boolean {
    const expected = Buffer.from(this.sign(data.orderId, data.requester, data.reason), 'hex');
    const given = /^[0-9a-f]{64}$/i.test(data.sig) ? Buffer.from(data.sig, 'hex') : Buffer.alloc(0);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

export const cancelReplies = {
  /** Shipped, delivered or returned: not cancellable, with the return offer where one applies. */
  notCancellable: (order: Order, tr: Translator = english) =>
    tr.t('cancel.notCancellable', {
      orderId: order.id,
      status: order.status,
      rmaId: order.returnRmaId ?? '',
      offer:
        order.status === 'returned' || order.status === 'return_requested'
          ? 'none'
          : order.status === 'delivered'
            ? 'now'
            : 'later',
    }),
  alreadyCancelled: (orderId: string, tr: Translator = english) =>
    tr.t('cancel.alreadyCancelled', { orderId }),
  confirm: (orderId: string, tr: Translator = english) => tr.t('cancel.confirm', { orderId }),
  notRequester: english.t('cancel.notRequester'),
  invalidCard: english.t('cards.invalid'),
  forbidden: english.t('cancel.forbidden'),
};

const viewerFor = (deps: Pick<ActionDeps, 'rbac'>, ctx: ActionContext) => ({
  aadObjectId: ctx.user.aadObjectId,
  canViewAll: deps.rbac.hasPermission(ctx.roles, 'orders.cancel.any'),
});

/**
 * cancel_order(orderId, reason?): checks ownership (support agents: any order) and state, then
 * shows a signed confirmation card. The requester's Confirm click (order.cancelConfirm) cancels.
 */
export function createCancelOrder(deps: Pick<ActionDeps, 'orders' | 'rbac' | 'cardSigner'>): ActionHandler {
  return async (ctx, rawArgs) => {
    const args = parseToolArgs('cancel_order', rawArgs);
    if (!args.ok) return failure('invalid_arguments', args.error);
    const { orderId, reason } = args.value;
    const tr = translatorFor(ctx);
    try {
      const order = await deps.orders.get(orderId, viewerFor(deps, ctx));
      if (!order) return failure('not_found', orderNotFound(orderId, tr));
      if (order.status === 'cancelled')
        return {
          ok: true,
          summary: cancelReplies.alreadyCancelled(order.id, tr),
          data: { status: order.status },
        };
      if (order.status !== 'processing')
        return {
          ok: true,
          summary: cancelReplies.notCancellable(order, tr),
          data: { status: order.status, cancellable: false },
        };
      const requester = ctx.user.aadObjectId;
      const data: CancelCardData = {
        orderId: order.id,
        requester,
        ...(reason ? { reason } : {}),
        sig: deps.cardSigner.sign(order.id, requester, reason),
      };
      return {
        ok: true,
        summary: cancelReplies.confirm(order.id, tr),
        data: { orderId: order.id, status: order.status, cancellable: true, offer: { order, ref: data } },
      };
    } catch (err) {
      if (err instanceof OrdersUnavailableError) {
        logger.warn({ reason: err.message }, 'cancel_order: backend unavailable');
        return failure('unavailable', ordersUnavailableIn(tr));
      }
      throw err;
    }
  };
}

/** What a Confirm / Keep click did (the Teams layer shows the matching card). */
type CancelCardOutcome =
  | { ok: true; kind: 'kept'; orderId: string }
  | { ok: true; kind: 'cancelled'; order: Order }
  | { ok: false; code: string; error: string };

/**
 * The Confirm / Keep-order clicks. Refused without a change: bad signature, a click by anyone but
 * the requester, a caller without the tool. Confirm is idempotent: a repeat (or Teams retrying the
 * invoke) finds the order already cancelled and shows the same cancelled card.
 */
export async function handleCancelCard(
  deps: Pick<ActionDeps, 'orders' | 'rbac' | 'cardSigner'>,
  ctx: ActionContext,
  verb: 'confirm' | 'keep',
  data: CancelCardData,
): Promise<CancelCardOutcome> {
  const refuse = (code: string, error: string): CancelCardOutcome => ({ ok: false, code, error });
  if (!deps.cardSigner.verify(data)) return refuse('invalid_arguments', cancelReplies.invalidCard);
  if (data.requester !== ctx.user.aadObjectId) return refuse('forbidden', cancelReplies.notRequester);
  if (!deps.rbac.canCall(ctx.roles, 'cancel_order')) return refuse('forbidden', cancelReplies.forbidden);
  if (verb === 'keep') return { ok: true, kind: 'kept', orderId: data.orderId };
  try {
    const result = await deps.orders.cancel(data.orderId, viewerFor(deps, ctx), { reason: data.reason });
    if (!result.ok) {
      return result.code === 'not_found'
        ? refuse('not_found', orderNotFound(data.orderId, translatorFor(ctx)))
        : refuse('not_cancellable', cancelReplies.notCancellable(result.order, translatorFor(ctx)));
    }
    if (result.changed) logger.info({ orderId: result.order.id }, 'order cancelled');
    return { ok: true, kind: 'cancelled', order: result.order };
  } catch (err) {
    if (err instanceof OrdersUnavailableError)
      return refuse('unavailable', ordersUnavailableIn(translatorFor(ctx)));
    throw err;
  }
}
