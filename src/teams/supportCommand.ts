import type { TurnContext } from 'botbuilder';
import type { BusinessActions } from '../actions';
import type { SupportChannelStore } from '../notifications/supportChannelStore';
import { logger } from '../observability/logger';
import { handoffReplies } from '../replies';
import { turnServices } from './pipeline/turnServices';
import { addressOf } from './proactive';

/** `register support channel` (also "register this as the support chat"), after the @mention is removed. */
const REGISTER_SUPPORT_CHANNEL =
  /^\s*register\s+(?:this\s+(?:as\s+)?)?(?:(?:the|a)\s+)?support\s+(?:channel|chat|conversation)\s*[.!]?\s*$/i;

/** A command the message route runs before the model: `pattern` on the text without the @mention. */
export interface TextCommand {
  pattern: RegExp;
  run(context: TurnContext): Promise<void>;
}

/**
 * Makes the conversation it is sent in the support channel (where handoff notices go). Only the
 * support-agent role may (RBAC permission `support.channel.register`, by Entra object id or group);
 * everyone else is refused and nothing is stored. In a channel the thread part of the id
 * (`;messageid=`) is dropped, so notices start new posts in the channel instead of replying in the thread.
 */
export function registerSupportChannelCommand(
  business: Pick<BusinessActions, 'contextFor' | 'rbac'>,
  channels: SupportChannelStore,
): TextCommand {
  return {
    pattern: REGISTER_SUPPORT_CHANNEL,
    async run(context) {
      const from = context.activity.from ?? { id: '', name: '' };
      const aad = from.aadObjectId ?? '';
      const groups = aad
        ? ((await turnServices(context)
            ?.groups()
            .catch(() => [])) ?? [])
        : [];
      const ctx = business.contextFor(
        { aadObjectId: aad, name: from.name, groupIds: groups },
        context.activity.conversation?.id ?? '',
      );
      if (!aad || !business.rbac.hasPermission(ctx.roles, 'support.channel.register')) {
        logger.warn(
          { conversationType: context.activity.conversation?.conversationType },
          'support channel registration refused',
        );
        await context.sendActivity(handoffReplies.registerRefused);
        return;
      }
      const address = addressOf(context.activity);
      const conversationId = address.conversationId.split(';messageid=')[0]!;
      try {
        await channels.register({ ...address, conversationId }, aad);
      } catch (err) {
        logger.error({ err: String(err) }, 'support channel registration failed');
        await context.sendActivity(handoffReplies.registerUnavailable);
        return;
      }
      await context.sendActivity(handoffReplies.registerDone);
    },
  };
}
