import type { CreatedTicket, TicketUpdate } from '../ticket';

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

/**
 * The JSON body POSTed when a ticket changes through the bot (a support agent's or the requester's
 * update_ticket), so the ticket system stays the record. Changes that came from the ticket system
 * itself (the inbound webhook) are not echoed back.
 */
type TicketUpdatedPayload = {
  event: 'ticket.updated';
  id: string;
  occurredAt: string;
  update: {
    ticketId: string;
    seq: number;
    status: string;
    previousStatus: string;
    comment?: string;
    /** 'agent:<aadObjectId>' or 'requester:<aadObjectId>'. */
    by: string;
    /** An assignment event (status unchanged): the agents before and after, by Entra object id; no `to`: unassigned. */
    assignment?: {
      from?: { aadObjectId: string; name?: string };
      to?: { aadObjectId: string; name?: string };
    };
  };
};

export function ticketUpdatedPayload(ticket: CreatedTicket, update: TicketUpdate): TicketUpdatedPayload {
  return {
    event: 'ticket.updated',
    id: ticket.ticketId,
    occurredAt: update.at,
    update: {
      ticketId: ticket.ticketId,
      seq: update.seq,
      status: update.status,
      previousStatus: update.previousStatus,
      ...(update.comment ? { comment: update.comment } : {}),
      by: update.by,
      ...(update.assignment ? { assignment: update.assignment } : {}),
    },
  };
}
