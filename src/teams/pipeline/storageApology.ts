import { turnLogger } from '../../observability/logger';
import { replies } from '../../replies';
import { LeaseTimeoutError, StorageUnavailableError } from '../../storage';
import { sendFailureReply } from '../failureReply';
import { turnStep, type TurnStep } from './step';

/**
 * The conversation store is down, or another turn of this conversation held its lease too long:
 * the storage apology instead of a failed turn. Failed Cosmos calls are counted by the cosmos
 * policy; the transcript (with the apology) goes to the local spool and reaches Cosmos later.
 */
export function storageApology(): TurnStep {
  return turnStep('storageApology', async (context, next) => {
    try {
      await next();
    } catch (err) {
      if (!(err instanceof StorageUnavailableError || err instanceof LeaseTimeoutError)) throw err;
      turnLogger(context.activity).warn({ err: err.message }, 'conversation store unavailable; apologised');
      await sendFailureReply(context, replies.storageUnavailable);
    }
  });
}
