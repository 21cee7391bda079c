import { MiddlewareSet, type TurnContext } from 'botbuilder';
import type { GroupDirectory } from '../../knowledge';
import type { BotMetrics } from '../../observability/metrics';
import type { TurnRateLimiter } from '../../security/rateLimiter';
import type { ConversationLease, InboundActivityLog, TranscriptModelPath } from '../../storage';
import type { ProactiveMessenger } from '../proactive';
import { addressedToBot } from './addressedToBot';
import { conversationLease } from './conversationLease';
import { trackInFlight } from './inFlight';
import { turnMetrics } from './metrics';
import { oncePerActivity } from './oncePerActivity';
import { rateLimit } from './rateLimit';
import type { TurnStep } from './step';
import { recordTranscript } from './transcript';
import { provideTurnServices } from './turnServices';
import { showTyping } from './typing';
import { storageApology } from './storageApology';

export { turnServices, TURN_SERVICES, type TurnServices } from './turnServices';
export type { TurnStep } from './step';

/** What the pipeline runs on (parts of the composed services). */
export interface TurnPipelineDeps {
  metrics: BotMetrics;
  limiter: TurnRateLimiter;
  transcripts: Parameters<typeof recordTranscript>[0];
  modelPath: TranscriptModelPath;
  leases: ConversationLease;
  inbound: InboundActivityLog;
  groups: Pick<GroupDirectory, 'groupsOf'>;
  proactive: ProactiveMessenger;
}

export interface TurnPipeline {
  /** The steps in the order they run (each a botbuilder Middleware). */
  steps: readonly TurnStep[];
  /** Runs one activity through the steps, then `handler` (the Teams app). */
  onTurn(context: TurnContext): Promise<void>;
  /** Turns still running; graceful shutdown waits for these (up to a deadline). */
  inFlight: Set<Promise<void>>;
}

/**
 * What happens to an activity, top to bottom. Each step is a botbuilder Middleware that does its
 * part around `await next()`; a step that answers itself (not addressed, rate limited) does not
 * call next. Run through a MiddlewareSet of its own, not `adapter.use`: the adapter's middleware
 * also runs for proactive sends (ticket updates, private answers), which are not turns.
 */
export function turnSteps(deps: TurnPipelineDeps, inFlight: Set<Promise<void>>): TurnStep[] {
  return [
    turnMetrics(deps.metrics),
    trackInFlight(inFlight),
    addressedToBot(),
    rateLimit(deps.limiter, deps.metrics),
    recordTranscript(deps.transcripts, deps.modelPath, deps.metrics),
    storageApology(),
    showTyping(),
    conversationLease(deps.leases),
    oncePerActivity(deps.inbound),
    provideTurnServices(deps.groups, deps.proactive),
  ];
}

export function createTurnPipeline(
  deps: TurnPipelineDeps,
  handler: (context: TurnContext) => Promise<unknown>,
): TurnPipeline {
  const inFlight = new Set<Promise<void>>();
  const steps = turnSteps(deps, inFlight);
  const set = new MiddlewareSet(...steps);
  return {
    steps,
    inFlight,
    onTurn: (context) =>
      set.run(context, async () => {
        await handler(context);
      }),
  };
}
