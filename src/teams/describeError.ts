import { llmFailureKind, llmFailureMessage } from '../planner/llmModel';
import { replies } from '../replies';
import { LeaseTimeoutError, StorageUnavailableError } from '../storage';

/**
 * The one user-facing sentence for a known failure of a turn (storage down, the model throttled
 * or failed), or undefined for anything else. app.error logs a known failure as `turn degraded`
 * and anything else, a bug above all, as `turn failed` with its stack, and says replies.turnFailed.
 */
export function describeTurnError(error: unknown): string | undefined {
  if (error instanceof StorageUnavailableError || error instanceof LeaseTimeoutError)
    return replies.storageUnavailable;
  if (llmFailureKind(error)) return llmFailureMessage(error);
  return undefined;
}
