import type { Activity, TurnContext } from 'botbuilder';
import { logger } from '../observability/logger';
import { addressOf, type ProactiveMessenger } from './proactive';

/**
 * Sends `message` to the asker of this turn in their 1:1 chat with the bot (opened, or reopened,
 * proactively): what a shared conversation must not see — a restricted answer, order details —
 * goes to the one member who may see it. Resolves false when the chat cannot be opened or written
 * (e.g. the app is not installed for the user): the caller then falls back to an offer.
 */
export async function deliverPrivately(
  proactive: ProactiveMessenger,
  context: TurnContext,
  message: Partial<Activity>,
): Promise<{ conversationId: string } | undefined> {
  const userId = context.activity.from?.id;
  if (!userId) return undefined;
  try {
    const chat = await proactive.openPersonalChat(addressOf(context.activity), userId);
    await proactive.send(chat, message);
    return { conversationId: chat.conversationId };
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'could not open or write the 1:1 chat; offered one instead');
    return undefined;
  }
}
