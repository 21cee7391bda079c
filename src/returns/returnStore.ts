import type { Container } from '@azure/cosmos';
import { isConflict, isNotFound } from '../tickets/cosmosErrors';
import { manageContainer } from '../storage/cosmosOperation';
import { TicketNumberCounter } from '../tickets/ticketNumberCounter';
import { formatRmaId, type ReturnRequestDocument } from './returnRequest';

/**
 * Return requests in the Cosmos container `returns`. RMA numbers come from a counter document in
 * the same container (the ticket counter's ETag-checked increment), so they survive restarts —
 * in embedded mode the container lives in EMBEDDED_DATA_DIR — and never repeat across instances.
 */
export class ReturnStore {
  private readonly counter: TicketNumberCounter;

  constructor(private readonly container: Container) {
    this.counter = new TicketNumberCounter(manageContainer(container), { id: 'rma-number', pk: 'counters' });
  }

  async nextRmaId(): Promise<string> {
    return formatRmaId(await this.counter.next());
  }

  async get(rmaId: string, ownerAadObjectId: string): Promise<ReturnRequestDocument | undefined> {
    try {
      const { resource } = await this.container.item(rmaId, ownerAadObjectId).read<ReturnRequestDocument>();
      return resource ? strip(resource) : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Creates the request unless one with its RMA id exists; either way returns the stored one. */
  async ensure(doc: ReturnRequestDocument): Promise<ReturnRequestDocument> {
    const existing = await this.get(doc.id, doc.pk);
    if (existing) return existing;
    try {
      await this.container.items.create(doc);
      return doc;
    } catch (err) {
      if (!isConflict(err)) throw err;
      const winner = await this.get(doc.id, doc.pk);
      if (!winner) throw err;
      return winner;
    }
  }

  /** Records the return ticket's id once (a repeat with the id already set writes nothing). */
  async linkTicket(doc: ReturnRequestDocument, ticketId: string): Promise<ReturnRequestDocument> {
    if (doc.ticketId) return doc;
    const next = { ...doc, ticketId };
    await this.container.item(doc.id, doc.pk).replace(next);
    return next;
  }

  async listForOrder(orderId: string): Promise<ReturnRequestDocument[]> {
    const { resources } = await this.container.items
      .query<ReturnRequestDocument>({
        query: "SELECT * FROM c WHERE c.type = 'return' AND c.orderId = @order",
        parameters: [{ name: '@order', value: orderId }],
      })
      .fetchAll();
    return resources.map(strip);
  }
}

function strip<T extends object>(doc: T): T {
  const out = { ...doc } as Record<string, unknown>;
  for (const key of Object.keys(out)) if (key.startsWith('_')) delete out[key];
  return out as T;
}
