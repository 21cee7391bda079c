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
  /** How to reach support, from the documents; in `language` when a document in it says so. */
  supportContact(language?: string): Promise<SupportContact | undefined>;
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

type ToolCall = { ctx: Parameters<ActionHandler>[0]; summary: string | undefined };

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
    const call: ToolCall = { ctx, summary: args.value.summary };

    let opened: { ticket: CreatedTicket; reused: boolean };
    try {
      opened = await openOrReuse(deps.tickets, handoff, call);
    } catch (err) {
      logger.error({ err: String(err) }, 'request_human: could not store the ticket');
      return failure('unavailable', hr.unavailable);
    }
    const { ticket, reused } = opened;
    const notice = await notifySupport(deps.tickets, handoff, call, ticket);
    const contact = await handoff.supportContact(tr.language).catch((err: unknown) => {
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

/**
 * The member's open handoff ticket in this conversation, or a new one with the recent transcript
 * (its title and description are stored for the support team: English whatever the turn's language).
 */
async function openOrReuse(
  tickets: ActionDeps['tickets'],
  handoff: HandoffDeps,
  { ctx, summary }: ToolCall,
): Promise<{ ticket: CreatedTicket; reused: boolean }> {
  const member = ctx.user.aadObjectId;
  const existing = await tickets.findOpenHandoff(member, ctx.conversationId);
  if (existing) return { ticket: existing, reused: true };
  const transcript = await handoff
    .recentTranscript(ctx.conversationId, handoff.transcriptTurns, ctx.shared ? member : undefined)
    .catch((err: unknown) => {
      logger.warn({ err: String(err) }, 'request_human: transcript unavailable; ticket opened without it');
      return [];
    });
  const ticket = await tickets.openNow(
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
  return { ticket, reused: false };
}

/** Posts the notice into the support conversation unless it already went out; stores the result. */
async function notifySupport(
  tickets: ActionDeps['tickets'],
  handoff: HandoffDeps,
  { ctx, summary }: ToolCall,
  ticket: CreatedTicket,
): Promise<HandoffNoticeResult> {
  if (ticket.handoff?.notice === 'sent') return 'sent';
  const lastUserLine = [...(ticket.transcript ?? [])].reverse().find((l) => l.role === 'user');
  const notice = await handoff.notifier
    .notify({
      ticketId: ticket.ticketId,
      requesterName: ctx.user.name,
      summary: summary ?? lastUserLine?.text ?? ticket.description,
      conversationType: ctx.shared ? 'shared' : 'personal',
      transcriptLines: ticket.transcript?.length ?? 0,
      openedAt: ticket.confirmedAt ?? ticket.updatedAt,
    })
    .catch((err: unknown): HandoffNoticeResult => {
      logger.warn({ err: String(err), ticketId: ticket.ticketId }, 'handoff notice failed');
      return 'failed';
    });
  await tickets.setHandoffNotice(ticket, notice).catch((err: unknown) => {
    logger.warn({ err: String(err), ticketId: ticket.ticketId }, 'handoff notice state not stored');
  });
  return notice;
}
