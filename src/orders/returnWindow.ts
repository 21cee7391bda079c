import { NO_RETURN_RULES, type ReturnRules } from '../returns/returnRules';
import type { Order, ReturnBlocker } from './order';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The day an order counts as delivered: deliveredAt, else (older data) its estimated delivery. */
export function deliveryDate(order: Order): Date | undefined {
  const raw = order.deliveredAt ?? order.estimatedDelivery;
  const t = raw ? Date.parse(raw) : NaN;
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** Which rule of the returns policy sets an order's deadline. */
export type ReturnWindow =
  | { basis: 'standard'; deadline: Date; windowDays: number }
  | { basis: 'member'; deadline: Date; windowDays: number; programme: string }
  | { basis: 'holiday'; deadline: Date; windowDays: number; season: string; until: string };

const monthDayOf = (d: Date) => d.toISOString().slice(5, 10);

/**
 * The holiday rule's deadline for an order bought inside the season (month-days compared in UTC;
 * a season crossing the new year is allowed): the end of `returnUntil` in the year after the
 * season's start.
 */
function holidayDeadline(order: Order, rules: ReturnRules): Date | undefined {
  const season = rules.holidaySeason;
  const ordered = Date.parse(order.orderedAt);
  if (!season || Number.isNaN(ordered)) return undefined;
  const day = monthDayOf(new Date(ordered));
  const wraps = season.purchasedFrom > season.purchasedTo;
  const inside = wraps
    ? day >= season.purchasedFrom || day <= season.purchasedTo
    : day >= season.purchasedFrom && day <= season.purchasedTo;
  if (!inside) return undefined;
  const year = new Date(ordered).getUTCFullYear();
  const seasonStartYear = wraps && day <= season.purchasedTo ? year - 1 : year;
  const untilYear = season.returnUntil > season.purchasedFrom ? seasonStartYear : seasonStartYear + 1;
  // The whole last day counts.
  return new Date(Date.parse(`${untilYear}-${season.returnUntil}T00:00:00Z`) + DAY_MS - 1);
}

/**
 * The window that applies to `order`: delivery + windowDays (or the membership programme's days),
 * extended to the holiday deadline when the order was bought in the holiday season; the latest wins.
 */
export function returnWindow(
  order: Order,
  windowDays: number,
  rules: ReturnRules = NO_RETURN_RULES,
): ReturnWindow | undefined {
  const delivered = deliveryDate(order);
  if (!delivered) return undefined;
  const member = order.membership
    ? rules.memberWindows.find((m) => m.membership === order.membership)
    : undefined;
  const days = member && member.windowDays > windowDays ? member.windowDays : windowDays;
  const byDays = new Date(delivered.getTime() + days * DAY_MS);
  let best: ReturnWindow =
    member && days === member.windowDays && days !== windowDays
      ? { basis: 'member', deadline: byDays, windowDays: days, programme: member.name }
      : { basis: 'standard', deadline: byDays, windowDays: days };
  const holiday = holidayDeadline(order, rules);
  if (holiday && holiday.getTime() > best.deadline.getTime() && rules.holidaySeason)
    best = {
      basis: 'holiday',
      deadline: holiday,
      windowDays: days,
      season: rules.holidaySeason.name,
      until: holiday.toISOString().slice(0, 10),
    };
  return best;
}

/** The last moment a return is accepted (see returnWindow). */
export function returnDeadline(
  order: Order,
  windowDays: number,
  rules: ReturnRules = NO_RETURN_RULES,
): Date | undefined {
  return returnWindow(order, windowDays, rules)?.deadline;
}

/**
 * Why `order` cannot be returned now, or undefined when it can: only delivered orders, within
 * their return window (returnWindow: the standard `windowDays` from delivery, a membership
 * programme's window, or the holiday season's deadline). An order whose return was already
 * requested is not blocked here; callers treat it as "already requested".
 */
export function returnBlocker(
  order: Order,
  windowDays: number,
  now = new Date(),
  rules: ReturnRules = NO_RETURN_RULES,
): ReturnBlocker | undefined {
  switch (order.status) {
    case 'return_requested':
      return undefined;
    case 'returned':
      return 'returned';
    case 'cancelled':
      return 'cancelled';
    case 'delivered': {
      const deadline = returnDeadline(order, windowDays, rules);
      return deadline && now.getTime() <= deadline.getTime() ? undefined : 'outside_window';
    }
    default:
      return 'not_delivered';
  }
}
