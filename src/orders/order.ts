import { z } from 'zod';
import { AppError } from '../errors';
import type { ReturnRules } from '../returns/returnRules';

/** Order ids look like ORD-10421 (prefix + at least five digits). */
export const ORDER_ID_PATTERN = /^ORD-\d{5,10}$/;

const orderStatusSchema = z.enum([
  'processing',
  'shipped',
  'out_for_delivery',
  'delivered',
  'cancelled',
  'return_requested',
  'returned',
]);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

const orderItemSchema = z.object({
  sku: z.string().min(1),
  name: z.string().min(1),
  quantity: z.number().int().positive(),
  price: z.number().nonnegative(),
  /** Product category, matched against the returns policy's non-returnable list (config/returns-policy.json). */
  category: z.string().min(1).optional(),
  /** The line was opened or activated (e.g. a revealed licence key): some categories are then not returnable. */
  opened: z.boolean().optional(),
});

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date');

/** The order shape shared by every backend (Cosmos document and REST response body). */
export const orderSchema = z.object({
  id: z.string().regex(ORDER_ID_PATTERN),
  ownerAadObjectId: z.string().min(1),
  customerName: z.string().optional(),
  status: orderStatusSchema,
  currency: z.string().length(3).default('EUR'),
  items: z.array(orderItemSchema),
  orderedAt: isoDate,
  shippedAt: isoDate.optional(),
  deliveredAt: isoDate.optional(),
  estimatedDelivery: isoDate.optional(),
  /** The membership programme the order was placed under (e.g. contoso_plus): its return window applies. */
  membership: z.string().min(1).optional(),
  carrier: z.string().optional(),
  trackingUrl: z.string().url().optional(),
  cancelledAt: isoDate.optional(),
  cancelReason: z.string().max(500).optional(),
  /** Set by start_return's confirm (status return_requested): the return request's RMA id. */
  returnRmaId: z
    .string()
    .regex(/^RMA-\d{6,}$/)
    .optional(),
  returnRequestedAt: isoDate.optional(),
});
export type Order = z.infer<typeof orderSchema>;

/** Whose orders the caller may see: their own, or any when they hold the support-agent permission. */
export type OrderViewer = { aadObjectId: string; canViewAll: boolean };

/**
 * The seam every order backend implements (Cosmos, REST). `get` returns undefined both for an
 * unknown order and for someone else's order, so callers cannot leak which orders exist.
 */
export interface OrderService {
  get(orderId: string, viewer: OrderViewer): Promise<Order | undefined>;
  listForOwner(aadObjectId: string): Promise<Order[]>;
  /**
   * Cancels an order the viewer may see when it is still `processing`. Idempotent: an order that
   * is already cancelled is returned unchanged (`changed: false`). Foreign and unknown orders are
   * both `not_found`; a shipped or later order is `not_cancellable` (with the order, for the reply).
   */
  cancel(orderId: string, viewer: OrderViewer, request: CancelRequest): Promise<CancelResult>;
  /**
   * Marks a delivered order, inside the return window, as `return_requested` with the RMA id that
   * `request.allocateRmaId` hands out (called only when the order is eligible and not yet marked).
   * Idempotent: an order already marked is returned unchanged (`changed: false`) with its own RMA id.
   * Foreign and unknown orders are both `not_found`; others are `not_returnable` with the reason.
   */
  requestReturn(orderId: string, viewer: OrderViewer, request: ReturnMarkRequest): Promise<ReturnMarkResult>;
}

export type ReturnMarkRequest = {
  allocateRmaId: () => Promise<string>;
  windowDays: number;
  /** The returns policy's exceptions (holiday season, member windows); none when omitted. */
  rules?: ReturnRules;
  now?: Date;
};
export type ReturnMarkResult =
  | { ok: true; order: Order & { returnRmaId: string }; changed: boolean }
  | { ok: false; code: 'not_found' }
  | { ok: false; code: 'not_returnable'; order: Order; why: ReturnBlocker };

/** Why an order cannot be returned (see returnBlocker in ./returnWindow). */
export type ReturnBlocker = 'not_delivered' | 'outside_window' | 'returned' | 'cancelled';

/** Only orders that have not left the warehouse can be cancelled. */
export const CANCELLABLE_STATUSES: readonly OrderStatus[] = ['processing'];

export type CancelRequest = { reason?: string; at?: string };
export type CancelResult =
  | { ok: true; order: Order; changed: boolean }
  | { ok: false; code: 'not_found' }
  | { ok: false; code: 'not_cancellable'; order: Order };

/** The backend could not answer (network, timeout, 5xx, malformed data). */
export class OrdersUnavailableError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ORDERS_UNAVAILABLE', message, options);
  }
}

export function orderTotal(order: Order): number {
  return order.items.reduce((sum, item) => sum + item.quantity * item.price, 0);
}
