import { ActivityTypes, MessageFactory, type Storage, type TurnContext } from 'botbuilder';
import { Application, TurnState } from '@microsoft/teams-ai';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import { replies } from './replies';
import { welcomeCard } from './welcomeCard';
import { logger } from '../observability/logger';

export interface ConversationData {
  welcomed?: boolean;
  [key: string]: unknown;
}
export type BotTurnState = TurnState<ConversationData>;

export interface TeamsAppOptions {
  adapter: TeamsAdapter;
  storage: Storage;
  maxMessageChars: number;
  /**
   * Handles an ordinary message (anything that is not a command). Until intent routing
   * is wired in, the default answers with the help text.
   */
  onMessage?: (context: TurnContext, state: BotTurnState) => Promise<void>;
  /** Called after `reset` cleared the conversation state (e.g. to drop model memory). */
  onReset?: (context: TurnContext) => Promise<void>;
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
    turnStateFactory: () => new TurnState<ConversationData>(),
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
    if (text.length > options.maxMessageChars) {
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
      state.deleteConversationState();
      await options.onReset?.(context);
      await context.sendActivity(replies.reset);
      return;
    }
    if (options.onMessage) {
      await options.onMessage(context, state);
    } else {
      await context.sendActivity(replies.help);
    }
  });

  app.error(async (context, error) => {
    logger.error({ err: error, activityId: context.activity.id }, 'turn failed');
    if (context.activity.type === ActivityTypes.Message) {
      await context.sendActivity(MessageFactory.text(replies.turnFailed)).catch(() => undefined);
    }
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
