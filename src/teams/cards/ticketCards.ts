import type { CardActionVerb } from './cardVerbs';
import type { TicketDocument, TicketStatus } from '../../tickets/ticket';
import type { TicketUpdateNotice } from '../../tickets/ticketUpdateNotice';
import { TICKET_PRIORITIES } from '../../tickets/ticketEnums';
import {
  type AdaptiveCard,
  adaptiveCard,
  escapeMarkdown,
  executeAction,
  facts,
  heading,
  isoDay,
  text,
} from './cardBase';

/** Verbs of the Action.Execute buttons on ticket cards (handled by the lead's card-action route). */
export const TICKET_CARD_VERBS = {
  confirm: 'ticket.confirm',
  cancel: 'ticket.cancel',
} as const satisfies Record<string, CardActionVerb>;

export const TICKET_STATUS_LABELS: Record<TicketStatus, { label: string; color: string }> = {
  draft: { label: 'Draft — not filed yet', color: 'Warning' },
  cancelled: { label: 'Cancelled', color: 'Attention' },
  open: { label: 'Open', color: 'Accent' },
  in_progress: { label: 'In progress', color: 'Accent' },
  resolved: { label: 'Resolved', color: 'Good' },
  closed: { label: 'Closed', color: 'Default' },
};

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).replace(/_/g, ' ');
}

function details(ticket: TicketDocument, includePriority: boolean) {
  return facts([
    ['Category', capitalize(ticket.category)],
    ['Priority', includePriority ? capitalize(ticket.priority) : undefined],
    ['Order', ticket.orderId === undefined ? undefined : escapeMarkdown(ticket.orderId)],
    ['Requested by', ticket.requester.name === undefined ? undefined : escapeMarkdown(ticket.requester.name)],
  ]);
}

/**
 * The draft the user reviews. Confirm/Cancel are Universal Actions carrying the draft id and its
 * HMAC (tamper evidence); the priority stays editable (Input.ChoiceSet id "priority").
 */
export function ticketDraftCard(draft: TicketDocument, signature: string): AdaptiveCard {
  const data = { draftId: draft.id, sig: signature };
  return adaptiveCard(
    [
      ...heading('Review your ticket', 'Nothing is filed until you confirm.'),
      text(escapeMarkdown(draft.title), { weight: 'Bolder', size: 'Medium' }),
      text(escapeMarkdown(draft.description)),
      details(draft, false),
      {
        type: 'Input.ChoiceSet',
        id: 'priority',
        label: 'Priority',
        style: 'compact',
        isRequired: true,
        errorMessage: 'Choose a priority.',
        value: draft.priority,
        choices: TICKET_PRIORITIES.map((p) => ({ title: capitalize(p), value: p })),
      },
    ],
    [
      executeAction('Confirm', TICKET_CARD_VERBS.confirm, data, { style: 'positive' }),
      executeAction('Cancel', TICKET_CARD_VERBS.cancel, data, { associatedInputs: 'none' }),
    ],
  );
}

/** Replaces the draft card in place once the ticket is created. */
export function ticketCreatedCard(ticket: TicketDocument): AdaptiveCard {
  return adaptiveCard([
    ...heading(`Ticket ${ticket.ticketId ?? ''} created`, 'Our support team will get back to you.'),
    text(escapeMarkdown(ticket.title), { weight: 'Bolder', size: 'Medium' }),
    text(escapeMarkdown(ticket.description)),
    details(ticket, true),
    facts([['Created', isoDay(ticket.confirmedAt)]]),
  ]);
}

/** Replaces the draft card in place when the user cancels. */
export function ticketCancelledCard(draft: TicketDocument): AdaptiveCard {
  return adaptiveCard([
    ...heading('Ticket draft cancelled'),
    text(`"${escapeMarkdown(draft.title)}" was not filed.`, { isSubtle: true }),
  ]);
}

/** Answer to get_ticket_status. */
export function ticketStatusCard(ticket: TicketDocument): AdaptiveCard {
  const status = TICKET_STATUS_LABELS[ticket.status];
  return adaptiveCard([
    ...heading(`Ticket ${ticket.ticketId ?? '(draft)'}`),
    text(status.label, { weight: 'Bolder', color: status.color, size: 'Medium' }),
    text(escapeMarkdown(ticket.title), { weight: 'Bolder' }),
    details(ticket, true),
    facts([
      ['Created', isoDay(ticket.confirmedAt)],
      ['Last update', isoDay(ticket.updatedAt)],
    ]),
    ...latestComment(ticket),
  ]);
}

/** The newest comment on a ticket, if any, as a subtle block. */
function latestComment(ticket: TicketDocument) {
  const comment = [...(ticket.updates ?? [])].reverse().find((u) => u.comment)?.comment;
  return comment ? [text(`Latest note: ${escapeText(comment)}`, { isSubtle: true })] : [];
}

/**
 * Comments come from outside (the ticket system, an agent): Markdown escaped, and `<`/`>` too, so
 * no client ever reads them as HTML either.
 */
function escapeText(value: string): string {
  return escapeMarkdown(value).replace(/[<>]/g, '\\$&');
}

/** The proactive message to the requester when their ticket changes (sent in the Teams layer). */
export function ticketUpdateCard(notice: TicketUpdateNotice): AdaptiveCard {
  const status = TICKET_STATUS_LABELS[notice.status];
  const moved = notice.previousStatus !== notice.status;
  return adaptiveCard([
    ...heading(
      `Ticket ${notice.ticketId} ${moved ? 'updated' : 'has a new note'}`,
      moved ? `${TICKET_STATUS_LABELS[notice.previousStatus].label} → ${status.label}` : undefined,
    ),
    text(status.label, { weight: 'Bolder', color: status.color, size: 'Medium' }),
    text(escapeMarkdown(notice.title), { weight: 'Bolder' }),
    ...(notice.comment ? [text(escapeText(notice.comment))] : []),
    facts([['Updated', isoDay(notice.at)]]),
  ]);
}

/** The one line for a shared conversation when the requester cannot be reached 1:1: id and status only. */
export function ticketUpdateSharedLine(notice: TicketUpdateNotice): string {
  return `Ticket ${notice.ticketId} is now ${TICKET_STATUS_LABELS[notice.status].label.toLowerCase()}. Ask me in a 1:1 chat for the details.`;
}

/** Verb of the Adaptive Card refresh on draft cards in shared conversations. */
export const TICKET_REFRESH_VERB = 'ticket.refresh' satisfies CardActionVerb;

/**
 * A card's per-user view (Universal Actions `refresh.userIds`): Teams asks the bot for a fresh card
 * (invoke adaptiveCard/action, trigger "automatic") only for these users; everyone else sees the
 * card as posted. The bot decides per caller what the refresh answers.
 */
export function withUserRefresh(
  card: AdaptiveCard,
  ref: { draftId: string; sig: string },
  userIds: string[],
): AdaptiveCard {
  return {
    ...card,
    refresh: { action: { type: 'Action.Execute', verb: TICKET_REFRESH_VERB, data: ref }, userIds },
  };
}

/**
 * What the other members of a shared conversation see of someone's ticket draft: that there is
 * one, not its title, description or order.
 */
export function ticketDraftNeutralCard(requesterName: string | undefined): AdaptiveCard {
  const who = requesterName ? escapeMarkdown(requesterName) : 'A member';
  return adaptiveCard([
    ...heading('Ticket draft'),
    text(`${who} is reviewing a support ticket draft. Only they can see its details here.`, {
      isSubtle: true,
    }),
  ]);
}
