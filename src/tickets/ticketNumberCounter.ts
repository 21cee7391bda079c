import { setTimeout as sleep } from 'node:timers/promises';
import { type ManagedContainer, statusCodeOf, toStorageError } from '../storage/cosmosOperation';

type CounterDoc = { id: string; pk: string; type: 'counter'; value: number; _etag?: string };

export function formatTicketId(n: number): string {
  return `TKT-${String(n).padStart(6, '0')}`;
}

/**
 * A monotonically increasing number kept in one Cosmos document, incremented with an optimistic
 * ETag check and retried on conflict. (The embedded server has no transactional batch and no
 * stored procedures, and this works the same on Azure.) Every request runs through the
 * ManagedContainer: deadline, RU reporting, typed storage errors.
 */
export class TicketNumberCounter {
  constructor(
    private readonly managed: ManagedContainer,
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
    const item = this.managed.container.item(this.id, this.pk);
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const current = await this.read();
      try {
        if (!current) {
          const doc: CounterDoc = { id: this.id, pk: this.pk, type: 'counter', value: 1 };
          await this.managed.run('counterCreate', (abortSignal) =>
            this.managed.container.items.create<CounterDoc>(doc, { abortSignal }),
          );
          return 1;
        }
        const value = current.value + 1;
        await this.managed.run('counterReplace', (abortSignal) =>
          item.replace<CounterDoc>(
            { id: this.id, pk: this.pk, type: 'counter', value },
            { accessCondition: { type: 'IfMatch', condition: current._etag ?? '' }, abortSignal },
          ),
        );
        return value;
      } catch (err) {
        const status = statusCodeOf(err);
        if (status !== 409 && status !== 412) throw toStorageError(err, this.managed.name, 'counter');
        // Someone else won this round: back off a little (jittered) and read again.
        await sleep(Math.floor(Math.random() * (5 + attempt * 5)));
      }
    }
    throw new Error('Could not allocate a ticket number: too much contention');
  }

  private async read(): Promise<CounterDoc | undefined> {
    try {
      const { resource } = await this.managed.run('counterRead', (abortSignal) =>
        this.managed.container.item(this.id, this.pk).read<CounterDoc>({ abortSignal }),
      );
      return resource ?? undefined;
    } catch (err) {
      if (statusCodeOf(err) === 404) return undefined;
      throw toStorageError(err, this.managed.name, 'counterRead');
    }
  }
}
