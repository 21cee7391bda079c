import type { CreatedTicket } from '../ticket';

/** The JSON body POSTed for a created ticket (contract: docs/tickets-webhook.md). */
export type TicketCreatedPayload = {
  event: 'ticket.created';
  id: string;
  occurredAt: string;
  ticket: {
    ticketId: string;
    title: string;
    description: string;
    category: string;
    priority: string;
    status: string;
    orderId?: string;
    requester: { aadObjectId: string; name?: string; tenantId?: string };
    createdAt: string;
  };
};

export function ticketCreatedPayload(ticket: CreatedTicket): TicketCreatedPayload {
  const createdAt = ticket.confirmedAt ?? ticket.updatedAt;
  return {
    event: 'ticket.created',
    id: ticket.ticketId,
    occurredAt: createdAt,
    ticket: {
      ticketId: ticket.ticketId,
      title: ticket.title,
      description: ticket.description,
      category: ticket.category,
      priority: ticket.priority,
      status: ticket.status,
      ...(ticket.orderId ? { orderId: ticket.orderId } : {}),
      requester: ticket.requester,
      createdAt,
    },
  };
}
