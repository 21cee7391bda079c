import { turnStateConversationKey, withConversationLease, type ConversationLease } from '../../storage';
import { turnStep, type TurnStep } from './step';

/**
 * A turn holds its conversation's lease for at most 10 s without renewal (renewed every ttl/3
 * while it runs), so a crashed instance blocks its conversations briefly; a waiting turn gives up
 * after 8 s (LeaseTimeoutError: the storage apology), inside Teams' 15 s window.
 */
export const LEASE_OPTIONS = { ttlMs: 10_000, waitMs: 8_000 };

/** One turn of a conversation at a time across every instance: no lost state updates. */
export function conversationLease(leases: ConversationLease): TurnStep {
  return turnStep('conversationLease', (context, next) => {
    const a = context.activity;
    const key = turnStateConversationKey(
      a.channelId ?? 'msteams',
      a.recipient?.id ?? 'bot',
      a.conversation?.id ?? 'unknown',
    );
    return withConversationLease(leases, key, next, LEASE_OPTIONS);
  });
}
