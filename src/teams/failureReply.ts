import { ActivityTypes, type TurnContext } from 'botbuilder';
import { errorCard } from './cards/errorCard';

/**
 * Tells the user a turn failed, in the form the activity expects: a text message for a message,
 * an error card as the invoke response for a card click (Action.Execute), which otherwise gets
 * HTTP 501 `not_implemented` and a broken card, and a note for a compose-box search
 * (composeExtension invoke). Other activity types get nothing.
 */
export async function sendFailureReply(context: TurnContext, message: string): Promise<void> {
  const a = context.activity;
  if (a.type === ActivityTypes.Message) {
    await context.sendActivity(message).catch(() => undefined);
  } else if (a.type === ActivityTypes.Invoke && a.name === 'adaptiveCard/action') {
    await context
      .sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: {
          status: 200,
          body: {
            statusCode: 200,
            type: 'application/vnd.microsoft.card.adaptive',
            value: errorCard(message),
          },
        },
      })
      .catch(() => undefined);
  } else if (a.type === ActivityTypes.Invoke && a.name?.startsWith('composeExtension/')) {
    // The compose box shows a message result as a note in place of search results.
    await context
      .sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 200, body: { composeExtension: { type: 'message', text: message } } },
      })
      .catch(() => undefined);
  }
}
