import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { type Order, orderSchema } from './order';
import { projectRoot } from '../projectRoot';

export const SAMPLE_ORDERS_PATH = path.join(projectRoot(), 'data', 'sample', 'orders.json');

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

/** Embedded mode: upserts the sample orders so the bot has data to show. Idempotent. */
export async function seedOrders(container: Container, file = SAMPLE_ORDERS_PATH): Promise<number> {
  const orders = await loadOrdersFile(file);
  for (const order of orders) await container.items.upsert(order);
  return orders.length;
}
