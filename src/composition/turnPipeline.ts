import type { TurnContext } from 'botbuilder';
import type { Application } from '@microsoft/teams-ai';
import type { BotTurnState } from '../teams/app';
import { isAddressedToBot } from '../teams/conversationGate';
import { sendFailureReply } from '../teams/failureReply';
import { withTyping } from '../teams/typing';
import { TURN_SERVICES, type TurnServices } from '../teams/aiRoutes';
import { TurnTranscript } from '../teams/transcriptRecorder';
import { oncePerActivity } from '../teams/inboundDedup';
import { deliverPrivately } from '../teams/privateDelivery';
import { turnLogger } from '../observability/logger';
import { setTurnOutcome } from '../observability/turnOutcome';
import type { TurnRateLimiter } from '../security/rateLimiter';
import { replies } from '../replies';
import {
  LeaseTimeoutError,
  StorageUnavailableError,
  turnStateConversationKey,
  withConversationLease,
} from '../storage';
import type { BotServices } from './services';

/**
 * A turn holds its conversation's lease for at most 10 s without renewal (renewed every ttl/3
 * while it runs), so a crashed instance blocks its conversations briefly; a waiting turn gives up
 * after 8 s and apologises, inside Teams' 15 s window.
 */
const LEASE_OPTIONS = { ttlMs: 10_000, waitMs: 8_000 };

export interface TurnPipeline {
  onTurn(context: TurnContext): Promise<void>;
  /** Turns still running; graceful shutdown waits for these (up to a deadline). */
  inFlight: Set<Promise<void>>;
}

/**
 * What happens to an activity, in order: addressed to the bot? → rate limit → transcript and
 * turn services → typing → conversation lease → once per activity → the Teams app → transcript flush.
 */
export function createTurnPipeline(
  services: BotServices,
  app: Application<BotTurnState>,
  limiter: TurnRateLimiter,
): TurnPipeline {
  const inFlight = new Set<Promise<void>>();
  const runTurn = async (context: TurnContext) => {
    if (!(await admit(services, limiter, context))) return;
    const transcript = startTranscript(services, context);
    try {
      await runLeased(services, app, context, transcript);
    } catch (err) {
      if (err instanceof StorageUnavailableError || err instanceof LeaseTimeoutError) {
        // Failed Cosmos calls are counted by the cosmos policy; the turn's transcript (with the
        // apology) goes to the local spool and reaches Cosmos once it is back.
        turnLogger(context.activity).warn({ err: err.message }, 'conversation store unavailable; apologised');
        await sendFailureReply(context, replies.storageUnavailable);
        return;
      }
      throw err;
    } finally {
      await transcript.flush().catch(() => {
        services.metrics.dependencyErrors.inc({ dependency: 'cosmos_transcript' });
      });
    }
  };
  const onTurn = async (context: TurnContext) => {
    const turn = runTurn(context);
    inFlight.add(turn);
    try {
      await turn;
    } finally {
      inFlight.delete(turn);
    }
  };
  return { onTurn, inFlight };
}

/** Only activities addressed to the bot, within the member's and tenant's rate limits, run a turn. */
async function admit(
  services: BotServices,
  limiter: TurnRateLimiter,
  context: TurnContext,
): Promise<boolean> {
  if (!isAddressedToBot(context.activity)) {
    setTurnOutcome(context, 'ignored');
    return false;
  }
  const verdict = await limiter.consume(
    context.activity.from?.aadObjectId ?? context.activity.from?.id ?? 'anonymous',
    context.activity.conversation?.tenantId ?? 'no-tenant',
  );
  if (verdict.allowed) return true;
  setTurnOutcome(context, 'rate_limited');
  services.metrics.rateLimited.inc({ scope: verdict.scope ?? 'user' });
  turnLogger(context.activity).info({ scope: verdict.scope }, 'rate limited');
  await sendFailureReply(context, replies.rateLimited);
  return false;
}

/** The turn's transcript and the per-turn services the routes read (TURN_SERVICES). */
function startTranscript(services: BotServices, context: TurnContext): TurnTranscript {
  const { config, transcripts, groups, proactive } = services;
  const transcript = new TurnTranscript(
    transcripts,
    context,
    config.llm.mode === 'embedded' ? 'embedded' : 'llm',
  );
  const aad = context.activity.from?.aadObjectId;
  const turnServices: TurnServices = {
    transcript,
    groups: () => (aad ? groups.groupsOf(aad) : Promise.resolve([])),
    sendPrivately: async (message) => {
      const sent = await deliverPrivately(proactive, context, message);
      if (sent) transcript.sentElsewhere(message, sent.conversationId);
      return sent !== undefined;
    },
  };
  context.turnState.set(TURN_SERVICES, turnServices);
  transcript.start();
  return transcript;
}

/**
 * One turn of a conversation at a time across every instance: no lost state updates. Inside
 * the lease, a redelivered activity (Teams retry) finds the first delivery's marker.
 */
async function runLeased(
  services: BotServices,
  app: Application<BotTurnState>,
  context: TurnContext,
  transcript: TurnTranscript,
): Promise<void> {
  const a = context.activity;
  const key = turnStateConversationKey(
    a.channelId ?? 'msteams',
    a.recipient?.id ?? 'bot',
    a.conversation?.id ?? 'unknown',
  );
  await withTyping(context, () =>
    withConversationLease(
      services.leases,
      key,
      async () => {
        const verdict = await oncePerActivity(services.inbound, context, async () => {
          await app.run(context);
          // Durable (in the local spool) before the activity counts as handled; sent to Cosmos
          // after the lease is released (the caller's finally), so the lease is not held for it.
          await transcript.persist().catch(() => undefined);
        });
        if (verdict === 'duplicate') {
          transcript.discard();
          setTurnOutcome(context, 'duplicate');
        }
      },
      LEASE_OPTIONS,
    ),
  );
}
