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
import { isBug } from '../errors';
import { LlmFailureError, llmFailureMessage } from '../planner/llmModel';
import { tellInStream } from '../planner/streaming';
import type { DependencyPolicy } from './dependencyPolicy';

/**
 * PromptCompletionModel decorator with a circuit breaker. The wrapped model already retries with
 * jittered backoff and reports failures as responses (status 'error' / 'rate_limited'); those
 * responses (and anything thrown) count against the breaker. While it is open the model is not
 * called at all and the answer is an 'error' response at once, which the bot turns into one short
 * apology instead of making every user wait for the full timeout.
 */
export class CircuitBreakingModel implements PromptCompletionModel {
  constructor(
    private readonly inner: PromptCompletionModel,
    private readonly policy: DependencyPolicy,
  ) {}

  /** The wrapped model's events: teams-ai streams only through a model that exposes them. */
  get events(): PromptCompletionModelEmitter | undefined {
    return this.inner.events;
  }

  async completePrompt(
    context: TurnContext,
    memory: Memory,
    functions: PromptFunctions,
    tokenizer: Tokenizer,
    template: PromptTemplate,
  ): Promise<PromptResponse<string>> {
    try {
      return await this.policy.execute(() =>
        this.inner.completePrompt(context, memory, functions, tokenizer, template),
      );
    } catch (err) {
      // A defect in our code is no model failure: it goes on to app.error (`turn failed`, stack).
      if (isBug(err)) throw err;
      // CircuitOpenError (refused without a call), a timeout or an unexpected throw from the model.
      const error = new LlmFailureError('error', err);
      // A streamed answer (1:1 chat) ends with the apology instead of an empty final message.
      tellInStream(context, memory, llmFailureMessage(error));
      return { status: 'error', input: undefined, error };
    }
  }
}

/**
 * A side-task chat completion (memory summaries) behind the same breaker as the planner's model:
 * its failures count toward opening it, and while it is open the call is refused at once (the
 * summarizer then falls back to the extractive summary) instead of waiting on a dead service.
 */
export function circuitBreakingCompletion(
  complete: (system: string, user: string) => Promise<string>,
  policy: DependencyPolicy,
): (system: string, user: string) => Promise<string> {
  return (system, user) => policy.execute(() => complete(system, user));
}

/** Responses that mean the model service failed (throttling beyond the retries, 5xx, timeouts). */
export function isFailedModelResponse(result: unknown): boolean {
  const status = (result as PromptResponse | undefined)?.status;
  return status === 'error' || status === 'rate_limited';
}
