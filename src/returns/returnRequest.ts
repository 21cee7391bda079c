/** How a return is refunded. Only the original payment method for now (the returns policy). */
type RefundMethod = 'original_payment_method';

/** One returned line: which item of the order and how many of it. */
export type ReturnItem = { sku: string; name: string; quantity: number; price: number };

/**
 * A return request (RMA), one Cosmos document in container `returns` (partition /pk = the order
 * owner's aadObjectId, so a customer's returns share a partition with nothing else). `id` is the
 * RMA id; there is at most one per order, because the order itself carries it (returnRmaId).
 */
export type ReturnRequestDocument = {
  id: string;
  pk: string;
  type: 'return';
  rmaId: string;
  orderId: string;
  ownerAadObjectId: string;
  status: 'requested';
  items: ReturnItem[];
  reason: string;
  refundMethod: RefundMethod;
  refundAmount: number;
  currency: string;
  /** Who confirmed it: the owner, or a support agent acting for them. */
  requestedBy: { aadObjectId: string; name?: string; tenantId?: string };
  conversationId: string;
  requestedAt: string;
  /** The return ticket (category `return`) support works from. */
  ticketId?: string;
};

export function formatRmaId(n: number): string {
  return `RMA-${String(n).padStart(6, '0')}`;
}
