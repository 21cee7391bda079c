import type { BotMetrics } from '../../observability/metrics';
import { turnLogger } from '../../observability/logger';
import { setTurnOutcome } from '../../observability/turnOutcome';
import type { TurnRateLimiter } from '../../security/rateLimiter';
import { replies } from '../../replies';
import { sendFailureReply } from '../failureReply';
import { turnStep, type TurnStep } from './step';

/** Within the member's and the tenant's rate limits, or the rate-limit sentence and no turn. */
export function rateLimit(limiter: TurnRateLimiter, metrics: BotMetrics): TurnStep {
  return turnStep('rateLimit', async (context, next) => {
    const verdict = await limiter.consume(
      context.activity.from?.aadObjectId ?? context.activity.from?.id ?? 'anonymous',
      context.activity.conversation?.tenantId ?? 'no-tenant',
    );
    if (verdict.allowed) return next();
    setTurnOutcome(context, 'rate_limited');
    metrics.rateLimited.inc({ scope: verdict.scope ?? 'user' });
    turnLogger(context.activity).info({ scope: verdict.scope }, 'rate limited');
    await sendFailureReply(context, replies.rateLimited);
  });
}
