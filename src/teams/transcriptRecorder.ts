import { TurnContext, type Activity } from 'botbuilder';
import type { ResourceResponse } from 'botbuilder';
import type { TranscriptEntry, TranscriptModelPath, TranscriptStore } from '../storage';
import { logger } from '../observability/logger';

type Kind = TranscriptEntry['kind'];
interface ClientCitationLike {
  appearance?: { name?: string; url?: string; abstract?: string; usageInfo?: { name?: string } };
}

/**
 * Collects one turn's audit trail — the inbound activity, every outbound message (with the
 * citations it carries), card actions and tool calls — and writes it in one document when the turn
 * ends (`flush`). Idempotent (the document id comes from the inbound activity), so a retried turn
 * is stored once. If the process dies mid-turn, Teams gets no 200 and retries the activity, and the
 * retry records it.
 */
export class TurnTranscript {
  private sequence = 0;
  private readonly entries: TranscriptEntry[] = [];
  private flushed = false;
  private discarded = false;
  private deliver: (() => Promise<void>) | undefined;

  constructor(
    private readonly store: TranscriptStore & {
      spoolTurn?: (entries: readonly TranscriptEntry[]) => Promise<() => Promise<void>>;
    },
    private readonly context: TurnContext,
    /** Recorded on AI answers, so a rating can be traced to the model path that answered. */
    private readonly modelPath?: TranscriptModelPath,
  ) {}

  /** Records the inbound activity and hooks outbound messages; call once at the start of a turn. */
  start(): void {
    const a = this.context.activity;
    // What the bot understood: the text with its own @mention removed (others' mentions stay).
    if (a.type === 'message')
      this.append('user_message', {
        text: (a.recipient ? TurnContext.removeRecipientMention({ ...a } as Activity) : a.text)?.trim() ?? '',
      });
    else if (a.type === 'invoke' && a.name === 'adaptiveCard/action') {
      const action = (a.value as { action?: { verb?: string; data?: unknown } } | undefined)?.action;
      this.append('card_action', { action: { verb: action?.verb, data: action?.data } });
    }
    this.context.onSendActivities(async (_ctx, activities, next) => {
      const result = await next();
      activities.forEach((out, i) =>
        this.recordOutbound(out, (result as ResourceResponse[] | undefined)?.[i]),
      );
      return result;
    });
  }

  toolCall(name: string, args: unknown, outcome: { result?: unknown; error?: string }): void {
    this.append('tool_call', { toolCall: { name, arguments: args, ...outcome } });
  }

  /**
   * Makes what the turn recorded durable without waiting for the store, when the store has a local
   * spool (see SpooledTranscriptStore.spoolTurn); `flush` then sends it. Otherwise a no-op.
   */
  async persist(): Promise<void> {
    if (this.flushed || !this.store.spoolTurn) return;
    this.flushed = true;
    const entries = this.entries.splice(0);
    try {
      this.deliver = await this.store.spoolTurn(entries);
    } catch (err) {
      this.entries.unshift(...entries); // flush writes them to the store directly
      throw err;
    }
  }

  /** Writes what the turn recorded (after its replies were sent, so they are not delayed by it). */
  async flush(): Promise<void> {
    const deliver = this.deliver;
    this.deliver = undefined;
    this.flushed = true;
    const entries = this.entries.splice(0);
    try {
      if (deliver) await deliver();
      if (entries.length) await this.store.appendTurn(entries);
    } catch (err) {
      logger.error({ err, entries: entries.length }, 'transcript append failed');
      throw err;
    }
  }

  /** Records a message this turn sent into another conversation (the asker's 1:1 chat). */
  sentElsewhere(out: Partial<Activity>, conversationId: string): void {
    this.recordOutbound(out, undefined, conversationId);
  }

  /** Drops what was recorded and records nothing more (a redelivered activity handled before). */
  discard(): void {
    this.flushed = true;
    this.discarded = true;
    this.entries.length = 0;
  }

  private recordOutbound(
    out: Partial<Activity>,
    sent: ResourceResponse | undefined,
    elsewhere?: string,
  ): void {
    if (out.type !== 'message') return;
    const cards = (out.attachments ?? [])
      .filter((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')
      .map((x) => x.content);
    const channelData = out.channelData as
      { feedbackLoopEnabled?: boolean; feedbackLoop?: { type?: string }; streamId?: string } | undefined;
    // Both forms teams-ai sends (SAY action, StreamingResponse): the flag, or a typed feedback loop.
    const feedbackLoop =
      channelData?.feedbackLoopEnabled === true || Boolean(channelData?.feedbackLoop?.type);
    // The id Teams shows the message under (a streamed message keeps its stream's id): a feedback
    // invoke names it as replyToId.
    const replyActivityId = channelData?.streamId || sent?.id || undefined;
    this.append('bot_reply', {
      text: out.text ?? '',
      ...(cards.length ? { action: { verb: 'adaptive_card', data: cards } } : {}),
      ...(replyActivityId ? { replyActivityId } : {}),
      ...(feedbackLoop ? { feedbackLoop, ...(this.modelPath ? { modelPath: this.modelPath } : {}) } : {}),
      ...(elsewhere
        ? { action: { verb: 'sent_to_1to1_chat', data: { conversationId: elsewhere, cards } } }
        : {}),
    });
    const citations = (out.entities ?? [])
      .flatMap((e) => (Array.isArray(e.citation) ? (e.citation as ClientCitationLike[]) : []))
      .map((c) => ({
        title: c.appearance?.name,
        url: c.appearance?.url,
        snippet: c.appearance?.abstract,
        ...(c.appearance?.usageInfo?.name ? { sensitivity: c.appearance.usageInfo.name } : {}),
      }));
    if (citations.length) this.append('citation', { citations });
  }

  private append(kind: Kind, fields: Partial<TranscriptEntry>): void {
    if (this.discarded) return;
    const a = this.context.activity;
    const entry = {
      conversationId: a.conversation?.id ?? 'unknown',
      activityId: a.id ?? 'no-activity-id',
      kind,
      sequence: this.sequence++,
      timestamp: new Date().toISOString(),
      userAadObjectId: a.from?.aadObjectId,
      tenantId:
        a.conversation?.tenantId ?? (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id,
      ...fields,
    } as TranscriptEntry;
    if (!this.flushed) {
      this.entries.push(entry);
      return;
    }
    // After flush: e.g. the adapter's error reply, sent once the turn has failed. Written on its
    // own (its id differs from the turn document's), and nobody waits for it.
    this.store.append(entry).catch((err: unknown) => logger.error({ err, kind }, 'transcript append failed'));
  }
}
