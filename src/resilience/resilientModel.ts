import type { PromptCompletionModel } from '@microsoft/teams-ai';
import type { PromptResponse } from '@microsoft/teams-ai/lib/types';
import { isBug } from '../errors';
import { failedResponse } from '../planner/llmModel';
import { ModelDecorator, type CompletePromptArgs } from '../planner/modelDecorator';
import type { DependencyPolicy } from './dependencyPolicy';

/**
 * PromptCompletionModel decorator with a circuit breaker. The wrapped model already retries with
 * jittered backoff and reports failures as responses (status 'error' / 'rate_limited'); those
 * responses (and anything thrown) count against the breaker. While it is open the model is not
 * called at all and the answer is an 'error' response at once, which the bot turns into one short
 * apology instead of making every user wait for the full timeout.
 */
export class CircuitBreakingModel extends ModelDecorator {
  constructor(
    inner: PromptCompletionModel,
    private readonly policy: DependencyPolicy,
  ) {
    super(inner);
  }

  async completePrompt(...args: CompletePromptArgs): Promise<PromptResponse<string>> {
    try {
      return await this.policy.execute(() => this.inner.completePrompt(...args));
    } catch (err) {
      // A defect in our code is no model failure: it goes on to app.error (`turn failed`, stack).
      if (isBug(err)) throw err;
      // CircuitOpenError (refused without a call), a timeout or an unexpected throw from the model.
      const [context, memory] = args;
      return failedResponse(context, memory, err);
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
