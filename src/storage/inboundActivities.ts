import { LRUCache } from 'lru-cache';
import { sha256Hex, toPartitionValue } from './keys';
import { type ManagedContainer, statusCodeOf, toStorageError } from './cosmosOperation';

/** What is kept of an inbound activity once a turn has handled it (for a retried delivery). */
export interface HandledActivity {
  /** sha256 of the member who sent it (aadObjectId or channel account id). */
  member: string;
  handledAt: string;
  /** The invoke response the first delivery answered with (card clicks), to answer a retry alike. */
  invokeResponse?: { status: number; body?: unknown };
}

/**
 * Which inbound activities (conversation id + activity id) were already handled. Teams redelivers
 * an activity when it did not get an answer in time; a retry must not be processed twice.
 */
export interface InboundActivityLog {
  find(conversationId: string, activityId: string): Promise<HandledActivity | undefined>;
  /** Create-if-absent; false when it was already recorded (409: another delivery got there first). */
  record(conversationId: string, activityId: string, handled: HandledActivity): Promise<boolean>;
}

/** How long a handled activity is remembered. Teams retries within seconds to minutes. */
const HANDLED_ACTIVITY_TTL_SECONDS = 24 * 3600;

interface MarkerDocument extends HandledActivity {
  id: string;
  pk: string;
  kind: 'inbound-activity';
  ttl: number;
}

function markerId(conversationId: string, activityId: string): string {
  // \u0000 cannot occur in either id: the pair -> id mapping is injective.
  return `inbound-${sha256Hex(`${conversationId}\u0000${activityId}`)}`;
}

/**
 * Markers in the "leases" container (per-item TTL, a day), partitioned like the conversation's
 * lease, so every instance on the shared database sees them. Only the document id is derived from
 * the activity; it holds no message text (an invoke response may hold the card the clicker got).
 */
export class CosmosInboundActivityLog implements InboundActivityLog {
  constructor(
    private readonly leases: ManagedContainer,
    private readonly ttlSeconds = HANDLED_ACTIVITY_TTL_SECONDS,
  ) {}

  async find(conversationId: string, activityId: string): Promise<HandledActivity | undefined> {
    const id = markerId(conversationId, activityId);
    try {
      const res = await this.leases.run('readInboundMarker', (abortSignal) =>
        this.leases.container
          .item(id, toPartitionValue(conversationId))
          .read<MarkerDocument>({ abortSignal }),
      );
      const doc = res.resource;
      if (!doc) return undefined;
      return {
        member: doc.member,
        handledAt: doc.handledAt,
        ...(doc.invokeResponse ? { invokeResponse: doc.invokeResponse } : {}),
      };
    } catch (err) {
      if (statusCodeOf(err) === 404) return undefined;
      throw toStorageError(err, this.leases.name, 'readInboundMarker');
    }
  }

  async record(conversationId: string, activityId: string, handled: HandledActivity): Promise<boolean> {
    const doc: MarkerDocument = {
      id: markerId(conversationId, activityId),
      pk: toPartitionValue(conversationId),
      kind: 'inbound-activity',
      ttl: this.ttlSeconds,
      ...handled,
    };
    try {
      await this.leases.run(
        'createInboundMarker',
        (abortSignal) => this.leases.container.items.create(doc, { abortSignal }),
        true,
      );
      return true;
    } catch (err) {
      if (statusCodeOf(err) === 409) return false;
      throw toStorageError(err, this.leases.name, 'createInboundMarker');
    }
  }
}

/** The same in memory, for the embedded store that only this process reaches (bounded, with TTL). */
export class InMemoryInboundActivityLog implements InboundActivityLog {
  private readonly seen: LRUCache<string, HandledActivity>;

  constructor(options: { max?: number; ttlMs?: number } = {}) {
    this.seen = new LRUCache({
      max: options.max ?? 50_000,
      ttl: options.ttlMs ?? HANDLED_ACTIVITY_TTL_SECONDS * 1000,
    });
  }

  async find(conversationId: string, activityId: string): Promise<HandledActivity | undefined> {
    return this.seen.get(markerId(conversationId, activityId));
  }

  async record(conversationId: string, activityId: string, handled: HandledActivity): Promise<boolean> {
    const id = markerId(conversationId, activityId);
    if (this.seen.has(id)) return false;
    this.seen.set(id, handled);
    return true;
  }
}
