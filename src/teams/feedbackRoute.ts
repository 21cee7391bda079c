import { ActivityTypes, TeamsInfo, type TurnContext } from 'botbuilder';
import type { Application, FeedbackLoopData } from '@microsoft/teams-ai';
import {
  StorageUnavailableError,
  type AnsweredTurn,
  type TranscriptEntry,
  type TranscriptFeedback,
} from '../storage';
import { logger } from '../observability/logger';
import { getMetrics } from '../observability/metrics';
import { isSharedConversation } from './audience';
import type { BotTurnState } from './app';

/** The part of the transcript store the feedback route needs. */
interface FeedbackStore {
  findTurnByReply(conversationId: string, replyActivityId: string): Promise<AnsweredTurn | undefined>;
  list(conversationId: string): Promise<TranscriptEntry[]>;
  saveFeedback(entry: TranscriptEntry & { feedback: TranscriptFeedback }): Promise<{ updated: boolean }>;
}

type Reaction = TranscriptFeedback['reaction'];

/** Why a reaction was not stored; the invoke answers with this status (Teams shows its own error). */
type FeedbackRefusal =
  | { status: 400; code: 'invalid_feedback' }
  | { status: 403; code: 'not_a_member' | 'no_user_id' }
  | { status: 404; code: 'answer_not_found' };

/** Teams' feedback invoke: the thumbs up/down under an AI answer (the selector app.feedbackLoop uses). */
function isFeedbackInvoke(context: TurnContext): boolean {
  const a = context.activity;
  return (
    a.type === ActivityTypes.Invoke &&
    a.name === 'message/submitAction' &&
    (a.value as { actionName?: unknown } | undefined)?.actionName === 'feedback'
  );
}

/**
 * Thumbs up/down under AI answers (`channelData.feedbackLoopEnabled` on the SAY message). The
 * reaction and optional text are stored with the answered turn's transcript: the turn is found by
 * the invoke's replyToId (the answer's activity id, recorded on its bot_reply entry), and the
 * reaction is one document per member and answer, so a second click replaces the first.
 *
 * An invoke without replyToId (the Microsoft 365 Agents Playground 0.2.28: its client knows the
 * message id but posts only {name, from, conversation, value} to its server) rates, in a 1:1 chat only, the latest
 * answer of that chat that showed the buttons, and the stored reaction says so (`answerInferred`).
 * Teams always sends replyToId; in a shared conversation the latest answer may be someone else's
 * reply to someone else, so there a missing id is refused.
 *
 * Only someone who could see the answer may rate it: in a 1:1 chat the person who asked, in a
 * shared conversation a member of it (checked against the Teams roster). Anything else is refused
 * and stores nothing.
 *
 * Registered with app.addRoute and the same selector as teams-ai's app.feedbackLoop, because
 * app.feedbackLoop always answers 200 after its handler: a refused or malformed reaction must get
 * its own status.
 */
export function registerFeedbackRoute(app: Application<BotTurnState>, store: FeedbackStore): void {
  app.addRoute(
    async (context) => isFeedbackInvoke(context),
    async (context) => {
      let outcome: Awaited<ReturnType<typeof handleFeedback>>;
      try {
        outcome = await handleFeedback(context, store);
      } catch (err) {
        if (!(err instanceof StorageUnavailableError)) throw err;
        logger.warn({ err: err.message }, 'feedback not stored: conversation store unavailable');
        await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 503 } });
        return;
      }
      const status = 'refused' in outcome ? outcome.refused.status : 200;
      if ('refused' in outcome)
        logger.warn(
          { code: outcome.refused.code, replyToId: context.activity.replyToId },
          'feedback refused',
        );
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: 'refused' in outcome ? { status, body: { code: outcome.refused.code } } : { status },
      });
    },
    true,
  );
}

async function handleFeedback(
  context: TurnContext,
  store: FeedbackStore,
): Promise<{ stored: Reaction; updated: boolean } | { refused: FeedbackRefusal }> {
  const a = context.activity;
  const parsed = parseFeedback(a.value, a.replyToId);
  if (!parsed) return { refused: { status: 400, code: 'invalid_feedback' } };
  const member = a.from?.aadObjectId;
  if (!member) return { refused: { status: 403, code: 'no_user_id' } };
  const conversationId = a.conversation?.id ?? '';
  if (!conversationId) return { refused: { status: 400, code: 'invalid_feedback' } };

  const answerInferred = !parsed.replyToId;
  if (answerInferred && isSharedConversation(a))
    return { refused: { status: 400, code: 'invalid_feedback' } };
  const replyToId = parsed.replyToId ?? (await latestRatableAnswer(store, conversationId));
  if (!replyToId) return { refused: { status: 404, code: 'answer_not_found' } };

  const turn = await store.findTurnByReply(conversationId, replyToId);
  const answer = turn?.entries.find(
    (e) => e.kind === 'bot_reply' && e.replyActivityId === replyToId && e.feedbackLoop,
  );
  if (!turn || !answer) return { refused: { status: 404, code: 'answer_not_found' } };
  if (!(await couldSeeAnswer(context, turn, member)))
    return { refused: { status: 403, code: 'not_a_member' } };

  const now = new Date().toISOString();
  const { updated } = await store.saveFeedback({
    conversationId: turn.conversationId,
    activityId: turn.activityId,
    kind: 'feedback',
    timestamp: now,
    userAadObjectId: member,
    tenantId: a.conversation?.tenantId,
    feedback: {
      reaction: parsed.reaction,
      ...(parsed.text ? { text: parsed.text } : {}),
      replyActivityId: replyToId,
      firstAt: now,
      ...(answerInferred ? { answerInferred: true } : {}),
    },
  });
  getMetrics().feedback.inc({ reaction: parsed.reaction });
  logger.info(
    { reaction: parsed.reaction, updated, withText: Boolean(parsed.text), answerInferred },
    'feedback stored',
  );
  return { stored: parsed.reaction, updated };
}

/** The replyActivityId of the conversation's latest answer that offered the feedback buttons. */
async function latestRatableAnswer(
  store: FeedbackStore,
  conversationId: string,
): Promise<string | undefined> {
  const entries = await store.list(conversationId);
  return entries.filter((e) => e.kind === 'bot_reply' && e.feedbackLoop && e.replyActivityId).at(-1)
    ?.replyActivityId;
}

/**
 * 1:1 chat: its only human member asked the question. Shared conversation: the roster decides
 * (the clicker must be a member now); a roster lookup that fails refuses rather than trusts.
 */
async function couldSeeAnswer(context: TurnContext, turn: AnsweredTurn, member: string): Promise<boolean> {
  if (!isSharedConversation(context.activity)) {
    const asker = turn.entries.find((e) => e.userAadObjectId)?.userAadObjectId;
    return asker === member;
  }
  try {
    const account = await TeamsInfo.getMember(context, context.activity.from.id);
    return account?.aadObjectId === member || account?.id === context.activity.from.id;
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'feedback: roster lookup failed; refused');
    return false;
  }
}

/**
 * Teams sends `feedback` as a JSON string `{"feedbackText": "..."}` (or an object); text is optional.
 * A missing (or empty) replyToId is returned as absent; a malformed one makes the invoke invalid.
 */
export function parseFeedback(
  value: unknown,
  replyToId: unknown,
): { reaction: Reaction; text?: string; replyToId?: string } | undefined {
  const data = value as Partial<FeedbackLoopData> | undefined;
  const reaction = data?.actionValue?.reaction;
  if (reaction !== 'like' && reaction !== 'dislike') return undefined;
  if (replyToId !== undefined && replyToId !== null && replyToId !== '') {
    if (typeof replyToId !== 'string' || replyToId.length > 512) return undefined;
  }
  const answerId = typeof replyToId === 'string' && replyToId ? replyToId : undefined;
  let raw: unknown = data?.actionValue?.feedback;
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw) as unknown;
    } catch {
      /* plain text */
    }
  }
  const text =
    typeof raw === 'string'
      ? raw
      : typeof (raw as { feedbackText?: unknown } | undefined)?.feedbackText === 'string'
        ? (raw as { feedbackText: string }).feedbackText
        : undefined;
  const trimmed = text?.trim();
  return { reaction, ...(answerId ? { replyToId: answerId } : {}), ...(trimmed ? { text: trimmed } : {}) };
}
