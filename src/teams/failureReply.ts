import { type Activity, ActivityTypes, type TurnContext } from 'botbuilder';
import { errorCard } from './cards/errorCard';
import { inLanguage, isLanguage, translator, type Translator } from '../text/i18n';
import { detectLanguage, languageOfLocale, turnLanguage } from '../text/language';

/**
 * The language of an activity before any model has looked at it (a rate-limited or failed turn):
 * a clicked card's own `lang`, else the text's script, else the client's locale (English otherwise).
 */
export function activityTranslator(activity: Partial<Activity>): Translator {
  const value = activity.value as { action?: { data?: { lang?: unknown } } } | undefined;
  const lang = value?.action?.data?.lang;
  if (isLanguage(lang)) return translator(lang);
  return translator(turnLanguage(String(activity.text ?? ''), activity.locale));
}

/**
 * Tells the user a turn failed, in the form the activity expects: a text message for a message,
 * an error card as the invoke response for a card click (Action.Execute), which otherwise gets
 * HTTP 501 `not_implemented` and a broken card, and a note for a compose-box search
 * (composeExtension invoke). Other activity types get nothing. A fixed catalogue sentence
 * (src/replies.ts, e.g. replies.rateLimited) is said in the activity's language (activityTranslator).
 */
/**
 * The language for the answer to a command word ("help", "reset": English words a Chinese help
 * text tells the user to type): Chinese text is Chinese, otherwise the client's locale decides.
 */
export function commandTranslator(activity: Partial<Activity>): Translator {
  if (detectLanguage(String(activity.text ?? '')) === 'zh-CN') return translator('zh-CN');
  return translator(languageOfLocale(activity.locale) ?? 'en');
}

export async function sendFailureReply(context: TurnContext, englishMessage: string): Promise<void> {
  const a = context.activity;
  const tr = activityTranslator(a);
  const message = inLanguage(englishMessage, tr);
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
            value: errorCard(message, tr.t('errorCard.title')),
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
