import type { TurnContext } from 'botbuilder';
import type {
  Memory,
  PromptCompletionModel,
  PromptCompletionModelEmitter,
  PromptFunctions,
  PromptTemplate,
  Tokenizer,
} from '@microsoft/teams-ai';
import type { PromptResponse } from '@microsoft/teams-ai/lib/types';
import { withSpan } from '../observability/tracing';

/**
 * PromptCompletionModel decorator that puts each completion in a `model.complete` span (the
 * embedded intent model has no HTTP call to show; for a language model the undici span of the
 * request becomes its child). Attributes: which model, the response status, how many tool calls.
 */
export class TracedModel implements PromptCompletionModel {
  constructor(
    private readonly inner: PromptCompletionModel,
    private readonly system: string,
  ) {}

  /** The wrapped model's events: teams-ai streams only through a model that exposes them. */
  get events(): PromptCompletionModelEmitter | undefined {
    return this.inner.events;
  }

  completePrompt(
    context: TurnContext,
    memory: Memory,
    functions: PromptFunctions,
    tokenizer: Tokenizer,
    template: PromptTemplate,
  ): Promise<PromptResponse<string>> {
    return withSpan('model.complete', { 'gen_ai.system': this.system }, async (span) => {
      const response = await this.inner.completePrompt(context, memory, functions, tokenizer, template);
      span.setAttributes({
        'bot.model.status': response.status,
        'bot.model.tool_calls': response.message?.action_calls?.length ?? 0,
      });
      return response;
    });
  }
}
