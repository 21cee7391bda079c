import { CardFactory, MessageFactory } from 'botbuilder';
import type { HandoffNotice, HandoffNoticeResult, SupportNotifier } from '../notifications/handoffNotice';
import type { SupportChannelStore } from '../notifications/supportChannelStore';
import { logger } from '../observability/logger';
import { supportNoticeCard } from './cards/handoffCards';
import type { ProactiveMessenger } from './proactive';

/** Posts handoff notices as a card into the support conversation, through the proactive messenger. */
export class TeamsSupportNotifier implements SupportNotifier {
  constructor(
    private readonly channels: SupportChannelStore,
    private readonly messenger: ProactiveMessenger,
  ) {}

  async notify(notice: HandoffNotice): Promise<HandoffNoticeResult> {
    const channel = await this.channels.current();
    if (!channel) return 'not_configured';
    try {
      const card = supportNoticeCard(notice);
      await this.messenger.send(channel.address, {
        ...MessageFactory.attachment(CardFactory.adaptiveCard(card)),
        // The notification text Teams shows in the activity feed: no personal details.
        summary: `Handoff requested: ${notice.ticketId}`,
      });
      logger.info({ ticketId: notice.ticketId, source: channel.source }, 'handoff notice posted');
      return 'sent';
    } catch (err) {
      logger.warn({ err: String(err), ticketId: notice.ticketId }, 'handoff notice could not be posted');
      return 'failed';
    }
  }
}
