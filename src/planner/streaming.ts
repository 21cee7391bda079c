import { EventEmitter } from 'node:events';
import type { TurnContext } from 'botbuilder';
import { STREAMER_KEY } from './memoryKeys';
import type {
  Memory,
  PromptCompletionModel,
  PromptCompletionModelEmitter,
  StreamingResponse,
} from '@microsoft/teams-ai';
import type { PromptResponse } from '@microsoft/teams-ai/lib/types';
import type { CompletePromptArgs } from './modelDecorator';

/**
 * Streaming glue on the model side. teams-ai's LLMClient creates a `StreamingResponse` when a
 * model's `beforeCompletion` event says `streaming: true`, keeps it in `temp.streamer` across tool
 * calls, feeds it the `chunkReceived` deltas and ends it when the final answer is complete. Which
 * conversations stream is decided per turn by a predicate (Teams streams only in 1:1 chats).
 */

/** Set on the TurnContext when the user was already told of a failure inside the stream's final message. */
export const FAILURE_SHOWN_IN_STREAM = Symbol('failureShownInStream');

/** Decides per turn whether the answer may be streamed. */
export type StreamPredicate = (context: TurnContext) => boolean;

/** The turn's open stream, if any. */
export function openStream(memory: Memory): StreamingResponse | undefined {
  return memory.getValue<StreamingResponse | undefined>(STREAMER_KEY) ?? undefined;
}

/**
 * Ends an open stream with `sentence` as (the end of) its text, e.g. a failure after some chunks,
 * and notes on the context that the user has been told. teams-ai then sends the final message.
 */
export function tellInStream(context: TurnContext, memory: Memory, sentence: string): boolean {
  const stream = openStream(memory);
  if (!stream) return false;
  try {
    stream.queueTextChunk(stream.getMessage().trim() ? `\n\n${sentence}` : sentence);
    void stream.waitForQueue().catch(() => undefined);
  } catch {
    return false; // already ended: the turn's error handler tells the user
  }
  context.turnState.set(FAILURE_SHOWN_IN_STREAM, true);
  return true;
}

/**
 * Marks the open stream's send queue as handled after each queued update. teams-ai's
 * StreamingResponse sends updates from a promise nobody awaits until the stream ends, so a refused
 * update (Teams answers 403 once the user pressed Stop) would be an unhandled rejection; the
 * failure still reaches whoever ends the stream.
 */
export function guardStreamQueue(events: PromptCompletionModelEmitter): void {
  const guard = (_context: TurnContext, memory: Memory) =>
    queueMicrotask(
      () =>
        void openStream(memory)
          ?.waitForQueue()
          .catch(() => undefined),
    );
  const emitter = events as unknown as EventEmitter;
  emitter.on('beforeCompletion', guard);
  emitter.on('chunkReceived', guard);
}

/**
 * A model that streams where `shouldStream` allows it and answers in one piece elsewhere: two
 * instances of the same model (one built with `stream: true`), because OpenAIModel fixes streaming
 * at construction and turns of different conversations run concurrently. Both models' events are
 * re-emitted on this one, which is the emitter teams-ai's LLMClient listens to.
 */
export class ConversationStreamingModel implements PromptCompletionModel {
  readonly events: PromptCompletionModelEmitter = new EventEmitter() as PromptCompletionModelEmitter;

  constructor(
    private readonly streaming: PromptCompletionModel,
    private readonly whole: PromptCompletionModel,
    private readonly shouldStream: StreamPredicate,
  ) {
    for (const inner of [streaming, whole]) forwardEvents(inner.events, this.events);
    guardStreamQueue(this.events);
  }

  completePrompt(...args: CompletePromptArgs): Promise<PromptResponse<string>> {
    const model = this.shouldStream(args[0]) ? this.streaming : this.whole;
    return model.completePrompt(...args);
  }
}

const EVENTS = ['beforeCompletion', 'chunkReceived', 'responseReceived'] as const;

/** Re-emits a model's completion events on `to` (no-op for a model without events). */
function forwardEvents(
  from: PromptCompletionModelEmitter | undefined,
  to: PromptCompletionModelEmitter,
): void {
  if (!from) return;
  const source = from as unknown as EventEmitter;
  const target = to as unknown as EventEmitter;
  for (const name of EVENTS) source.on(name, (...args: unknown[]) => target.emit(name, ...args));
}
