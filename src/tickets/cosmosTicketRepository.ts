import type { SqlQuerySpec } from '@azure/cosmos';
import { type ManagedContainer, statusCodeOf, toStorageError } from '../storage/cosmosOperation';
import { type CreatedTicket, isCreated, type TicketDocument } from './ticket';
import type { StoredTicket, TicketListFilter, TicketRepository } from './ticketRepository';
import { TicketNumberCounter } from './ticketNumberCounter';

type CosmosTicket = TicketDocument & { _etag?: string };

/**
 * Tickets in the Cosmos container `tickets` (partition /pk), every request through the
 * ManagedContainer: its deadline, RU reporting and typed storage errors.
 */
export class CosmosTicketRepository implements TicketRepository {
  private readonly counter: TicketNumberCounter;

  constructor(private readonly tickets: ManagedContainer) {
    this.counter = new TicketNumberCounter(tickets);
  }

  async create(doc: TicketDocument): Promise<'created' | 'exists'> {
    try {
      await this.tickets.run(
        'create',
        (abortSignal) => this.tickets.container.items.create<TicketDocument>(doc, { abortSignal }),
        true,
      );
      return 'created';
    } catch (err) {
      if (statusCodeOf(err) === 409) return 'exists';
      throw toStorageError(err, this.tickets.name, 'create');
    }
  }

  async read(id: string, pk: string): Promise<StoredTicket | undefined> {
    try {
      const { resource } = await this.tickets.run('read', (abortSignal) =>
        this.tickets.container.item(id, pk).read<CosmosTicket>({ abortSignal }),
      );
      return resource ? stored(resource) : undefined;
    } catch (err) {
      if (statusCodeOf(err) === 404) return undefined;
      throw toStorageError(err, this.tickets.name, 'read');
    }
  }

  async replaceIfUnchanged(current: StoredTicket, next: TicketDocument): Promise<boolean> {
    try {
      await this.tickets.run('replace', (abortSignal) =>
        this.tickets.container.item(current.doc.id, current.doc.pk).replace<TicketDocument>(next, {
          accessCondition: { type: 'IfMatch', condition: current.version },
          abortSignal,
        }),
      );
      return true;
    } catch (err) {
      // 412: changed meanwhile; 404: deleted (an expired draft) — either way not "unchanged".
      const status = statusCodeOf(err);
      if (status === 412 || status === 404) return false;
      throw toStorageError(err, this.tickets.name, 'replace');
    }
  }

  async replace(next: TicketDocument): Promise<void> {
    try {
      await this.tickets.run('replace', (abortSignal) =>
        this.tickets.container.item(next.id, next.pk).replace<TicketDocument>(next, { abortSignal }),
      );
    } catch (err) {
      throw toStorageError(err, this.tickets.name, 'replace');
    }
  }

  async findCreated(ticketId: string, owner?: string): Promise<StoredTicket<CreatedTicket> | undefined> {
    const found = await this.query('findCreated', {
      query:
        owner === undefined
          ? 'SELECT * FROM c WHERE c.type = "ticket" AND c.ticketId = @tid'
          : 'SELECT * FROM c WHERE c.type = "ticket" AND c.ticketId = @tid AND c.pk = @owner',
      parameters: [
        { name: '@tid', value: ticketId },
        ...(owner === undefined ? [] : [{ name: '@owner', value: owner }]),
      ],
    });
    const hit = found.find(isCreated);
    return hit ? (stored(hit) as StoredTicket<CreatedTicket>) : undefined;
  }

  async confirmedSince(since: string): Promise<CreatedTicket[]> {
    const found = await this.query('confirmedSince', {
      query: 'SELECT * FROM c WHERE c.type = "ticket" AND IS_DEFINED(c.ticketId) AND c.confirmedAt >= @since',
      parameters: [{ name: '@since', value: since }],
    });
    return found.filter(isCreated).map(withoutSystemFields);
  }

  async updatedSince(since: string): Promise<CreatedTicket[]> {
    const found = await this.query('updatedSince', {
      query: 'SELECT * FROM c WHERE c.type = "ticket" AND IS_DEFINED(c.updates) AND c.updatedAt >= @since',
      parameters: [{ name: '@since', value: since }],
    });
    return found.filter(isCreated).map(withoutSystemFields);
  }

  async listCreated(filter: TicketListFilter): Promise<CreatedTicket[]> {
    const where = ['c.type = "ticket"', 'IS_DEFINED(c.ticketId)'];
    const parameters: { name: string; value: string | string[] | number }[] = [];
    if (filter.owner !== undefined) {
      where.push('c.pk = @owner');
      parameters.push({ name: '@owner', value: filter.owner });
    }
    if (filter.statuses) {
      where.push('ARRAY_CONTAINS(@statuses, c.status)');
      parameters.push({ name: '@statuses', value: [...filter.statuses] });
    }
    if (filter.assignee !== undefined) {
      where.push('c.assignee.aadObjectId = @assignee');
      parameters.push({ name: '@assignee', value: filter.assignee });
    }
    // Unassigning removes the field (never null), so "not defined" is the whole test.
    if (filter.unassigned) where.push('NOT IS_DEFINED(c.assignee)');
    // TOP + ORDER BY in the query: the queue spans every requester's partition, so only `limit`
    // tickets come back, never the whole history (a single-property ORDER BY uses the default index).
    const found = await this.query('listCreated', {
      query: `SELECT TOP @limit * FROM c WHERE ${where.join(' AND ')} ORDER BY c.confirmedAt DESC`,
      parameters: [...parameters, { name: '@limit', value: Math.max(0, filter.limit) }],
    });
    return found.filter(isCreated).map(withoutSystemFields);
  }

  async drafts(requester: string, conversationId: string): Promise<StoredTicket[]> {
    const found = await this.query('drafts', {
      query:
        'SELECT * FROM c WHERE c.pk = @pk AND c.type = "ticket" AND c.status = "draft" AND c.conversationId = @cid',
      parameters: [
        { name: '@pk', value: requester },
        { name: '@cid', value: conversationId },
      ],
    });
    return found.map(stored);
  }

  async handoffs(requester: string, conversationId: string): Promise<TicketDocument[]> {
    const found = await this.query('handoffs', {
      query:
        'SELECT * FROM c WHERE c.pk = @pk AND c.type = "ticket" AND c.category = "handoff" AND c.conversationId = @cid',
      parameters: [
        { name: '@pk', value: requester },
        { name: '@cid', value: conversationId },
      ],
    });
    return found.map(withoutSystemFields);
  }

  nextTicketNumber(): Promise<number> {
    return this.counter.next();
  }

  private async query(operation: string, spec: SqlQuerySpec): Promise<CosmosTicket[]> {
    try {
      const { resources } = await this.tickets.run(
        operation,
        (abortSignal) => this.tickets.container.items.query<CosmosTicket>(spec, { abortSignal }).fetchAll(),
        true,
      );
      return resources;
    } catch (err) {
      throw toStorageError(err, this.tickets.name, operation);
    }
  }
}

function stored(resource: CosmosTicket): StoredTicket {
  return { doc: withoutSystemFields(resource), version: resource._etag ?? '' };
}

/** Drops Cosmos system properties (`_etag`, `_ts`, …) so documents can be re-written and returned cleanly. */
function withoutSystemFields<T extends object>(doc: T): T {
  const out = { ...doc } as Record<string, unknown>;
  for (const key of Object.keys(out)) if (key.startsWith('_')) delete out[key];
  return out as T;
}
