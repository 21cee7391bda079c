import type { TicketListView } from '../../actions/listMyTickets';
import type { CreatedTicket } from '../../tickets/ticket';
import { english, type Translator } from '../../text/i18n';
import type { MessageKey } from '../../text/catalogue';
import {
  type AdaptiveCard,
  adaptiveCard,
  type CardElement,
  escapeMarkdown,
  executeAction,
  heading,
  langData,
  text,
} from './cardBase';
import type { CardActionVerb } from './cardVerbs';
import { TICKET_STATUS_LABELS, ticketStatusLabel } from './ticketCards';

const SHOW_TICKET = 'ticket.showStatus' satisfies CardActionVerb;
const TAKE_TICKET = 'ticket.assignToMe' satisfies CardActionVerb;

const TITLES: Record<TicketListView['scope'], { title: MessageKey; empty: MessageKey }> = {
  mine: { title: 'ticketList.title', empty: 'ticketList.empty' },
  queue: { title: 'ticketList.queueTitle', empty: 'ticketList.queueEmpty' },
  assigned: { title: 'ticketList.assignedTitle', empty: 'ticketList.assignedEmpty' },
  unassigned: { title: 'ticketList.unassignedTitle', empty: 'ticketList.unassignedEmpty' },
};

/**
 * Answer to list_my_tickets: one row per ticket (id, title, created, priority, status; the team
 * views add who asked, and the queue who works on it), a click on a row shows that ticket's status
 * card; rows of the unassigned view carry an "Assign to me" button.
 */
export function ticketListCard(view: TicketListView, tr: Translator = english): AdaptiveCard {
  const { title: titleKey, empty } = TITLES[view.scope];
  const title = tr.t(titleKey);
  const note = view.queueRefused ? [text(tr.t('ticketList.queueOnlyAgents'), { isSubtle: true })] : [];
  if (view.tickets.length === 0) return adaptiveCard([...heading(title), ...note, text(tr.t(empty))]);
  return adaptiveCard([
    ...heading(title, tr.t('ticketList.subtitle', { count: view.tickets.length })),
    ...note,
    ...view.tickets.flatMap((ticket) => ticketRow(ticket, view.scope, tr)),
  ]);
}

function rowSubtitle(ticket: CreatedTicket, scope: TicketListView['scope'], tr: Translator): string {
  const priority = tr.t(`ticketPriority.${ticket.priority}`);
  const date = tr.date(ticket.confirmedAt) ?? '';
  if (scope === 'mine') return tr.t('ticketList.row', { date, priority });
  const requester = escapeMarkdown(ticket.requester.name ?? '—');
  if (scope !== 'queue') return tr.t('ticketList.queueRow', { date, priority, requester });
  const assignee = ticket.assignee ? escapeMarkdown(ticket.assignee.name ?? '—') : tr.t('ticketCard.nobody');
  return tr.t('ticketList.assigneeRow', { date, priority, requester, assignee });
}

function ticketRow(ticket: CreatedTicket, scope: TicketListView['scope'], tr: Translator): CardElement[] {
  const subtitle = rowSubtitle(ticket, scope, tr);
  const take =
    scope === 'unassigned'
      ? [
          {
            type: 'ActionSet',
            spacing: 'Small',
            actions: [
              executeAction(tr.t('ticketList.take'), TAKE_TICKET, {
                ticketId: ticket.ticketId,
                expected: '',
                ...langData(tr),
              }),
            ],
          },
        ]
      : [];
  return [row(ticket, subtitle, tr), ...take];
}

function row(ticket: CreatedTicket, subtitle: string, tr: Translator): CardElement {
  return {
    type: 'ColumnSet',
    separator: true,
    selectAction: executeAction(tr.t('ticketList.show'), SHOW_TICKET, {
      ticketId: ticket.ticketId,
      ...langData(tr),
    }),
    columns: [
      {
        type: 'Column',
        width: 'stretch',
        items: [
          text(`${ticket.ticketId} · ${escapeMarkdown(ticket.title)}`, { weight: 'Bolder' }),
          text(subtitle, { isSubtle: true, spacing: 'None' }),
        ],
      },
      {
        type: 'Column',
        width: 'auto',
        items: [
          text(ticketStatusLabel(ticket.status, tr), { color: TICKET_STATUS_LABELS[ticket.status].color }),
        ],
      },
    ],
  };
}
