import type { PromptCompletionModel } from '@microsoft/teams-ai';
import type { PromptResponse } from '@microsoft/teams-ai/lib/types';
import { withSpan } from '../observability/tracing';
import { ModelDecorator, type CompletePromptArgs } from './modelDecorator';

/**
 * PromptCompletionModel decorator that puts each completion in a `model.complete` span (the
 * embedded intent model has no HTTP call to show; for a language model the undici span of the
 * request becomes its child). Attributes: which model, the response status, how many tool calls.
 */
export class TracedModel extends ModelDecorator {
  constructor(
    inner: PromptCompletionModel,
    private readonly system: string,
  ) {
    super(inner);
  }

  completePrompt(...args: CompletePromptArgs): Promise<PromptResponse<string>> {
    return withSpan('model.complete', { 'gen_ai.system': this.system }, async (span) => {
      const response = await this.inner.completePrompt(...args);
      span.setAttributes({
        'bot.model.status': response.status,
        'bot.model.tool_calls': response.message?.action_calls?.length ?? 0,
      });
      return response;
    });
  }
}
