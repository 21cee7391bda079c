import type { InboundActivityLog } from '../../storage';
import { setTurnOutcome } from '../../observability/turnOutcome';
import { oncePerActivity as handleOnce } from '../inboundDedup';
import { turnStep, type TurnStep } from './step';
import { turnTranscript } from './transcript';

/**
 * Inside the lease, a redelivered activity (Teams retries a slow answer) finds the first
 * delivery's marker and is not answered again. The transcript is made durable (local spool)
 * before the activity counts as handled; it is sent to Cosmos after the lease is released (the
 * transcript step's finally), so the lease is not held for it.
 */
export function oncePerActivity(inbound: InboundActivityLog): TurnStep {
  return turnStep('oncePerActivity', async (context, next) => {
    const transcript = turnTranscript(context);
    const verdict = await handleOnce(inbound, context, async () => {
      await next();
      await transcript?.persist().catch(() => undefined);
    });
    if (verdict === 'duplicate') {
      transcript?.discard();
      setTurnOutcome(context, 'duplicate');
    }
  });
}
