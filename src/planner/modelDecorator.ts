import type { PromptCompletionModel, PromptCompletionModelEmitter } from '@microsoft/teams-ai';
import type { PromptResponse } from '@microsoft/teams-ai/lib/types';

/** The arguments of teams-ai's `completePrompt` (context, memory, functions, tokenizer, template). */
export type CompletePromptArgs = Parameters<PromptCompletionModel['completePrompt']>;

/**
 * A PromptCompletionModel that wraps another (tracing, circuit breaking): the wrapped model's events
 * are its own, because teams-ai streams only through a model that exposes them.
 */
export abstract class ModelDecorator implements PromptCompletionModel {
  constructor(protected readonly inner: PromptCompletionModel) {}

  get events(): PromptCompletionModelEmitter | undefined {
    return this.inner.events;
  }

  abstract completePrompt(...args: CompletePromptArgs): Promise<PromptResponse<string>>;
}
