import { InvalidStorageInputError } from './errors';
import { sha256Hex, transcriptPartitionValue } from './keys';
import { type ManagedContainer, statusCodeOf, toStorageError } from './cosmosOperation';

type TranscriptKind =
  'user_message' | 'bot_reply' | 'card_action' | 'tool_call' | 'citation' | 'system' | 'feedback';

const TRANSCRIPT_KINDS: readonly TranscriptKind[] = [
  'user_message',
  'bot_reply',
  'card_action',
  'tool_call',
  'citation',
  'system',
  'feedback',
];

interface TranscriptToolCall {
  name: string;
  arguments: unknown;
  result?: unknown;
  error?: string;
}

interface TranscriptCitation {
  title?: string;
  url?: string;
  source?: string;
  snippet?: string;
  /** The sensitivity label the citation carried (e.g. "Confidential – HR"), if any. */
  sensitivity?: string;
}

/** Which model produced an answer: the language model or the embedded intent model. */
export type TranscriptModelPath = 'llm' | 'embedded';

/** A thumbs up/down (and optional text) on one AI answer, by one member (kind 'feedback'). */
export interface TranscriptFeedback {
  reaction: 'like' | 'dislike';
  /** What the member typed after clicking, if anything (shortened to MAX_FEEDBACK_TEXT_CHARS). */
  text?: string;
  /** The answer's activity id (the invoke's replyToId): links to the bot_reply entry. */
  replyActivityId: string;
  /** ISO-8601 time of the member's first reaction on this answer (`timestamp` is the latest). */
  firstAt: string;
  /**
   * The invoke named no answer (the Agents Playground sends no replyToId): the 1:1 chat's latest
   * answer with feedback buttons was taken as the rated one (src/teams/feedbackRoute.ts).
   */
  answerInferred?: boolean;
}

/** One inbound or outbound event of a conversation. */
export interface TranscriptEntry {
  /** Full Teams conversation id (may include `;messageid=`). */
  conversationId: string;
  /**
   * Id of the activity this entry belongs to: the inbound activity id for user_message,
   * card_action, tool_call and citation; the reply's activity id (or the inbound id) for bot_reply.
   * Together with kind and sequence it makes the entry id deterministic, so retries are idempotent.
   */
  activityId: string;
  kind: TranscriptKind;
  /** Position within the activity (0, 1, 2 … for several tool calls of one turn). Default 0. */
  sequence?: number;
  /** ISO-8601 time of the event. */
  timestamp: string;
  userAadObjectId?: string;
  tenantId?: string;
  text?: string;
  /** Card action payload (Action.Execute verb and data). */
  action?: { verb?: string; data?: unknown };
  toolCall?: TranscriptToolCall;
  citations?: TranscriptCitation[];
  /** bot_reply: the id the connector gave the sent activity (what a feedback invoke's replyToId names). */
  replyActivityId?: string;
  /** bot_reply of an AI answer: which model path answered. */
  modelPath?: TranscriptModelPath;
  /** bot_reply: the answer offered Teams' feedback buttons (channelData.feedbackLoopEnabled). */
  feedbackLoop?: boolean;
  /** kind 'feedback' only. */
  feedback?: TranscriptFeedback;
  /** Set by the store when a large field was shortened to stay within the document size limit. */
  truncated?: boolean;
}

export interface TranscriptListOptions {
  /** Also return entries of channel threads (`;messageid=`) under the same root conversation. */
  includeThreads?: boolean;
}

/** One answered turn as stored: what the user asked, which tools ran, what was cited and answered. */
export interface AnsweredTurn {
  conversationId: string;
  /** The inbound activity id of the turn (the user's message). */
  activityId: string;
  entries: TranscriptEntry[];
}

/** A stored reaction with the turn it rates (undefined once the turn has expired or was never stored). */
export interface FeedbackRecord {
  feedback: TranscriptEntry & { kind: 'feedback'; feedback: TranscriptFeedback };
  turn?: AnsweredTurn;
}

/** Feedback text longer than this is shortened (Teams' own box allows far less). */
const MAX_FEEDBACK_TEXT_CHARS = 2000;

/** Id of one member's reaction on one answer: a second click replaces the first. */
function feedbackId(conversationId: string, replyActivityId: string, userAadObjectId: string): string {
  return `feedback-${sha256Hex([transcriptPartitionValue(conversationId), replyActivityId, userAadObjectId].join('\u0000'))}`;
}

export interface TranscriptStore {
  append(entry: TranscriptEntry): Promise<void>;
  /**
   * Appends every entry of one turn (all with the same conversationId and activityId) in one write.
   * Idempotent like append: a retried turn is stored once.
   */
  appendTurn(entries: readonly TranscriptEntry[]): Promise<void>;
  list(conversationId: string, options?: TranscriptListOptions): Promise<TranscriptEntry[]>;
}

interface TranscriptDocument extends TranscriptEntry {
  id: string;
  pk: string;
  sequence: number;
  /** Per-item TTL in seconds (retention); correctness never depends on it. */
  ttl?: number;
}

/** The fields every entry of one turn shares, kept once on its turn document instead of per entry. */
const SHARED_FIELDS = ['conversationId', 'activityId', 'userAadObjectId', 'tenantId'] as const;
type SharedField = (typeof SHARED_FIELDS)[number];
/** An entry inside a turn document: without the fields its turn document holds (older ones have them). */
type TurnEntry = Omit<TranscriptEntry, SharedField> & Partial<Pick<TranscriptEntry, SharedField>>;

/** One turn's entries in one item (written by appendTurn). */
interface TurnDocument {
  id: string;
  pk: string;
  conversationId: string;
  activityId: string;
  /** The member and tenant of every entry, when all entries share them. */
  userAadObjectId?: string;
  tenantId?: string;
  timestamp: string;
  entries: TurnEntry[];
  /** The replyActivityIds of its bot_reply entries, so a feedback invoke finds its turn in one query. */
  replyActivityIds?: string[];
  ttl?: number;
}

/** A turn document bigger than this (serialised) is written as one document per entry instead. */
const MAX_TURN_DOCUMENT_CHARS = 1_500_000;

/** Fields bigger than this (serialised) are truncated; Cosmos' item limit is 2 MB. */
const MAX_FIELD_CHARS = 256 * 1024;

/** Id of the document holding a whole turn (see appendTurn). */
export function transcriptTurnId(entry: Pick<TranscriptEntry, 'conversationId' | 'activityId'>): string {
  return `turn-${sha256Hex([entry.conversationId, entry.activityId].join('\u0000'))}`;
}

export function transcriptEntryId(
  entry: Pick<TranscriptEntry, 'conversationId' | 'activityId' | 'kind' | 'sequence'>,
): string {
  // \u0000 separators: no field can contain it, so the tuple -> id mapping is injective.
  return `${entry.kind}-${sha256Hex([entry.conversationId, entry.activityId, entry.kind, String(entry.sequence ?? 0)].join('\u0000'))}`;
}

/**
 * Append-only transcript in the "transcripts" container, partitioned by root conversation id.
 * Appends are creates with deterministic ids: a retried append gets 409 and is treated as done,
 * so no entry is written twice and concurrent appends never conflict. A turn's entries go into one
 * document (one write per turn instead of one per entry; a Cosmos write costs the same RU whether it
 * holds one small entry or five); `list` returns entries either way.
 */
export class CosmosTranscriptStore implements TranscriptStore {
  constructor(
    private readonly transcripts: ManagedContainer,
    private readonly ttlSeconds?: number,
  ) {}

  async append(entry: TranscriptEntry): Promise<void> {
    await this.create(this.toDocument(entry));
  }

  async appendTurn(entries: readonly TranscriptEntry[]): Promise<void> {
    if (!entries.length) return;
    const first = entries[0]!;
    if (entries.some((e) => e.conversationId !== first.conversationId || e.activityId !== first.activityId)) {
      throw new InvalidStorageInputError(
        'appendTurn needs entries of one turn (same conversationId and activityId)',
      );
    }
    const docs = entries.map((e) => this.toDocument(e));
    const shared = sharedFields(entries);
    const turnDoc: TurnDocument = {
      id: transcriptTurnId(first),
      pk: docs[0]!.pk,
      ...shared,
      timestamp: first.timestamp,
      entries: docs.map(({ id: _id, pk: _pk, ttl: _ttl, ...entry }) => withoutShared(entry, shared)),
      replyActivityIds: entries.flatMap((e) => (e.replyActivityId ? [e.replyActivityId] : [])),
      ...(this.ttlSeconds && this.ttlSeconds > 0 ? { ttl: this.ttlSeconds } : {}),
    };
    if (entries.length === 1 || JSON.stringify(turnDoc).length > MAX_TURN_DOCUMENT_CHARS) {
      // One entry needs no wrapper; a huge turn would pass Cosmos' 2 MB item limit.
      await Promise.all(docs.map((d) => this.create(d)));
      return;
    }
    await this.create(turnDoc);
  }

  private async create(doc: TranscriptDocument | TurnDocument): Promise<void> {
    try {
      await this.transcripts.run(
        'append',
        (abortSignal) => this.transcripts.container.items.create(doc, { abortSignal }),
        true,
      );
    } catch (err) {
      if (statusCodeOf(err) === 409) return; // already written by an earlier attempt
      throw toStorageError(err, this.transcripts.name, 'append');
    }
  }

  async list(conversationId: string, options: TranscriptListOptions = {}): Promise<TranscriptEntry[]> {
    if (typeof conversationId !== 'string' || conversationId.length === 0) {
      throw new InvalidStorageInputError('conversationId must be a non-empty string');
    }
    const pk = transcriptPartitionValue(conversationId);
    // The partition filter is in SQL (the embedded server ignores the partitionKey option), and
    // ordering is done here: multi-field ORDER BY needs a composite index in Azure.
    const query = options.includeThreads
      ? { query: 'SELECT * FROM c WHERE c.pk = @pk', parameters: [{ name: '@pk', value: pk }] }
      : {
          query: 'SELECT * FROM c WHERE c.pk = @pk AND c.conversationId = @cid',
          parameters: [
            { name: '@pk', value: pk },
            { name: '@cid', value: conversationId },
          ],
        };
    try {
      const res = await this.transcripts.run('list', (abortSignal) =>
        this.transcripts.container.items
          .query<TranscriptDocument | TurnDocument>(query, { partitionKey: pk, abortSignal })
          .fetchAll(),
      );
      return res.resources
        .flatMap((doc): TranscriptEntry[] => ('entries' in doc ? turnEntries(doc) : [doc]))
        .sort(compareEntries)
        .map(toEntry);
    } catch (err) {
      if (statusCodeOf(err) === 404) return []; // container gone (embedded restart): nothing stored
      throw toStorageError(err, this.transcripts.name, 'list');
    }
  }

  /**
   * The turn that sent the activity `replyActivityId` (a bot_reply's replyActivityId) in the
   * conversation's partition: all its entries (question, tool calls, citations, answer), or
   * undefined when no stored turn sent it.
   */
  async findTurnByReply(conversationId: string, replyActivityId: string): Promise<AnsweredTurn | undefined> {
    if (!conversationId || !replyActivityId)
      throw new InvalidStorageInputError('conversationId and replyActivityId are required');
    const pk = transcriptPartitionValue(conversationId);
    const docs = await this.query(
      'findTurnByReply',
      {
        query:
          'SELECT * FROM c WHERE c.pk = @pk AND (ARRAY_CONTAINS(c.replyActivityIds, @rid) OR c.replyActivityId = @rid)',
        parameters: [
          { name: '@pk', value: pk },
          { name: '@rid', value: replyActivityId },
        ],
      },
      pk,
    );
    const doc = docs[0];
    if (!doc) return undefined;
    if ('entries' in doc)
      return {
        conversationId: doc.conversationId,
        activityId: doc.activityId,
        entries: turnEntries(doc).map(toEntry),
      };
    // A turn too big for one document was stored one document per entry: gather its siblings.
    const siblings = await this.query(
      'findTurnByReply',
      {
        query: 'SELECT * FROM c WHERE c.pk = @pk AND c.conversationId = @cid AND c.activityId = @aid',
        parameters: [
          { name: '@pk', value: pk },
          { name: '@cid', value: doc.conversationId },
          { name: '@aid', value: doc.activityId },
        ],
      },
      pk,
    );
    const entries = siblings
      .flatMap((d): TranscriptEntry[] => ('entries' in d ? [] : [d]))
      .filter((e) => e.kind !== 'feedback')
      .sort(compareEntries)
      .map(toEntry);
    return { conversationId: doc.conversationId, activityId: doc.activityId, entries };
  }

  /**
   * Stores one member's reaction on one answer. The document id comes from (conversation, answer,
   * member), so a second click replaces the first (keeping `firstAt`) instead of adding a second.
   * Returns whether an earlier reaction was replaced.
   */
  async saveFeedback(
    entry: TranscriptEntry & { feedback: TranscriptFeedback },
  ): Promise<{ updated: boolean }> {
    validateEntry(entry);
    if (entry.kind !== 'feedback' || !entry.userAadObjectId)
      throw new InvalidStorageInputError('feedback needs kind "feedback" and the member\'s userAadObjectId');
    const pk = transcriptPartitionValue(entry.conversationId);
    const id = feedbackId(entry.conversationId, entry.feedback.replyActivityId, entry.userAadObjectId);
    const text = entry.feedback.text?.slice(0, MAX_FEEDBACK_TEXT_CHARS);
    let previous: TranscriptDocument | undefined;
    try {
      const res = await this.transcripts.run('saveFeedback', (abortSignal) =>
        this.transcripts.container.item(id, pk).read<TranscriptDocument>({ abortSignal }),
      );
      previous = res.resource;
    } catch (err) {
      if (statusCodeOf(err) !== 404) throw toStorageError(err, this.transcripts.name, 'saveFeedback');
    }
    const doc: TranscriptDocument = {
      ...entry,
      sequence: 0,
      feedback: {
        ...entry.feedback,
        ...(text ? { text } : { text: undefined }),
        firstAt: previous?.feedback?.firstAt ?? entry.feedback.firstAt,
      },
      id,
      pk,
      ...(this.ttlSeconds && this.ttlSeconds > 0 ? { ttl: this.ttlSeconds } : {}),
    };
    if (!text) delete doc.feedback!.text;
    try {
      await this.transcripts.run(
        'saveFeedback',
        (abortSignal) => this.transcripts.container.items.upsert(doc, { abortSignal }),
        true,
      );
    } catch (err) {
      throw toStorageError(err, this.transcripts.name, 'saveFeedback');
    }
    return { updated: previous !== undefined };
  }

  /**
   * Every stored reaction (all conversations: a cross-partition query, for reports such as
   * `npm run eval`), each with the answered turn it belongs to when that is still stored.
   */
  async listFeedback(): Promise<FeedbackRecord[]> {
    const docs = await this.query('listFeedback', {
      query: "SELECT * FROM c WHERE c.kind = 'feedback'",
      parameters: [],
    });
    const turns = new Map<string, Promise<AnsweredTurn | undefined>>();
    const records: FeedbackRecord[] = [];
    for (const doc of docs) {
      if ('entries' in doc || !doc.feedback) continue;
      const key = `${doc.pk}\u0000${doc.feedback.replyActivityId}`;
      if (!turns.has(key))
        turns.set(key, this.findTurnByReply(doc.conversationId, doc.feedback.replyActivityId));
      records.push({ feedback: toEntry(doc) as FeedbackRecord['feedback'], turn: await turns.get(key)! });
    }
    return records.sort((a, b) => Date.parse(a.feedback.timestamp) - Date.parse(b.feedback.timestamp));
  }

  private async query(
    operation: string,
    spec: { query: string; parameters: { name: string; value: string }[] },
    partitionKey?: string,
  ): Promise<Array<TranscriptDocument | TurnDocument>> {
    try {
      const res = await this.transcripts.run(operation, (abortSignal) =>
        this.transcripts.container.items
          .query<TranscriptDocument | TurnDocument>(spec, {
            ...(partitionKey !== undefined ? { partitionKey } : {}),
            abortSignal,
          })
          .fetchAll(),
      );
      return res.resources;
    } catch (err) {
      if (statusCodeOf(err) === 404) return [];
      throw toStorageError(err, this.transcripts.name, operation);
    }
  }

  private toDocument(entry: TranscriptEntry): TranscriptDocument {
    validateEntry(entry);
    const sequence = entry.sequence ?? 0;
    const { doc, truncated } = truncateLargeFields({ ...entry, sequence });
    return {
      ...doc,
      ...(truncated ? { truncated: true } : {}),
      sequence,
      id: transcriptEntryId({ ...entry, sequence }),
      pk: transcriptPartitionValue(entry.conversationId),
      ...(this.ttlSeconds && this.ttlSeconds > 0 ? { ttl: this.ttlSeconds } : {}),
    };
  }
}

function validateEntry(entry: TranscriptEntry): void {
  if (!entry || typeof entry !== 'object')
    throw new InvalidStorageInputError('Transcript entry must be an object');
  if (typeof entry.conversationId !== 'string' || !entry.conversationId) {
    throw new InvalidStorageInputError('Transcript entry needs a conversationId');
  }
  if (typeof entry.activityId !== 'string' || !entry.activityId) {
    throw new InvalidStorageInputError('Transcript entry needs an activityId (used for idempotent ids)');
  }
  if (!TRANSCRIPT_KINDS.includes(entry.kind)) {
    throw new InvalidStorageInputError(`Transcript entry kind must be one of ${TRANSCRIPT_KINDS.join(', ')}`);
  }
  if (entry.sequence !== undefined && (!Number.isInteger(entry.sequence) || entry.sequence < 0)) {
    throw new InvalidStorageInputError('Transcript entry sequence must be a non-negative integer');
  }
  if (typeof entry.timestamp !== 'string' || Number.isNaN(Date.parse(entry.timestamp))) {
    throw new InvalidStorageInputError('Transcript entry timestamp must be an ISO-8601 string');
  }
}

function truncateLargeFields(entry: TranscriptEntry): { doc: TranscriptEntry; truncated: boolean } {
  let truncated = false;
  const doc: TranscriptEntry = { ...entry };
  if (doc.text && doc.text.length > MAX_FIELD_CHARS) {
    doc.text = doc.text.slice(0, MAX_FIELD_CHARS);
    truncated = true;
  }
  if (doc.toolCall) {
    const tc = { ...doc.toolCall };
    for (const field of ['arguments', 'result'] as const) {
      const json = JSON.stringify(tc[field]);
      if (json && json.length > MAX_FIELD_CHARS) {
        tc[field] = { truncatedJson: json.slice(0, MAX_FIELD_CHARS) };
        truncated = true;
      }
    }
    doc.toolCall = tc;
  }
  return { doc, truncated };
}

const KIND_ORDER: Record<TranscriptKind, number> = {
  system: 0,
  user_message: 1,
  card_action: 2,
  tool_call: 3,
  citation: 4,
  bot_reply: 5,
  feedback: 6,
};

/** Time order; within the same millisecond, a turn's natural order (input, tools, sources, reply). */
function compareEntries(a: TranscriptEntry, b: TranscriptEntry): number {
  const t = Date.parse(a.timestamp) - Date.parse(b.timestamp);
  if (t !== 0) return t;
  const seq = (a.sequence ?? 0) - (b.sequence ?? 0);
  if (a.activityId === b.activityId && a.kind === b.kind) return seq;
  const k = KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  return k !== 0 ? k : seq;
}

/**
 * What every entry of the turn shares: the conversation and activity (appendTurn checks both), and
 * the member and tenant when no entry differs. A turn's entries repeated them (≈ 250 bytes each).
 */
function sharedFields(entries: readonly TranscriptEntry[]): Pick<TranscriptEntry, SharedField> {
  const first = entries[0]!;
  const shared: Pick<TranscriptEntry, SharedField> = {
    conversationId: first.conversationId,
    activityId: first.activityId,
  };
  for (const field of ['userAadObjectId', 'tenantId'] as const)
    if (first[field] !== undefined && entries.every((e) => e[field] === first[field]))
      shared[field] = first[field];
  return shared;
}

function withoutShared(
  entry: TranscriptEntry,
  shared: Partial<Pick<TranscriptEntry, SharedField>>,
): TurnEntry {
  const out: TurnEntry = { ...entry };
  for (const field of SHARED_FIELDS) if (shared[field] !== undefined) delete out[field];
  return out;
}

/** A turn document's entries, whole again: each with the fields its turn document keeps once. */
function turnEntries(doc: TurnDocument): TranscriptEntry[] {
  const shared: Partial<Pick<TranscriptEntry, SharedField>> = {};
  for (const field of SHARED_FIELDS) if (doc[field] !== undefined) shared[field] = doc[field];
  // An entry's own value wins: documents written before the fields moved carry them per entry.
  return doc.entries.map((entry) => ({ ...shared, ...entry }) as TranscriptEntry);
}

function toEntry(doc: TranscriptEntry): TranscriptEntry {
  const entry: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k === 'id' || k === 'pk' || k === 'ttl' || k.startsWith('_')) continue;
    entry[k] = v;
  }
  return entry as unknown as TranscriptEntry;
}
