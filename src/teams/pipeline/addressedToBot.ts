import { setTurnOutcome } from '../../observability/turnOutcome';
import { isAddressedToBot } from '../conversationGate';
import { turnStep, type TurnStep } from './step';

/** Activities not addressed to the bot (a channel message without an @mention) end here, unanswered. */
export function addressedToBot(): TurnStep {
  return turnStep('addressedToBot', async (context, next) => {
    if (!isAddressedToBot(context.activity)) {
      setTurnOutcome(context, 'ignored');
      return;
    }
    await next();
  });
}
