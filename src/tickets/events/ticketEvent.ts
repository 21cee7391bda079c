import { z } from 'zod';
import { TICKET_UPDATE_STATUSES } from '../ticketTransitions';

/** Longest comment an inbound event may carry (characters); longer bodies are refused with 400. */
export const MAX_EVENT_COMMENT_CHARS = 2000;

/**
 * The body of `POST /api/tickets/events` (contract: docs/tickets-webhook.md, "Inbound"). Strict:
 * unknown fields are refused, so a typo in the sender's payload is a 400, not a silent no-op.
 */
export const ticketEventSchema = z
  .object({
    ticketId: z
      .string({ required_error: 'ticketId is required', invalid_type_error: 'ticketId must be a string' })
      .regex(/^TKT-\d{6}$/, 'ticketId must look like TKT-000123'),
    status: z.enum(TICKET_UPDATE_STATUSES, {
      errorMap: () => ({ message: `status must be one of ${TICKET_UPDATE_STATUSES.join(', ')}` }),
    }),
    comment: z
      .string({ invalid_type_error: 'comment must be a string' })
      .trim()
      .max(MAX_EVENT_COMMENT_CHARS, `comment must be at most ${MAX_EVENT_COMMENT_CHARS} characters`)
      .optional()
      .transform((c) => (c ? c : undefined)),
  })
  .strict();

/** A status change or note from the ticket system, as validated. */
export type TicketEvent = z.output<typeof ticketEventSchema>;
