import type { SupportContact } from '../knowledge/supportContact';
import type { HandoffNoticeResult, SupportNotifier } from '../notifications/handoffNotice';
import { logger } from '../observability/logger';
import { handoffReplies, handoffRepliesIn } from '../replies';
import { translatorFor } from './messages';
import type { CreatedTicket, TicketTranscriptLine } from '../tickets/ticket';
import type { ActionDeps } from './deps';
import { parseToolArgs } from './schemas';
import { type ActionHandler, failure } from './types';

/** What request_human needs besides the ticket store; wired in src/bot.ts. */
export type HandoffDeps = {
  /** The last `turns` turns of the conversation; only `member`'s in a shared conversation. */
  recentTranscript(conversationId: string, turns: number, member?: string): Promise<TicketTranscriptLine[]>;
  /** Phone, email and hours from the knowledge base's contact document. */
  supportContact(): Promise<SupportContact | undefined>;
  notifier: SupportNotifier;
  transcriptTurns: number;
};

/** The tool's data: the Teams layer renders it as the handoff card. */
export type HandoffOutcomeData = {
  kind: 'handoff';
  ticketId: string;
  notice: HandoffNoticeResult;
  reused: boolean;
  contact?: SupportContact;
};

const noticeSentence = (hr: ReturnType<typeof handoffRepliesIn>): Record<HandoffNoticeResult, string> => ({
  sent: hr.notified,
  not_configured: hr.notConfigured,
  failed: hr.notifyFailed,
});

/**
 * request_human(summary?): opens a `handoff` ticket at once with the recent transcript attached,
 * posts a notice into the support conversation and tells the user the ticket id and how to reach
 * support (from the knowledge base). Asking again while that ticket is open reuses it (so a
 * retried turn or a second click opens no second ticket); a notice that did not go out is retried.
 */
export function createRequestHuman(deps: Pick<ActionDeps, 'tickets' | 'handoff'>): ActionHandler {
  return async (ctx, rawArgs) => {
    const args = parseToolArgs('request_human', rawArgs);
    if (!args.ok) return failure('invalid_arguments', args.error);
    const handoff = deps.handoff;
    const tr = translatorFor(ctx);
    const hr = handoffRepliesIn(tr);
    if (!handoff) return failure('unavailable', hr.unavailable);
    const member = ctx.user.aadObjectId;

    let ticket: CreatedTicket;
    let reused = false;
    try {
      const existing = await deps.tickets.findOpenHandoff(member, ctx.conversationId);
      if (existing) {
        ticket = existing;
        reused = true;
      } else {
        const transcript = await handoff
          .recentTranscript(ctx.conversationId, handoff.transcriptTurns, ctx.shared ? member : undefined)
          .catch((err: unknown) => {
            logger.warn(
              { err: String(err) },
              'request_human: transcript unavailable; ticket opened without it',
            );
            return [];
          });
        const summary = args.value.summary;
        ticket = await deps.tickets.openNow(
          {
            title: `Talk to a person${summary ? `: ${summary}` : ''}`.slice(0, 120),
            description: summary ?? handoffReplies.defaultDescription,
            category: 'handoff',
            priority: 'normal',
            transcript,
          },
          ctx.user,
          ctx.conversationId,
          ctx.address,
        );
      }
    } catch (err) {
      logger.error({ err: String(err) }, 'request_human: could not store the ticket');
      return failure('unavailable', hr.unavailable);
    }

    let notice: HandoffNoticeResult = ticket.handoff?.notice === 'sent' ? 'sent' : 'failed';
    if (ticket.handoff?.notice !== 'sent') {
      const lastUserLine = [...(ticket.transcript ?? [])].reverse().find((l) => l.role === 'user');
      notice = await handoff.notifier
        .notify({
          ticketId: ticket.ticketId,
          requesterName: ctx.user.name,
          summary: args.value.summary ?? lastUserLine?.text ?? ticket.description,
          conversationType: ctx.shared ? 'shared' : 'personal',
          transcriptLines: ticket.transcript?.length ?? 0,
          openedAt: ticket.confirmedAt ?? ticket.updatedAt,
        })
        .catch((err: unknown): HandoffNoticeResult => {
          logger.warn({ err: String(err), ticketId: ticket.ticketId }, 'handoff notice failed');
          return 'failed';
        });
      await deps.tickets.setHandoffNotice(ticket, notice).catch((err: unknown) => {
        logger.warn({ err: String(err), ticketId: ticket.ticketId }, 'handoff notice state not stored');
      });
    }

    const contact = await handoff.supportContact().catch((err: unknown) => {
      logger.warn({ err: String(err) }, 'request_human: contact details unavailable');
      return undefined;
    });
    const summary = [
      reused ? hr.alreadyOpen(ticket.ticketId) : hr.opened(ticket.ticketId),
      noticeSentence(hr)[notice],
      contact ? hr.contact(contact) : hr.contactUnknown,
    ].join(tr.language === 'en' ? ' ' : ''); // Chinese sentences are not spaced
    const data: HandoffOutcomeData = {
      kind: 'handoff',
      ticketId: ticket.ticketId,
      notice,
      reused,
      ...(contact ? { contact } : {}),
    };
    return { ok: true, summary, data };
  };
}
