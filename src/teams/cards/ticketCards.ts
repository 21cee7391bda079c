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
  langData,
  text,
} from './cardBase';
import { english, type Translator } from '../../text/i18n';
import type { TicketView } from '../../actions/assignTicket';
import type { TicketAssignedNotice } from '../../tickets/ticketUpdateNotice';

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

/** A ticket status in the card's language (the stored value stays English). */
export function ticketStatusLabel(status: TicketStatus, tr: Translator = english): string {
  return tr.t(`ticketStatus.${status}`);
}

function details(ticket: TicketDocument, includePriority: boolean, tr: Translator) {
  return facts([
    [tr.t('ticketCard.category'), tr.t(`ticketCategory.${ticket.category}`)],
    [tr.t('ticketCard.priority'), includePriority ? tr.t(`ticketPriority.${ticket.priority}`) : undefined],
    [tr.t('ticketCard.order'), ticket.orderId === undefined ? undefined : escapeMarkdown(ticket.orderId)],
    [
      tr.t('ticketCard.requestedBy'),
      ticket.requester.name === undefined ? undefined : escapeMarkdown(ticket.requester.name),
    ],
  ]);
}

/**
 * The draft the user reviews. Confirm/Cancel are Universal Actions carrying the draft id and its
 * HMAC (tamper evidence); the priority stays editable (Input.ChoiceSet id "priority").
 */
export function ticketDraftCard(
  draft: TicketDocument,
  signature: string,
  tr: Translator = english,
): AdaptiveCard {
  const data = { draftId: draft.id, sig: signature, ...langData(tr) };
  return adaptiveCard(
    [
      ...heading(tr.t('ticketCard.reviewTitle'), tr.t('ticketCard.reviewSubtitle')),
      text(escapeMarkdown(draft.title), { weight: 'Bolder', size: 'Medium' }),
      text(escapeMarkdown(draft.description)),
      details(draft, false, tr),
      {
        type: 'Input.ChoiceSet',
        id: 'priority',
        label: tr.t('ticketCard.priority'),
        style: 'compact',
        isRequired: true,
        errorMessage: tr.t('ticketCard.choosePriority'),
        value: draft.priority,
        choices: TICKET_PRIORITIES.map((p) => ({ title: tr.t(`ticketPriority.${p}`), value: p })),
      },
    ],
    [
      executeAction(tr.t('ticketCard.confirm'), TICKET_CARD_VERBS.confirm, data, { style: 'positive' }),
      executeAction(tr.t('ticketCard.cancel'), TICKET_CARD_VERBS.cancel, data, { associatedInputs: 'none' }),
    ],
  );
}

/** Replaces the draft card in place once the ticket is created. */
export function ticketCreatedCard(ticket: TicketDocument, tr: Translator = english): AdaptiveCard {
  return adaptiveCard([
    ...heading(
      tr.t('ticketCard.createdTitle', { ticketId: ticket.ticketId ?? '' }),
      tr.t('ticketCard.createdSubtitle'),
    ),
    text(escapeMarkdown(ticket.title), { weight: 'Bolder', size: 'Medium' }),
    text(escapeMarkdown(ticket.description)),
    details(ticket, true, tr),
    facts([[tr.t('ticketCard.created'), tr.date(ticket.confirmedAt)]]),
  ]);
}

/** Replaces the draft card in place when the user cancels. */
export function ticketCancelledCard(draft: TicketDocument, tr: Translator = english): AdaptiveCard {
  return adaptiveCard([
    ...heading(tr.t('ticketCard.cancelledTitle')),
    text(tr.t('ticketCard.notFiled', { title: escapeMarkdown(draft.title) }), { isSubtle: true }),
  ]);
}

/**
 * Answer to get_ticket_status, update_ticket and assign_ticket. A viewer who may assign tickets
 * (support agents) gets the assignment buttons; `note` is a line above the card's body (what an
 * assignment did).
 */
export function ticketStatusCard(
  ticket: TicketView,
  tr: Translator = english,
  note = ticket.note,
): AdaptiveCard {
  const status = TICKET_STATUS_LABELS[ticket.status];
  const created = ticket.ticketId !== undefined && ticket.status !== 'draft' && ticket.status !== 'cancelled';
  return adaptiveCard(
    [
      ...heading(tr.t('ticketCard.statusTitle', { ticketId: ticket.ticketId ?? tr.t('ticketCard.draftId') })),
      ...(note ? [text(escapeMarkdown(note), { weight: 'Bolder' })] : []),
      text(ticketStatusLabel(ticket.status, tr), { weight: 'Bolder', color: status.color, size: 'Medium' }),
      text(escapeMarkdown(ticket.title), { weight: 'Bolder' }),
      details(ticket, true, tr),
      facts([
        [tr.t('ticketCard.created'), tr.date(ticket.confirmedAt)],
        [tr.t('ticketCard.lastUpdate'), tr.date(ticket.updatedAt)],
        [
          tr.t('ticketCard.assignee'),
          created
            ? escapeMarkdown(ticket.assignee?.name ?? (ticket.assignee ? '—' : tr.t('ticketCard.nobody')))
            : undefined,
        ],
      ]),
      ...latestComment(ticket, tr),
    ],
    created ? assignmentButtons(ticket, tr) : undefined,
  );
}

/** "Assign to me" (or "Take it over" from another agent) and "Unassign", for agents on open tickets. */
function assignmentButtons(ticket: TicketView, tr: Translator) {
  if (!ticket.viewer?.canAssign || !ticket.ticketId || ticket.status === 'closed') return undefined;
  const holder = ticket.assignee?.aadObjectId.toLowerCase();
  const data = { ticketId: ticket.ticketId, expected: holder ?? '', ...langData(tr) };
  const mine = holder !== undefined && holder === ticket.viewer.aadObjectId;
  const take = executeAction(
    tr.t(holder ? 'ticketCard.takeOver' : 'ticketCard.assignToMe'),
    TICKET_ASSIGN_VERBS.assignToMe,
    data,
    { style: 'positive' },
  );
  const release = executeAction(tr.t('ticketCard.unassign'), TICKET_ASSIGN_VERBS.unassign, data);
  return holder === undefined ? [take] : mine ? [release] : [take, release];
}

/** Verbs of the assignment buttons on ticket cards. */
export const TICKET_ASSIGN_VERBS = {
  assignToMe: 'ticket.assignToMe',
  unassign: 'ticket.unassign',
} as const satisfies Record<string, CardActionVerb>;

/** How many notes before the newest one a status card lists (the history keeps more). */
const EARLIER_NOTES = 2;

/** The newest comment on a ticket, if any, then the two before it with their day, as subtle blocks. */
function latestComment(ticket: TicketDocument, tr: Translator) {
  const [latest, ...earlier] = [...(ticket.updates ?? [])].reverse().filter((u) => u.comment);
  if (!latest?.comment) return [];
  return [
    text(tr.t('ticketCard.latestNote', { comment: escapeText(latest.comment) }), { isSubtle: true }),
    ...earlier.slice(0, EARLIER_NOTES).map((u) =>
      text(tr.t('ticketCard.earlierNote', { day: isoDay(u.at) ?? '', comment: escapeText(u.comment!) }), {
        isSubtle: true,
        spacing: 'None',
      }),
    ),
  ];
}

/**
 * Comments come from outside (the ticket system, an agent): Markdown escaped, and `<`/`>` too, so
 * no client ever reads them as HTML either.
 */
function escapeText(value: string): string {
  return escapeMarkdown(value).replace(/[<>]/g, '\\$&');
}

/** The proactive message to the requester when their ticket changes (sent in the Teams layer). */
export function ticketUpdateCard(notice: TicketUpdateNotice, tr: Translator = english): AdaptiveCard {
  if (notice.assignment) return ticketAssignmentUpdateCard(notice, tr);
  const status = TICKET_STATUS_LABELS[notice.status];
  const moved = notice.previousStatus !== notice.status;
  return adaptiveCard([
    ...heading(
      tr.t(moved ? 'ticketUpdate.updatedTitle' : 'ticketUpdate.noteTitle', { ticketId: notice.ticketId }),
      moved
        ? `${ticketStatusLabel(notice.previousStatus, tr)} → ${ticketStatusLabel(notice.status, tr)}`
        : undefined,
    ),
    text(ticketStatusLabel(notice.status, tr), { weight: 'Bolder', color: status.color, size: 'Medium' }),
    text(escapeMarkdown(notice.title), { weight: 'Bolder' }),
    ...(notice.comment ? [text(escapeText(notice.comment))] : []),
    facts([[tr.t('ticketUpdate.updated'), isoDay(notice.at)]]),
  ]);
}

/** The requester's card when an agent took their ticket: who is working on it (a name, never an id). */
function ticketAssignmentUpdateCard(notice: TicketUpdateNotice, tr: Translator): AdaptiveCard {
  const name = notice.assignment?.to?.name;
  return adaptiveCard([
    ...heading(tr.t('ticketUpdate.assignedTitle', { ticketId: notice.ticketId })),
    text(escapeMarkdown(notice.title), { weight: 'Bolder' }),
    text(
      name
        ? tr.t('ticketUpdate.assignedTo', { name: escapeMarkdown(name) })
        : tr.t('ticketUpdate.assignedToTeam'),
    ),
    facts([[tr.t('ticketUpdate.updated'), isoDay(notice.at)]]),
  ]);
}

/** The 1:1 notice to an agent someone else assigned a ticket to; its button shows the ticket. */
export function ticketAssignedCard(notice: TicketAssignedNotice, tr: Translator = english): AdaptiveCard {
  return adaptiveCard(
    [
      ...heading(tr.t('assignedNotice.title', { ticketId: notice.ticketId })),
      text(escapeMarkdown(notice.title), { weight: 'Bolder' }),
      facts([
        [
          tr.t('ticketCard.priority'),
          tr.t(`ticketPriority.${notice.priority as (typeof TICKET_PRIORITIES)[number]}`),
        ],
        [
          tr.t('ticketCard.requestedBy'),
          notice.requesterName ? escapeMarkdown(notice.requesterName) : undefined,
        ],
      ]),
      ...(notice.assignedBy
        ? [text(tr.t('assignedNotice.by', { name: escapeMarkdown(notice.assignedBy) }), { isSubtle: true })]
        : []),
    ],
    [
      executeAction(tr.t('ticketList.show'), 'ticket.showStatus', {
        ticketId: notice.ticketId,
        ...langData(tr),
      }),
    ],
  );
}

/**
 * The one line for a shared conversation when the requester cannot be reached 1:1: the ticket id
 * only (its status is the requester's business, not the thread's).
 */
export function ticketUpdateSharedLine(notice: TicketUpdateNotice, tr: Translator = english): string {
  return tr.t('ticketUpdate.sharedLine', { ticketId: notice.ticketId });
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
