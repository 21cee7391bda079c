import { ActivityTypes, type TurnContext } from 'botbuilder';
import { streamTypeOf } from './streaming';

interface TypingOptions {
  /** Wait this long before the first indicator (botbuilder's ShowTypingMiddleware default). */
  delayMs?: number;
  /** Then repeat it this often (Teams shows an indicator for about 3 seconds). */
  refreshMs?: number;
}

const DEFAULTS: Required<TypingOptions> = { delayMs: 500, refreshMs: 3000 };

/**
 * Shows the typing indicator while a turn works: once the turn has taken `delayMs`, then every
 * `refreshMs`, until the first message is sent or the turn ends. A quick answer needs no indicator
 * (it would only flicker, and costs one connector call per turn); a slow one (model, search, a
 * slow order system) shows it. Per turn, unlike teams-ai's timer, which lives on the Application
 * instance and would be shared by concurrent turns.
 */
export async function withTyping<T>(
  context: TurnContext,
  work: () => Promise<T>,
  options: TypingOptions = {},
): Promise<T> {
  if (context.activity.type !== ActivityTypes.Message) return work();
  const { delayMs, refreshMs } = { ...DEFAULTS, ...options };
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  let pending: Promise<unknown> = Promise.resolve();
  const stop = () => {
    done = true;
    clearTimeout(timer);
  };
  const schedule = (ms: number) => {
    timer = setTimeout(() => {
      if (done) return;
      pending = context
        .sendActivity({ type: ActivityTypes.Typing })
        .catch(() => undefined)
        .then(() => !done && schedule(refreshMs));
    }, ms);
    timer.unref();
  };
  context.onSendActivities(async (_ctx, activities, next) => {
    // A message, or the first activity of a streamed answer (which shows its own progress).
    if (activities.some((a) => a.type === ActivityTypes.Message || streamTypeOf(a))) stop();
    return next();
  });
  schedule(delayMs);
  try {
    return await work();
  } finally {
    stop();
    await pending;
  }
}
