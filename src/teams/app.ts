import { ActivityTypes, MessageFactory, type Storage, type TurnContext } from 'botbuilder';
import { Application, TurnState } from '@microsoft/teams-ai';
import type { ActionPlanner, TeamsAdapter } from '@microsoft/teams-ai';
import { replies, repliesIn } from '../replies';
import { exceedsCharacters } from '../text/characters';
import { activityTranslator, commandTranslator, sendFailureReply } from './failureReply';
import { welcomeCard } from './welcomeCard';
import { translator } from '../text/i18n';
import { turnLanguage } from '../text/language';
import { logger } from '../observability/logger';
import { RESET_COMMAND, resetConversation, withMemberHistory } from './audience';
import type { TextCommand } from './supportCommand';
import { welcomeDecision, type WelcomeState } from './welcomePolicy';
import { failureShownInStream, runWithStream } from './streaming';
import { renderStreamedReplies } from './streamRenderer';
import { KNOWLEDGE_CITATIONS } from '../planner/memoryKeys';
import type { Citation, SensitivityLabels } from '../knowledge';

export interface ConversationData extends WelcomeState {
  [key: string]: unknown;
}
export interface TempData {
  memoryText?: string;
  /** The user's message as the planner got it (set only for turns that reach the planner). */
  userText?: string;
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
  /** Labels of restricted sources, put on streamed answers as the SAY action puts them on whole ones. */
  sensitivityLabels?: SensitivityLabels;
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
  /** Exact commands answered without the model (e.g. `register support channel`). */
  commands?: TextCommand[];
}

const HELP = /^\s*(help|\?|what can you do\??)\s*$/i;

/** Builds the teams-ai Application with the routes every conversation type shares. */
export function createTeamsApp(options: TeamsAppOptions): Application<BotTurnState> {
  const app = new Application<BotTurnState>({
    adapter: options.adapter,
    storage: options.storage,
    removeRecipientMention: true,
    // Typing is sent per turn by withTyping (see typing.ts).
    startTypingTimer: false,
    turnStateFactory: () => new ConversationTurnState(),
    // enable_feedback_loop: thumbs up/down under AI answers (our SAY action sends the channelData;
    // the reactions are stored by feedbackRoute.ts).
    ...(options.planner
      ? { ai: { planner: options.planner, allow_looping: true, max_actions: 8, enable_feedback_loop: true } }
      : {}),
  });

  registerWelcome(app);
  app.activity(ActivityTypes.Message, messageHandler(app, options));

  app.error(async (context, error) => {
    const known = options.describeError?.(error);
    if (known) logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'turn degraded');
    else logger.error({ err: error, activityId: context.activity.id }, 'turn failed');
    // A streamed answer that failed already ended with the failure sentence.
    if (!failureShownInStream(context)) await sendFailureReply(context, known ?? replies.turnFailed);
  });

  return app;
}

/** Welcome card when the bot is added to a conversation or installed (see sendWelcome). */
function registerWelcome(app: Application<BotTurnState>): void {
  app.conversationUpdate('membersAdded', async (context, state) => {
    const botId = context.activity.recipient?.id;
    const botAdded = (context.activity.membersAdded ?? []).some((m) => m.id === botId);
    if (botAdded) await sendWelcome(context, state);
  });

  app.activity(ActivityTypes.InstallationUpdate, async (context, state) => {
    const action = String(context.activity.action ?? '');
    if (action === 'add' || action === 'add-upgrade') await sendWelcome(context, state);
  });
}

type MessageHandler = (context: TurnContext, state: BotTurnState) => Promise<void>;

/** A message: fixed answers (too long, attachments, help, reset, commands) or the planner. */
function messageHandler(app: Application<BotTurnState>, options: TeamsAppOptions): MessageHandler {
  return async (context, state) => {
    const text = (context.activity.text ?? '').trim();
    // The conversation has history now (set once: no state write per turn for it).
    state.conversation.firstMessageAt ??= new Date().toISOString();
    // Replies before the model runs: the text's script, else the client's locale.
    const said = repliesIn(activityTranslator(context.activity));
    if (exceedsCharacters(text, options.maxMessageChars)) {
      await context.sendActivity(said.tooLong(options.maxMessageChars));
      return;
    }
    if (hasUserFileAttachments(context)) {
      await context.sendActivity(said.unsupportedAttachment);
      if (!text) return;
    }
    if (!text && context.activity.value === undefined) {
      await context.sendActivity(said.help);
      return;
    }
    if (HELP.test(text)) {
      await context.sendActivity(repliesIn(commandTranslator(context.activity)).help);
      return;
    }
    if (RESET_COMMAND.test(text)) {
      await resetConversation(context, state);
      return;
    }
    const command = options.commands?.find((c) => c.pattern.test(text));
    if (command) {
      await command.run(context);
      return;
    }
    if (!options.planner) {
      await context.sendActivity(said.help);
      return;
    }
    // Streamed replies (1:1 chats) get their citations before anything below reads their text.
    renderStreamedReplies(
      context,
      () => (state.getValue(KNOWLEDGE_CITATIONS) as Citation[] | undefined) ?? [],
      options.sensitivityLabels,
    );
    const sent: string[] = [];
    context.onSendActivities(async (_ctx, activities, next) => {
      for (const a of activities) if (a.type === ActivityTypes.Message && a.text) sent.push(a.text);
      return next();
    });
    state.temp.input = text;
    // teams-ai overwrites temp.input with tool outputs; afterTurn hooks read the user's words here.
    state.temp.userText = text;
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
  };
}

async function sendWelcome(context: TurnContext, state: BotTurnState): Promise<void> {
  // Once per install (Teams sends both conversationUpdate and installationUpdate), and again when
  // a conversation with nothing said in it is opened again (see welcomePolicy.ts).
  const decision = welcomeDecision(state.conversation, context.activity.type);
  state.conversation.welcomeEvents = decision.eventsSinceWelcome;
  if (!decision.send) return;
  state.conversation.welcomed = true;
  state.conversation.welcomedAt = new Date().toISOString();
  const inChannel = context.activity.conversation?.conversationType !== 'personal';
  // An install carries no text: the client's locale picks the language (English otherwise).
  const tr = translator(turnLanguage('', context.activity.locale));
  await context.sendActivity(MessageFactory.attachment(welcomeCard({ inChannel }, tr)));
}

/** File uploads and images; Teams adds an HTML copy of the message as an attachment, which is not a file. */
function hasUserFileAttachments(context: TurnContext): boolean {
  return (context.activity.attachments ?? []).some(
    (a) => a.contentType !== 'text/html' && !a.contentType?.startsWith('application/vnd.microsoft.card'),
  );
}
