import { CANCELLABLE_STATUSES, type OrderStatus } from '../orders/order';
import type { Translator } from '../text/i18n';
import type { OrderLike } from './dialogue';

/**
 * Questions about the user's own orders that the order data answers, not the documents or a flow:
 * "what's the status of my refund?" (the user's returns, then when refunds arrive), "how much did I
 * pay for that?" (the order just shown), "track the keyboard" (the order with the keyboard). Pure
 * functions over text and over orders the caller already limited to the requesting user's own.
 */

/** An order as these answers read it: what the order backends return (src/orders/order.ts). */
export interface OwnOrder extends OrderLike {
  currency?: string;
  items: { name: string; quantity?: number; price?: number }[];
  returnRmaId?: string;
  returnRequestedAt?: string;
  deliveredAt?: string;
  cancelledAt?: string;
}

/**
 * The user asks about their own refund ("what's the status of my refund", "has my refund come
 * through?", "when do I get my money back?", 我的退款到哪了), not what the rule is ("how long do
 * refunds take?") nor for a new one ("I want my money back for ORD-…", "refund ORD-…").
 */
const OWN_REFUND_EN = new RegExp(
  [
    // "status of my refund", "any update on the refund", "refund status"
    String.raw`\b(?:status|progress|update|news|word|happening|going on)\b.{0,25}\b(?:my|the|our)\s+(?:refund|reimbursement|money)\b`,
    String.raw`\b(?:my\s+)?refund\s+(?:status|progress|update)\b`,
    // "where is my refund", "where's my money"
    String.raw`\bwhere(?:'?s| is| are)\s+(?:my|the|our)\s+(?:refund|reimbursement|money)\b`,
    // "has my refund come through", "is my refund on its way", "did the refund go through"
    String.raw`\b(?:has|have|is|did|was)\s+(?:my|the|our)\s+(?:refund|reimbursement|money)\b`,
    // "when do I get my money back", "when will I see my refund", "when will my refund arrive"
    String.raw`\bwhen\b.{0,30}\b(?:get|see|receive|have|getting)\s+(?:my|the|our)?\s*(?:money back|refund|reimbursement)\b`,
    String.raw`\bwhen\b.{0,20}\b(?:my|the)\s+(?:refund|money)\b.{0,20}\b(?:arrive|come|show|appear|land|be (?:back|paid|issued|processed))`,
    // "my refund is late", "my money still hasn't come"
    String.raw`\b(?:my|the|our)\s+(?:refund|money)\s+(?:is|was|has|hasn't|has not|still|never|didn't|did not|isn't)\b`,
    // "still waiting for my refund", "haven't got my money back", "did you refund me"
    String.raw`\bstill (?:waiting|no sign)\b.{0,12}\b(?:refund|money)\b`,
    String.raw`\b(?:have ?n[o']?t|did ?n[o']?t|never|not yet)\s+(?:got(?:ten)?|get|received?|seen|see)\s+(?:my|the|a|any)\s+(?:refund|money back)\b`,
    String.raw`\b(?:did|have|has)\s+(?:you|u|anyone)\s+(?:refund(?:ed)?|sen[td] (?:back )?)\s*(?:me|my money)\b`,
    // "what about my refund?", "will I be refunded?", "…the order I cancelled, do I get a refund"
    String.raw`\b(?:what|how)\s+about\s+(?:my|the|our)\s+(?:refund|money)\b`,
    String.raw`\bwill\s+(?:i|we)\s+(?:be\s+refunded|get\s+(?:my\s+money\s+back|a\s+refund|refunded))\b`,
    String.raw`\bcancel+ed\b.{0,40}\b(?:refund|money back)\b|\b(?:refund|money back)\b.{0,40}\b(?:i|we)\s+(?:just\s+)?cancel+ed\b`,
  ].join('|'),
  'i',
);
const OWN_REFUND_ZH =
  /退款.{0,6}(?:到哪|进度|状态|怎么样|什么时候|多久|到[账帐]|还没|没到|没收到|处理)|钱(?:什么时候|多久).{0,4}(?:退|回来|到[账帐])|(?:没|还没)(?:收到|到)(?:退款|钱)|已经退款|退款了(?:吗|没)|退了(?:吗|没)/;
/** A rule asked with a condition or a payment method ("if it is broken", "with PayPal"): the documents. */
const RULE_QUESTION =
  /\b(?:if|policy|rules?|usually|normally|in general|generally|paypal|gift ?card|credit card|card)\b|如果|政策|规定|一般/i;

export function asksAboutOwnRefund(text: string): boolean {
  const t = text.replace(/[’‘]/g, "'").trim();
  if (t.length > 160 || RULE_QUESTION.test(t)) return false;
  return OWN_REFUND_EN.test(t) || OWN_REFUND_ZH.test(t);
}

/** The orders whose refund is under way or done, newest first (only `orderId` when one is named). */
export function ordersWithReturns<T extends OwnOrder>(orders: readonly T[], orderId?: string): T[] {
  return orders
    .filter((o) => o.status === 'return_requested' || o.status === 'returned')
    .filter((o) => !orderId || o.id === orderId)
    .sort(
      (a, b) =>
        Date.parse(b.returnRequestedAt ?? b.orderedAt) - Date.parse(a.returnRequestedAt ?? a.orderedAt),
    );
}

/** One sentence per return: requested (waiting for the parcel and its check) or returned. */
export function returnStateLines(orders: readonly OwnOrder[], tr: Translator): string[] {
  return orders.slice(0, 4).map((o) => {
    const items = tr.list(o.items.map((i) => i.name));
    if (o.status === 'returned') return tr.t('refund.returned', { orderId: o.id, items });
    return tr.t('refund.requested', {
      orderId: o.id,
      items,
      rmaId: o.returnRmaId ?? '',
      day: tr.date(o.returnRequestedAt) ?? '',
    });
  });
}

/** How long after its cancellation an order still counts for "what about my refund?" without its number. */
const RECENT_CANCELLATION_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * The cancelled orders a refund question may be about: the one named, else those cancelled in the
 * last 30 days, newest first. A cancelled order was never charged (the cancel card says so).
 */
export function cancelledOrders<T extends OwnOrder>(
  orders: readonly T[],
  orderId?: string,
  now = Date.now(),
): T[] {
  return orders
    .filter((o) => o.status === 'cancelled')
    .filter((o) =>
      orderId ? o.id === orderId : now - Date.parse(o.cancelledAt ?? o.orderedAt) <= RECENT_CANCELLATION_MS,
    )
    .sort((a, b) => Date.parse(b.cancelledAt ?? b.orderedAt) - Date.parse(a.cancelledAt ?? a.orderedAt));
}

/** One sentence per cancelled order: nothing was charged, so nothing comes back. */
export function cancelledRefundLines(orders: readonly OwnOrder[], tr: Translator): string[] {
  return orders.slice(0, 3).map((o) =>
    tr.t('refund.cancelled', {
      orderId: o.id,
      items: tr.list(o.items.map((i) => i.name)),
      day: tr.date(o.cancelledAt ?? o.orderedAt) ?? '',
    }),
  );
}

/** The documents' question for when refunds arrive, in the turn's language. */
export function refundTimingQuestion(language: Translator['language']): string {
  return language === 'zh-CN' ? '退款多久能到账?' : 'When do refunds arrive after a return?';
}

/**
 * "how much did I pay for that?", "what was the total of ORD-10421?", "how much was the keyboard",
 * 这个订单多少钱: what an order cost. Not prices of shipping, duties or fees, nor an employee's
 * stipend or allowance ("how much is the home office stipend?"): the documents answer those.
 */
const PAID_EN =
  /\bhow much\b.{0,40}\b(?:pay|paid|cost|costs|spend|spent|charged?|was|were|is|did)\b|\bwhat\b.{0,25}\b(?:total|price|cost|amount)\b|\b(?:total|price|amount)\s+(?:of|for|on)\s+(?:my|that|this|the|it|ORD-)/i;
const PAID_ZH = /多少钱|花了多少|付了多少|总价|总额|总共多少|一共多少|价格是多少/;
const NOT_ORDER_PRICE =
  /\b(?:shipping|delivery|postage|express|next-day|duties|duty|customs|tax(?:es)?|fees?|label|warranty|repair|membership|plus|stipend|allowance|budget|salary|bonus|expenses?|per diem|mileage|reimburse\w*|pension|overtime)\b|运费|关税|税|手续费|补贴|津贴|报销|工资|奖金/i;

export function asksWhatWasPaid(text: string): boolean {
  const t = text.trim();
  return t.length <= 120 && (PAID_EN.test(t) || PAID_ZH.test(t)) && !NOT_ORDER_PRICE.test(t);
}

/** "Order ORD-10421 came to €108.90: 1 × Wireless keyboard (€59.90), 2 × Ergonomic mouse (€49.00)." */
export function paidLine(order: OwnOrder, tr: Translator): string | undefined {
  const currency = order.currency ?? 'EUR';
  const lines = order.items.filter((i) => typeof i.price === 'number');
  if (!lines.length || lines.length !== order.items.length) return undefined;
  const total = lines.reduce((sum, i) => sum + (i.price ?? 0) * (i.quantity ?? 1), 0);
  const priced = lines.map(
    (i) => `${i.quantity ?? 1} × ${i.name} (${tr.money((i.price ?? 0) * (i.quantity ?? 1), currency)})`,
  );
  // "A, B and C" in English (the translator's list says "A and B and C").
  const detail =
    tr.language === 'en' && priced.length > 2
      ? `${priced.slice(0, -1).join(', ')} and ${priced[priced.length - 1]}`
      : tr.list(priced);
  return tr.t('orders.paid', { orderId: order.id, total: tr.money(total, currency), lines: detail });
}

/** "track the keyboard", "where's my mouse?", "follow the headphones": a lookup of the order with it. */
const TRACK_CUE =
  /\b(?:track\w*|trac(?:e|ing)|follow|locate|find)\b|\bwhere(?:'?s| is| are)\b|\b(?:status|progress) of\b|\bany (?:news|update) on\b|\bdelivery date\b|\beta\b|\bwhen\b.{0,30}\b(?:arriv\w*|get here|be here|delivered|be delivered|shipped|dispatched|ship)\b|\bhas\s+(?:my|the)\s+\w+\s+(?:shipped|arrived|left)\b|到哪|物流|快递|什么时候(?:能)?到|到了(?:吗|没)|发货了?(?:吗|没)/i;

export function asksToTrack(text: string): boolean {
  return TRACK_CUE.test(text);
}

/**
 * "is my headset under warranty?", "is it still covered?" (after an order card), 我的耳机还在保修期内吗:
 * the warranty of something the user bought, which starts on its delivery day (the order data) and
 * lasts what the documents say. Not "what is the warranty on laptops?" (no "my", the documents alone).
 */
const OWN_WARRANTY_EN =
  /\b(?:my|it|its|it's|they|this|that|these|those|mine|i (?:bought|got|ordered|purchased))\b.{0,40}\b(?:under|in|within|covered by|covered under|out of|still have)\s+(?:the\s+|a\s+)?(?:warranty|guarantee)\b|\b(?:warranty|guarantee)\b.{0,20}\b(?:on|for|of|cover|covers|still valid for)\s+(?:my|it|this|that|the one)\b|\b(?:warranty|guarantee) (?:still )?(?:valid|run(?:ning)?|left|expire|end)\b.{0,30}\b(?:my|it)\b|\bwhen does (?:my|the|its)\b.{0,30}\b(?:warranty|guarantee) (?:end|expire|run out)/i;
const OWN_WARRANTY_ZH =
  /(?:我的|我买的|这个|它).{0,12}(?:保修|质保)|(?:还在|在不在|过了|还有).{0,4}(?:保修|质保)/;

export function asksAboutOwnWarranty(text: string): boolean {
  const t = text.replace(/[’‘]/g, "'").trim();
  return t.length <= 160 && (OWN_WARRANTY_EN.test(t) || OWN_WARRANTY_ZH.test(t));
}

/** When the warranty of an order's items started: delivered on a day, or not delivered yet. */
export function warrantyStartLine(order: OwnOrder, tr: Translator): string {
  const items = tr.list(order.items.map((i) => i.name));
  const day = order.deliveredAt ? tr.date(order.deliveredAt) : undefined;
  return day
    ? tr.t('warranty.delivered', { orderId: order.id, items, day })
    : tr.t('warranty.notDelivered', { orderId: order.id, items });
}

/** The documents' question for how long the product warranty lasts, in the turn's language. */
export function warrantyTermQuestion(language: Translator['language']): string {
  return language === 'zh-CN'
    ? '产品保修期是多久?'
    : 'How long is the product warranty and when does it start?';
}

/**
 * "can I modify my order?", "i want to edit ORD-10422", "can I add something to my order?",
 * 我想修改订单: a change to what was ordered, which no action makes. Not the delivery address, the
 * shipping method or a payment (the documents answer those), nor a cancellation or a return.
 */
const CHANGE_ORDER_EN =
  /\b(?:change|changing|modify|modifying|edit|editing|amend|alter|update)\s+(?:my|the|this|that|an|our)?\s*(?:[\w"'-]+\s+){0,3}?(?:order|purchase|ORD-\d+)\b|\badd\s+(?:[\w"'-]+\s+){1,4}?to\s+(?:(?:my|the|this|that|an|our)\s+(?:[\w"'-]+\s+){0,3}?order\b|ORD-\d+)|\bremove\s+(?:an? |one |something|the )?.{0,20}\bfrom\s+(?:my|the|this|that)\s+order\b/i;
const CHANGE_ORDER_ZH =
  /(?:修改|更改|改一下|改)(?:我的|这个|那个)?订单|订单.{0,6}(?:修改|更改|改一下|加一个|加一件|删掉)|往订单(?:里)?加/;
const NOT_ORDER_CHANGE =
  /\b(?:address|deliver(?:y|ed)?|shipping|ship to|postcode|zip|payment|pay|card|paypal|cancel(?:l?ing)?|return(?:ing|ed)?|refund|send (?:it )?back|password|ticket)\b|地址|配送|运费|付款|支付|取消|退货|退款/i;

export function asksToChangeOrder(text: string): boolean {
  const t = text.replace(/[’‘]/g, "'").trim();
  return t.length <= 160 && (CHANGE_ORDER_EN.test(t) || CHANGE_ORDER_ZH.test(t)) && !NOT_ORDER_CHANGE.test(t);
}

/**
 * What can be done instead of changing an order, by its state: cancel it and order again while it
 * is being processed; return what is not wanted once it has arrived; nothing when it is closed.
 */
export function changeOrderLine(order: OwnOrder, tr: Translator): string {
  const items = tr.list(order.items.map((i) => i.name));
  if (CANCELLABLE_STATUSES.includes(order.status as OrderStatus))
    return tr.t('change.processing', { orderId: order.id, items });
  if (order.status === 'shipped' || order.status === 'out_for_delivery')
    return tr.t('change.shipped', { orderId: order.id, items });
  if (order.status === 'delivered') return tr.t('change.delivered', { orderId: order.id, items });
  return tr.t('change.closed', {
    orderId: order.id,
    status: tr.t(`orderStatus.${order.status as OrderStatus}`).toLowerCase(),
  });
}

/** The documents' question for changing an order's delivery address, in the turn's language. */
export function addressChangeQuestion(language: Translator['language']): string {
  return language === 'zh-CN'
    ? '可以修改订单的收货地址吗?'
    : 'Can I change the delivery address of my order?';
}

/** "ORD-10422 (27" QHD monitor)". */
export function orderWithItems(order: OwnOrder, tr: Translator): string {
  return `${order.id} (${tr.list(order.items.map((i) => i.name))})`;
}
