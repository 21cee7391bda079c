import { ActivityTypes, type TurnContext } from 'botbuilder';
import { sha256Hex, type HandledActivity, type InboundActivityLog } from '../storage';
import { logger } from '../observability/logger';
import { repliesIn } from '../replies';
import { activityTranslator } from './failureReply';
import { errorCard } from './cards/errorCard';
import { memberKey } from './audience';

type DedupVerdict = 'handled' | 'duplicate';

/**
 * Handles an inbound activity once per (conversation id, activity id), so a redelivery by Teams
 * (it retries when the bot did not answer in time) gets HTTP 200 and no second reply or draft.
 *
 * Run it inside the conversation lease: turns of one conversation are serialised across instances,
 * so a marker written at the end of the first delivery is visible to a retry waiting on the lease,
 * and a delivery whose instance died mid-turn left no marker and is processed again by the retry.
 * The marker is written after `run` (which writes the transcript): nothing acknowledged is skipped.
 * When the log is unreachable the turn is processed anyway (a duplicate beats a lost message).
 */
export async function oncePerActivity(
  log: InboundActivityLog,
  context: TurnContext,
  run: () => Promise<void>,
): Promise<DedupVerdict> {
  const a = context.activity;
  const conversationId = a.conversation?.id;
  const activityId = a.id;
  if (!conversationId || !activityId) {
    await run();
    return 'handled';
  }
  let earlier: HandledActivity | undefined;
  try {
    earlier = await log.find(conversationId, activityId);
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'inbound dedup log unavailable; processing the activity');
  }
  const member = sha256Hex(memberKey(a));
  if (earlier) {
    logger.info({ handledAt: earlier.handledAt }, 'duplicate inbound activity ignored');
    if (a.type === ActivityTypes.Invoke) await answerRetriedInvoke(context, earlier, member);
    return 'duplicate';
  }

  let invokeResponse: HandledActivity['invokeResponse'];
  context.onSendActivities(async (_ctx, activities, next) => {
    for (const out of activities) {
      if (out.type === ActivityTypes.InvokeResponse) invokeResponse = out.value as typeof invokeResponse;
    }
    return next();
  });
  await run();
  try {
    const first = await log.record(conversationId, activityId, {
      member,
      handledAt: new Date().toISOString(),
      ...(invokeResponse ? { invokeResponse } : {}),
    });
    if (!first) logger.warn('inbound activity was handled twice (its marker already existed)');
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'inbound dedup marker not written');
  }
  return 'handled';
}

/**
 * A retried card click still needs an invoke response (Teams shows an error without one): the same
 * response the first click got, to the same member only; anyone else gets a neutral card.
 */
async function answerRetriedInvoke(
  context: TurnContext,
  earlier: HandledActivity,
  member: string,
): Promise<void> {
  const said = repliesIn(activityTranslator(context.activity));
  const value =
    earlier.invokeResponse && earlier.member === member
      ? earlier.invokeResponse
      : {
          status: 200,
          body: {
            statusCode: 200,
            type: 'application/vnd.microsoft.card.adaptive',
            value: errorCard(said.alreadyHandled, said.alreadyHandledTitle),
          },
        };
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value });
}
