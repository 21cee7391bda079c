import {
  type Activity,
  type CloudAdapterBase,
  type ConversationParameters,
  type ConversationReference,
} from 'botbuilder';
import type { ConversationAddress } from '../notifications/address';

/** The address of the conversation an inbound activity belongs to (no user, no activity id). */
export function addressOf(activity: {
  serviceUrl?: string;
  channelId?: string;
  conversation?: { id: string; conversationType?: string; tenantId?: string };
  recipient?: { id?: string; name?: string };
}): ConversationAddress {
  const conversation = activity.conversation;
  if (!activity.serviceUrl || !conversation?.id)
    throw new TypeError('activity has no serviceUrl or conversation');
  return {
    channelId: activity.channelId ?? 'msteams',
    serviceUrl: activity.serviceUrl,
    conversationId: conversation.id,
    ...(conversation.conversationType ? { conversationType: conversation.conversationType } : {}),
    ...(conversation.tenantId ? { tenantId: conversation.tenantId } : {}),
    ...(activity.recipient?.id ? { botId: activity.recipient.id } : {}),
    ...(activity.recipient?.name ? { botName: activity.recipient.name } : {}),
  };
}

function referenceFor(address: ConversationAddress): Partial<ConversationReference> {
  return {
    channelId: address.channelId,
    serviceUrl: address.serviceUrl,
    conversation: {
      id: address.conversationId,
      conversationType: address.conversationType ?? 'personal',
      isGroup: address.conversationType !== undefined && address.conversationType !== 'personal',
      tenantId: address.tenantId,
      name: '',
    },
    ...(address.botId ? { bot: { id: address.botId, name: address.botName ?? '' } } : {}),
  };
}

/**
 * Messages the bot sends outside a turn (proactive messages): into a stored conversation, or into a
 * new 1:1 chat with a user. Signed with the bot's credentials like every reply (BOT_ID set), and only
 * ever to a serviceUrl that came from an authenticated inbound activity.
 */
export class ProactiveMessenger {
  constructor(
    private readonly adapter: CloudAdapterBase,
    /** BOT_ID, or '' when channel authentication is off (local use). */
    private readonly botAppId: string,
  ) {}

  /** Sends `activity` into the conversation at `address`; resolves with the new activity's id. */
  async send(address: ConversationAddress, activity: Partial<Activity>): Promise<string | undefined> {
    let id: string | undefined;
    // Caught inside the turn: a thrown send would otherwise go to the adapter's onTurnError (which
    // answers users and swallows it), and a refused send (403, the bot removed) would look like success.
    let failure: { err: unknown } | undefined;
    await this.adapter.continueConversationAsync(this.botAppId, referenceFor(address), async (context) => {
      try {
        // A new message, not a reply: the synthetic turn's random activity id must not become replyToId.
        context.onSendActivities(async (_ctx, activities, next) => {
          for (const a of activities) delete a.replyToId;
          return next();
        });
        id = (await context.sendActivity(activity))?.id;
      } catch (err) {
        failure = { err };
      }
    });
    if (failure) throw failure.err;
    return id;
  }

  /**
   * Opens (or reopens: Teams returns the existing one) the 1:1 chat between the bot and `userId` (the
   * user's Teams channel account id, `29:…`) in the tenant of `from`, and returns its address.
   */
  async openPersonalChat(from: ConversationAddress, userId: string): Promise<ConversationAddress> {
    const parameters = {
      isGroup: false,
      bot: { id: from.botId ?? this.botAppId, name: from.botName ?? '' },
      members: [{ id: userId, name: '' }],
      tenantId: from.tenantId,
      channelData: from.tenantId ? { tenant: { id: from.tenantId } } : undefined,
    } as ConversationParameters;
    let address: ConversationAddress | undefined;
    await this.adapter.createConversationAsync(
      this.botAppId,
      from.channelId,
      from.serviceUrl,
      // Bot Framework's public audience; the adapter signs outbound calls for it when BOT_ID is set.
      'https://api.botframework.com',
      parameters,
      async (context) => {
        address = { ...addressOf(context.activity), conversationType: 'personal' };
      },
    );
    if (!address) throw new Error('the connector did not open a conversation');
    return address;
  }
}
