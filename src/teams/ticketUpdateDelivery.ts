import { CardFactory, MessageFactory } from 'botbuilder';
import { logger } from '../observability/logger';
import type { ConversationAddress } from '../notifications/address';
import type { OutboxEntry } from '../tickets/webhook/outboxStore';
import type { TicketAssignedNotice, TicketUpdateNotice } from '../tickets/ticketUpdateNotice';
import { ticketAssignedCard, ticketUpdateCard, ticketUpdateSharedLine } from './cards/ticketCards';
import type { ProactiveMessenger } from './proactive';
import { translator } from '../text/i18n';

/**
 * Where a ticket update goes (SECURITY.md, "Ticket updates"): a ticket drafted in a 1:1 chat is
 * answered there; one drafted in a channel, group chat or meeting goes to the requester's own 1:1
 * chat (opened with their channel account id), because its title and comment are personal. Only
 * when that id is unknown does the shared conversation get a line with the id alone. In the
 * language the requester wrote in when the ticket was drafted (address.language).
 */
async function deliverTicketUpdate(proactive: ProactiveMessenger, notice: TicketUpdateNotice): Promise<void> {
  const address: ConversationAddress = notice.address;
  const personal = (address.conversationType ?? 'personal') === 'personal';
  if (personal) return sent(await proactive.send(address, cardMessage(notice)));
  const userId = notice.requester.channelUserId;
  if (userId) {
    const chat = await proactive.openPersonalChat(address, userId);
    return sent(await proactive.send(chat, cardMessage(notice)));
  }
  const line = ticketUpdateSharedLine(notice, translator(address.language ?? 'en'));
  sent(await proactive.send(address, { type: 'message', text: line }));
}

/**
 * The connector client does not throw on every refusal: a 403 (bot removed from the chat, user
 * blocked it) comes back parsed as an error body, without the new message's id. Only an id counts
 * as delivered, so such a send stays in the outbox and is retried.
 */
function sent(id: string | undefined): void {
  if (!id) throw new Error('the connector did not accept the message');
}

function cardMessage(notice: TicketUpdateNotice) {
  const tr = translator(notice.address.language ?? 'en');
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(ticketUpdateCard(notice, tr)));
  // The notification preview (activity feed, lock screen) shows this line instead of "sent a card".
  activity.summary = tr.t('ticketUpdate.summary', { ticketId: notice.ticketId });
  return activity;
}

/**
 * An agent someone else assigned a ticket to: always their own 1:1 chat (opened with their Teams
 * account id in the tenant of the conversation the assignment was made in), never a shared one.
 */
async function deliverAssignedNotice(
  proactive: ProactiveMessenger,
  notice: TicketAssignedNotice,
): Promise<void> {
  const tr = translator(notice.address.language ?? 'en');
  const chat = await proactive.openPersonalChat(notice.address, notice.assignee.channelUserId);
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(ticketAssignedCard(notice, tr)));
  activity.summary = tr.t('assignedNotice.summary', { ticketId: notice.ticketId });
  sent(await proactive.send(chat, activity));
}

/** The outbox `deliver` function for entries of kind `notification` (OutboxDispatcher). */
export function ticketUpdateDeliverer(proactive: ProactiveMessenger) {
  return async (entry: OutboxEntry): Promise<string | undefined> => {
    let notice: TicketUpdateNotice | TicketAssignedNotice;
    try {
      notice = JSON.parse(entry.body) as TicketUpdateNotice | TicketAssignedNotice;
    } catch {
      logger.error({ outboxId: entry.id }, 'ticket update notice is not valid JSON');
      return 'invalid notice';
    }
    try {
      if ('kind' in notice && notice.kind === 'assigned') await deliverAssignedNotice(proactive, notice);
      else await deliverTicketUpdate(proactive, notice as TicketUpdateNotice);
      return undefined;
    } catch (err) {
      const status = (err as { statusCode?: unknown }).statusCode;
      return typeof status === 'number'
        ? `connector HTTP ${status}`
        : err instanceof Error
          ? err.name
          : 'send failed';
    }
  };
}
