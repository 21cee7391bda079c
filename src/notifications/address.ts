/**
 * Where a conversation lives, captured from an inbound activity so the bot can write to it later
 * (a ticket update for its requester, a handoff notice into the support channel). Plain JSON: it is
 * stored with the record it belongs to, and the core never needs Teams types to keep one.
 */
export interface ConversationAddress {
  channelId: string;
  /** The connector the activity came from; only ever taken from an authenticated inbound activity. */
  serviceUrl: string;
  conversationId: string;
  conversationType?: string;
  tenantId?: string;
  /** The bot's own channel account id in that conversation (`28:<app id>` in Teams). */
  botId?: string;
  botName?: string;
  /** The language the person wrote in there: what is sent later (ticket updates) is in it. */
  language?: 'en' | 'zh-CN';
}
