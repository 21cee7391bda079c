import { setTimeout as sleep } from 'node:timers/promises';
import type { Container } from '@azure/cosmos';
import { isConflict, isNotFound, isPreconditionFailed } from './cosmosErrors';

type CounterDoc = { id: string; pk: string; type: 'counter'; value: number; _etag?: string };

export function formatTicketId(n: number): string {
  return `TKT-${String(n).padStart(6, '0')}`;
}

/**
 * A monotonically increasing ticket number kept in one Cosmos document, incremented with an
 * optimistic ETag check and retried on conflict. (The embedded server has no transactional
 * batch and no stored procedures, and this works the same on Azure.)
 */
export class TicketNumberCounter {
  constructor(
    private readonly container: Container,
    private readonly options: { id?: string; pk?: string; maxAttempts?: number } = {},
  ) {}

  private get id() {
    return this.options.id ?? 'ticket-number';
  }
  private get pk() {
    return this.options.pk ?? 'counters';
  }

  async next(): Promise<number> {
    const maxAttempts = this.options.maxAttempts ?? 25;
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const current = await this.read();
      try {
        if (!current) {
          await this.container.items.create<CounterDoc>({
            id: this.id,
            pk: this.pk,
            type: 'counter',
            value: 1,
          });
          return 1;
        }
        const value = current.value + 1;
        await this.container
          .item(this.id, this.pk)
          .replace<CounterDoc>(
            { id: this.id, pk: this.pk, type: 'counter', value },
            { accessCondition: { type: 'IfMatch', condition: current._etag ?? '' } },
          );
        return value;
      } catch (err) {
        if (!isConflict(err) && !isPreconditionFailed(err)) throw err;
        // Someone else won this round: back off a little (jittered) and read again.
        await sleep(Math.floor(Math.random() * (5 + attempt * 5)));
      }
    }
    throw new Error('Could not allocate a ticket number: too much contention');
  }

  private async read(): Promise<CounterDoc | undefined> {
    try {
      const { resource } = await this.container.item(this.id, this.pk).read<CounterDoc>();
      return resource ?? undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}
