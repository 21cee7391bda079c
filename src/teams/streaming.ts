import type { Activity, Attachment, TurnContext } from 'botbuilder';
import type { Memory, StreamingResponse } from '@microsoft/teams-ai';
import { logger } from '../observability/logger';
import { FAILURE_SHOWN_IN_STREAM, openStream, tellInStream } from '../planner/streaming';
import { STREAMER_KEY } from '../planner/memoryKeys';

/**
 * Streaming in the Teams layer: which conversations stream, how tools put their output into an
 * open stream, and how a turn makes sure its stream always ends. The stream itself is teams-ai's
 * `StreamingResponse` (informative update, text chunks, final message; about one update per
 * 1.5 s, which keeps under Teams' one request per second per stream).
 */

/** Teams streams bot messages only in 1:1 (personal) chats; channels and group chats get whole messages. */
export function streamsIn(activity: Partial<Activity> | undefined): boolean {
  return activity?.channelId === 'msteams' && activity.conversation?.conversationType === 'personal';
}

/** The `channelData.streamType` of an outgoing activity, if it belongs to a stream. */
export function streamTypeOf(activity: Partial<Activity>): 'informative' | 'streaming' | 'final' | undefined {
  const type = (activity.channelData as { streamType?: unknown } | undefined)?.streamType;
  return type === 'informative' || type === 'streaming' || type === 'final' ? type : undefined;
}

const pendingAttachments = new WeakMap<StreamingResponse, Attachment[]>();

/**
 * Sends a tool's reply, or puts it into the turn's open stream: a card is attached to the final
 * message (one bubble: the streamed text with its card), text is appended to the streamed text.
 */
export async function sendOrStream(
  context: TurnContext,
  memory: Memory,
  activity: Partial<Activity>,
): Promise<void> {
  const stream = openStream(memory);
  if (!stream) {
    await context.sendActivity(activity);
    return;
  }
  if (activity.attachments?.length) {
    const attachments = [...(pendingAttachments.get(stream) ?? []), ...activity.attachments];
    pendingAttachments.set(stream, attachments);
    stream.setAttachments(attachments);
  }
  if (activity.text) {
    stream.queueTextChunk(stream.getMessage().trim() ? `\n\n${activity.text}` : activity.text);
    void stream.waitForQueue().catch(() => undefined); // a refusal reaches whoever ends the stream
  }
}

/**
 * Runs the planner and ends a stream it left open: teams-ai ends a stream when the model's final
 * answer is complete, but not when a tool stops the plan (an unknown tool), the action limit is
 * reached or something throws. A failure ends the stream with `failureText` and is rethrown (the
 * turn's error handler logs it and, seeing the user was told, sends no second reply).
 */
export async function runWithStream(
  context: TurnContext,
  memory: Memory,
  run: () => Promise<unknown>,
  failureText: (error: unknown) => string,
): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (openStream(memory) && refusedByTeams(err)) {
      // Teams refused a stream update: the user pressed Stop (or the stream ran past its time).
      // The stream is over for Teams; anything more, an apology included, would be refused too.
      memory.deleteValue(STREAMER_KEY);
      logger.warn({ status: 403 }, 'stream stopped by Teams; nothing more sent');
      return;
    }
    if (openStream(memory)) {
      tellInStream(context, memory, failureText(err));
      await endOpenStream(memory);
    }
    throw err;
  }
  await endOpenStream(memory);
}

/** A connector refusal of a stream activity: HTTP 403 (`ContentStreamNotAllowed` and kin). */
function refusedByTeams(err: unknown): boolean {
  return (err as { statusCode?: unknown } | undefined)?.statusCode === 403;
}

async function endOpenStream(memory: Memory): Promise<void> {
  const stream = openStream(memory);
  if (!stream) return;
  memory.deleteValue(STREAMER_KEY);
  try {
    // endStream throws at once when teams-ai already ended it, or rejects when the connector
    // refused an update (e.g. the user pressed Stop): either way there is nothing more to send.
    await stream.endStream();
  } catch (err) {
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'stream could not be ended');
  }
}

/** True when this turn's failure was already told inside the stream's final message. */
export function failureShownInStream(context: TurnContext): boolean {
  return context.turnState.get(FAILURE_SHOWN_IN_STREAM) === true;
}
