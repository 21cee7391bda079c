import type { TicketListView } from '../../actions/listMyTickets';
import type { CreatedTicket } from '../../tickets/ticket';
import { english, type Translator } from '../../text/i18n';
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

/**
 * Answer to list_my_tickets: one row per ticket (id, title, created, priority, status; the queue
 * adds who asked), a click on a row shows that ticket's status card.
 */
export function ticketListCard(view: TicketListView, tr: Translator = english): AdaptiveCard {
  const queue = view.scope === 'queue';
  const title = tr.t(queue ? 'ticketList.queueTitle' : 'ticketList.title');
  const note = view.queueRefused ? [text(tr.t('ticketList.queueOnlyAgents'), { isSubtle: true })] : [];
  if (view.tickets.length === 0)
    return adaptiveCard([
      ...heading(title),
      ...note,
      text(tr.t(queue ? 'ticketList.queueEmpty' : 'ticketList.empty')),
    ]);
  return adaptiveCard([
    ...heading(title, tr.t('ticketList.subtitle', { count: view.tickets.length })),
    ...note,
    ...view.tickets.map((ticket) => ticketRow(ticket, queue, tr)),
  ]);
}

function ticketRow(ticket: CreatedTicket, queue: boolean, tr: Translator): CardElement {
  const priority = tr.t(`ticketPriority.${ticket.priority}`);
  const date = tr.date(ticket.confirmedAt) ?? '';
  const subtitle = queue
    ? tr.t('ticketList.queueRow', { date, priority, requester: escapeMarkdown(ticket.requester.name ?? '—') })
    : tr.t('ticketList.row', { date, priority });
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
