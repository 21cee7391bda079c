/**
 * What the support conversation is told about a handoff. Deliberately small: the ticket id, who
 * asked and their own summary, never the bot's answers (which may quote documents only the
 * requester may see); the transcript stays on the ticket.
 */
export interface HandoffNotice {
  ticketId: string;
  requesterName?: string;
  /** The requester's own words (the tool's summary, or their last message). */
  summary: string;
  /** 'personal' for a 1:1 chat, else the kind of shared conversation it came from. */
  conversationType: string;
  transcriptLines: number;
  openedAt: string;
}

/** sent: posted; not_configured: no support conversation is set up; failed: the post failed. */
export type HandoffNoticeResult = 'sent' | 'not_configured' | 'failed';

/** Posts handoff notices into the support conversation (implemented in the Teams layer). */
export interface SupportNotifier {
  notify(notice: HandoffNotice): Promise<HandoffNoticeResult>;
}
