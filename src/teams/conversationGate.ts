import type { Activity } from 'botbuilder';

/**
 * Decides whether the bot should act on an activity at all. In team channels and group
 * chats the bot speaks only when @mentioned (Teams may deliver other messages, e.g. with
 * RSC permissions); in personal chat every message is for the bot.
 */
export function isAddressedToBot(activity: Partial<Activity>): boolean {
  if (activity.type !== 'message') return true;
  const conversationType = activity.conversation?.conversationType;
  if (conversationType !== 'channel' && conversationType !== 'groupChat') return true;
  // Card submits (Action.Submit) in channels arrive as messages with a value and no text.
  if (activity.value !== undefined && !activity.text) return true;
  return mentionsRecipient(activity);
}

function mentionsRecipient(activity: Partial<Activity>): boolean {
  const botId = activity.recipient?.id;
  if (!botId) return false;
  return (activity.entities ?? []).some(
    (e) => e?.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id === botId,
  );
}
