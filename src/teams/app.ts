import { ActivityTypes, MessageFactory, type Storage, type TurnContext } from 'botbuilder';
import { Application, TurnState } from '@microsoft/teams-ai';
import type { ActionPlanner, TeamsAdapter } from '@microsoft/teams-ai';
import { replies } from '../replies';
import { exceedsCharacters } from '../text/characters';
import { sendFailureReply } from './failureReply';
import { welcomeCard } from './welcomeCard';
import { logger } from '../observability/logger';
import { clearConversationFor, withMemberHistory } from './audience';
import { failureShownInStream, runWithStream } from './streaming';
import { renderStreamedReplies } from './streamRenderer';
import { KNOWLEDGE_CITATIONS } from '../planner/knowledgeDataSource';
import type { Citation } from '../knowledge';

export interface ConversationData {
  welcomed?: boolean;
  [key: string]: unknown;
}
export interface TempData {
  memoryText?: string;
  [key: string]: unknown;
}
export type BotTurnState = TurnState<
  ConversationData,
  Record<string, unknown>,
  TempData & import('@microsoft/teams-ai').DefaultTempState
>;

/**
 * Turn state whose user scope is never stored. The bot keeps nothing per user (no SSO sign-in
 * state; memory is per conversation), so reading `{channel}/{bot}/users/{id}` from Cosmos on every
 * turn would be a point read that always finds nothing. teams-ai still reads `state.user` (its
 * sign-in check), so the scope exists, empty, for the turn; it is neither read nor written.
 */
export class ConversationTurnState extends TurnState<
  ConversationData,
  Record<string, unknown>,
  TempData & import('@microsoft/teams-ai').DefaultTempState
> {
  override async load(context: TurnContext, storage?: Storage): Promise<boolean> {
    return super.load(context, storage && (await this.withoutUserScope(context, storage)));
  }

  override async save(context: TurnContext, storage?: Storage): Promise<void> {
    return super.save(context, storage && (await this.withoutUserScope(context, storage)));
  }

  private async withoutUserScope(context: TurnContext, storage: Storage): Promise<Storage> {
    const { user } = await this.onComputeStorageKeys(context);
    return {
      read: (keys) => storage.read(keys.filter((k) => k !== user)),
      write: (changes) =>
        storage.write(Object.fromEntries(Object.entries(changes).filter(([k]) => k !== user))),
      delete: (keys) => storage.delete(keys.filter((k) => k !== user)),
    };
  }
}

export interface TeamsAppOptions {
  adapter: TeamsAdapter;
  storage: Storage;
  maxMessageChars: number;
  /** Plans ordinary messages (anything that is not a command); without one they get the help text. */
  planner?: ActionPlanner<BotTurnState>;
  /** Prepares turn state the prompt reads (e.g. the rendered memory) before the planner runs. */
  beforeAi?: (context: TurnContext, state: BotTurnState) => Promise<void>;
  /** Called after an ordinary message was answered, with the texts the bot sent (e.g. to update memory). */
  afterMessage?: (context: TurnContext, state: BotTurnState, botReplies: string[]) => Promise<void>;
  /** A short user-facing sentence for a known failure (dependency down, rate limited), if any. */
  describeError?: (error: unknown) => string | undefined;
}

const HELP = /^\s*(help|\?|what can you do\??)\s*$/i;
const RESET = /^\s*(reset|start over|restart)\s*$/i;

/** Builds the teams-ai Application with the routes every conversation type shares. */
export function createTeamsApp(options: TeamsAppOptions): Application<BotTurnState> {
  const app = new Application<BotTurnState>({
    adapter: options.adapter,
    storage: options.storage,
    removeRecipientMention: true,
    // Typing is sent per turn by withTyping (see typing.ts).
    startTypingTimer: false,
    turnStateFactory: () => new ConversationTurnState(),
    ...(options.planner ? { ai: { planner: options.planner, allow_looping: true, max_actions: 8 } } : {}),
  });

  app.conversationUpdate('membersAdded', async (context, state) => {
    const botId = context.activity.recipient?.id;
    const botAdded = (context.activity.membersAdded ?? []).some((m) => m.id === botId);
    if (botAdded) await sendWelcomeOnce(context, state);
  });

  app.activity(ActivityTypes.InstallationUpdate, async (context, state) => {
    const action = String(context.activity.action ?? '');
    if (action === 'add' || action === 'add-upgrade') await sendWelcomeOnce(context, state);
  });

  app.activity(ActivityTypes.Message, async (context, state) => {
    const text = (context.activity.text ?? '').trim();
    if (exceedsCharacters(text, options.maxMessageChars)) {
      await context.sendActivity(replies.tooLong(options.maxMessageChars));
      return;
    }
    if (hasUserFileAttachments(context)) {
      await context.sendActivity(replies.unsupportedAttachment);
      if (!text) return;
    }
    if (!text && context.activity.value === undefined) {
      await context.sendActivity(replies.help);
      return;
    }
    if (HELP.test(text)) {
      await context.sendActivity(replies.help);
      return;
    }
    if (RESET.test(text)) {
      await context.sendActivity(clearConversationFor(context, state));
      return;
    }
    if (!options.planner) {
      await context.sendActivity(replies.help);
      return;
    }
    // Streamed replies (1:1 chats) get their citations before anything below reads their text.
    renderStreamedReplies(
      context,
      () => (state.getValue(KNOWLEDGE_CITATIONS) as Citation[] | undefined) ?? [],
    );
    const sent: string[] = [];
    context.onSendActivities(async (_ctx, activities, next) => {
      for (const a of activities) if (a.type === ActivityTypes.Message && a.text) sent.push(a.text);
      return next();
    });
    state.temp.input = text;
    await options.beforeAi?.(context, state);
    await withMemberHistory(context, state, () =>
      runWithStream(
        context,
        state,
        () => app.ai.run(context, state),
        (error) => options.describeError?.(error) ?? replies.turnFailed,
      ),
    );
    await options.afterMessage?.(context, state, sent);
  });

  app.error(async (context, error) => {
    const known = options.describeError?.(error);
    if (known) logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'turn degraded');
    else logger.error({ err: error, activityId: context.activity.id }, 'turn failed');
    // A streamed answer that failed already ended with the failure sentence.
    if (!failureShownInStream(context)) await sendFailureReply(context, known ?? replies.turnFailed);
  });

  return app;
}

async function sendWelcomeOnce(context: TurnContext, state: BotTurnState): Promise<void> {
  // Teams sends both conversationUpdate and installationUpdate on install: welcome once.
  if (state.conversation.welcomed) return;
  state.conversation.welcomed = true;
  const inChannel = context.activity.conversation?.conversationType !== 'personal';
  await context.sendActivity(MessageFactory.attachment(welcomeCard({ inChannel })));
}

/** File uploads and images; Teams adds an HTML copy of the message as an attachment, which is not a file. */
function hasUserFileAttachments(context: TurnContext): boolean {
  return (context.activity.attachments ?? []).some(
    (a) => a.contentType !== 'text/html' && !a.contentType?.startsWith('application/vnd.microsoft.card'),
  );
}
