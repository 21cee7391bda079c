import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { type Order, orderSchema } from './order';
import { projectRoot } from '../projectRoot';

export const SAMPLE_ORDERS_PATH = path.join(projectRoot(), 'data', 'sample', 'orders.json');

/**
 * The day the sample orders are written as of ("today" inside data/sample/orders.json). Seeding
 * moves every date by whole days so that this day becomes the real today: ORD-10422 was ordered
 * "today" and is still processing, ORD-10388 was delivered 14 days ago (inside the return window).
 */
export const SAMPLE_ORDERS_AS_OF = '2025-03-10';

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_FIELDS = ['orderedAt', 'shippedAt', 'deliveredAt', 'estimatedDelivery'] as const;

/** Reads and validates a JSON array of orders (throws with the offending index on bad data). */
export async function loadOrdersFile(file = SAMPLE_ORDERS_PATH): Promise<Order[]> {
  const raw: unknown = JSON.parse(await readFile(file, 'utf8'));
  const parsed = z.array(orderSchema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid orders file ${file}: ${issue?.path.join('.')} ${issue?.message}`);
  }
  return parsed.data;
}

/** The orders with every date moved by the whole days between `asOf` and `today` (UTC days). */
export function datedRelativeTo(orders: Order[], today: Date, asOf = SAMPLE_ORDERS_AS_OF): Order[] {
  const shiftMs =
    Math.floor(today.getTime() / DAY_MS) * DAY_MS - Math.floor(Date.parse(asOf) / DAY_MS) * DAY_MS;
  return orders.map((order) => {
    const moved: Order = { ...order };
    for (const field of DATE_FIELDS) {
      const value = order[field];
      if (!value) continue;
      const shifted = new Date(Date.parse(value) + shiftMs).toISOString();
      // Date-only fields ("2025-03-06") stay date-only; timestamps keep their form.
      moved[field] = /^\d{4}-\d{2}-\d{2}$/.test(value) ? shifted.slice(0, 10) : shifted.replace('.000Z', 'Z');
    }
    return moved;
  });
}

/**
 * Embedded mode: stores the sample orders, dated relative to `today`, so the bot has data to show.
 * Orders already stored are left as they are (their dates and any change a user made survive a
 * restart); seeding twice adds nothing.
 */
export async function seedOrders(
  container: Container,
  file = SAMPLE_ORDERS_PATH,
  today = new Date(),
): Promise<number> {
  const orders = datedRelativeTo(await loadOrdersFile(file), today);
  let created = 0;
  for (const order of orders) {
    try {
      await container.items.create(order);
      created++;
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
    }
  }
  return created;
}
