import { z } from 'zod';
import { TICKET_CATEGORIES, TICKET_PRIORITIES } from '../tickets/ticketEnums';
import { TICKET_UPDATE_STATUSES } from '../tickets/ticketTransitions';
import { MAX_EVENT_COMMENT_CHARS } from '../tickets/events/ticketEvent';

/**
 * Tool argument schemas: the single source for validation in code and for the tool definitions
 * the model sees (src/prompts/chat/actions.json is generated from these: `npm run actions:generate`).
 * Messages are written for the model, so it can correct itself on the next try.
 */

export const orderIdSchema = z
  .string({ required_error: 'orderId is required', invalid_type_error: 'orderId must be a string' })
  .trim()
  .toUpperCase()
  .regex(/^ORD-\d{5,10}$/, 'orderId must look like ORD-12345')
  .describe('The order number, e.g. ORD-10421.');

export const ticketIdSchema = z
  .string({ required_error: 'ticketId is required', invalid_type_error: 'ticketId must be a string' })
  .trim()
  .toUpperCase()
  .regex(/^TKT-\d{6}$/, 'ticketId must look like TKT-000123')
  .describe('The ticket number, e.g. TKT-000123.');

export { TICKET_CATEGORIES, TICKET_PRIORITIES };

/** Categories a drafted ticket may have: `handoff` tickets are opened only by request_human (with the transcript). */
const DRAFT_CATEGORIES = TICKET_CATEGORIES.filter(
  (c): c is Exclude<(typeof TICKET_CATEGORIES)[number], 'handoff'> => c !== 'handoff',
) as [
  Exclude<(typeof TICKET_CATEGORIES)[number], 'handoff'>,
  ...Exclude<(typeof TICKET_CATEGORIES)[number], 'handoff'>[],
];

/** An optional free-text argument: trimmed, at most `max` characters, and left out when empty. */
function optionalText(name: string, max: number) {
  return z
    .string({ invalid_type_error: `${name} must be a string` })
    .trim()
    .max(max, `${name} must be at most ${max} characters`)
    .optional()
    .transform((text) => (text ? text : undefined));
}

/** One of `values`, with a message that lists them. */
function oneOf<T extends string>(name: string, values: readonly [T, ...T[]]) {
  return z.enum(values as [T, ...T[]], {
    errorMap: () => ({ message: `${name} must be one of ${values.join(', ')}` }),
  });
}

export const ticketPrioritySchema = oneOf('priority', TICKET_PRIORITIES);

const getOrderStatusArgs = z
  .object({ orderId: orderIdSchema })
  .strict()
  .describe('Look up the status, items, dates and tracking of one order the user placed.');

const listMyOrdersArgs = z.object({}).strict().describe("List the signed-in user's orders, newest first.");

const createTicketArgs = z
  .object({
    title: z
      .string({ required_error: 'title is required' })
      .trim()
      .min(3, 'title must be at least 3 characters')
      .max(120, 'title must be at most 120 characters')
      .describe('A short summary of the problem.'),
    description: z
      .string({ required_error: 'description is required' })
      .trim()
      .min(1, 'description is required')
      .max(4000, 'description must be at most 4000 characters')
      .describe("What happened, in the user's words."),
    category: oneOf('category', DRAFT_CATEGORIES).describe('The kind of problem.'),
    priority: ticketPrioritySchema.describe('How urgent it is; use normal unless the user says otherwise.'),
    orderId: orderIdSchema.optional().describe('The related order number, if any, e.g. ORD-10421.'),
  })
  .strict()
  .describe(
    'Draft a support ticket for the user. The user reviews the draft on a card and confirms it; nothing is filed until then.',
  );

const addTicketDetailArgs = z
  .object({
    detail: z
      .string({ required_error: 'detail is required' })
      .trim()
      .min(1, 'detail is required')
      .max(2000, 'detail must be at most 2000 characters')
      .describe("What the user added about the problem, in the user's words."),
  })
  .strict()
  .describe(
    'Add a detail to the description of the ticket draft the user is reviewing (the last one drafted in this conversation, not yet confirmed); the updated draft card is shown. Use it when the user adds information after a draft, instead of drafting a second ticket.',
  );

const getTicketStatusArgs = z
  .object({ ticketId: ticketIdSchema })
  .strict()
  .describe('Look up the status of a support ticket the user filed.');

const listMyTicketsArgs = z
  .object({
    scope: oneOf('scope', ['mine', 'filed', 'queue', 'unassigned'])
      .default('mine')
      .describe(
        "mine: the user's own tickets; for a support agent, the open tickets assigned to them. filed: the tickets the user filed themselves (also for agents). queue: everyone's open and in-progress tickets (support agents only). unassigned: open tickets nobody is assigned to (support agents only).",
      ),
  })
  .strict()
  .describe(
    "List the user's support tickets, newest first (e.g. 'show my tickets', 'any update on my ticket?'), or, for a support agent, the tickets assigned to them, the queue of open tickets, or the unassigned ones.",
  );

const assignTicketArgs = z
  .object({
    ticketId: ticketIdSchema,
    assignee: oneOf('assignee', ['me', 'mentioned', 'nobody']).describe(
      'me: the user takes the ticket. mentioned: the support agent the user @mentioned in this message (the bot reads who from the mention itself, never from a name). nobody: unassign it (back to the queue).',
    ),
  })
  .strict()
  .describe(
    "Assign a support ticket (support agents only): take it yourself ('assign TKT-000123 to me', 'I'll take TKT-000123'), give it to another support agent @mentioned in the message, or unassign it. The requester and the new assignee are told.",
  );

const cancelOrderArgs = z
  .object({
    orderId: orderIdSchema,
    reason: optionalText('reason', 500).describe(
      "Why the user wants to cancel, in the user's words, if they said.",
    ),
  })
  .strict()
  .describe(
    "Cancel one of the user's orders that is still processing. The user confirms on a card; nothing changes until then. Shipped or delivered orders cannot be cancelled.",
  );

const updateTicketArgs = z
  .object({
    ticketId: ticketIdSchema,
    status: oneOf('status', TICKET_UPDATE_STATUSES)
      .optional()
      .describe('The new status. Omit it to add a note only (then comment is required); the status stays.'),
    comment: optionalText('comment', MAX_EVENT_COMMENT_CHARS).describe(
      'A note for the requester, e.g. what was done or what the ticket is waiting for.',
    ),
  })
  .strict()
  .describe(
    "Change a support ticket's status (in_progress, resolved, closed) with an optional note, or add a note without changing the status (omit status); the requester is told. Support agents may update or note any ticket; other users may only close or add a note to their own.",
  );

const requestHumanArgs = z
  .object({
    summary: optionalText('summary', 500).describe(
      "What the user needs help with, in one or two sentences, in the user's words, if they said.",
    ),
  })
  .strict()
  .describe(
    'Hand the conversation to a human support agent: opens a handoff ticket with the recent conversation attached and tells the support team. Call it only when the user asks for a person (human, agent, someone to call them); when the user is merely frustrated, offer it instead.',
  );

const reportMissingDeliveryArgs = z
  .object({
    orderId: orderIdSchema
      .optional()
      .describe(
        'The order whose package did not arrive, once the user has said which; omit it to list candidates.',
      ),
  })
  .strict()
  .describe(
    "The user's package or parcel did not arrive. Without orderId: lists the user's orders that are on their way so the user can pick one. With orderId: drafts a delivery ticket for that order, which the user confirms on a card.",
  );

const startReturnArgs = z
  .object({
    orderId: orderIdSchema,
    items: z
      .array(
        z
          .object({
            item: z
              .string({ required_error: 'item is required', invalid_type_error: 'item must be a string' })
              .trim()
              .min(1, 'item is required')
              .max(120, 'item must be at most 120 characters')
              .describe('The SKU or the name of the item as it appears on the order.'),
            quantity: z
              .number({ invalid_type_error: 'quantity must be a number' })
              .int('quantity must be a whole number')
              .positive('quantity must be at least 1')
              .max(1000, 'quantity must be at most 1000')
              .optional()
              .describe('How many of it; all of that item when omitted.'),
          })
          .strict(),
      )
      .max(50, 'items must list at most 50 items')
      .optional()
      .describe(
        'The items to return; omit to return the whole order (or the items the reason names). Without items and reason on an order of several items the tool asks which.',
      ),
    reason: optionalText('reason', 500).describe(
      "Why the user is returning it, in the user's words. Leave it out if they did not say: the tool checks the order first and then asks them.",
    ),
  })
  .strict()
  .describe(
    "Start a return (refund to the original payment method) for one of the user's delivered orders, within the return window. Also for refund requests. The user confirms on a card; nothing changes until then. Without a reason the tool asks the user for one.",
  );

export const toolSchemas = {
  get_order_status: getOrderStatusArgs,
  list_my_orders: listMyOrdersArgs,
  create_ticket: createTicketArgs,
  add_ticket_detail: addTicketDetailArgs,
  get_ticket_status: getTicketStatusArgs,
  list_my_tickets: listMyTicketsArgs,
  cancel_order: cancelOrderArgs,
  update_ticket: updateTicketArgs,
  request_human: requestHumanArgs,
  report_missing_delivery: reportMissingDeliveryArgs,
  start_return: startReturnArgs,
  assign_ticket: assignTicketArgs,
} as const;

export type ToolName = keyof typeof toolSchemas;
export const TOOL_NAMES = Object.keys(toolSchemas) as ToolName[];
export type ToolArgs<T extends ToolName> = z.output<(typeof toolSchemas)[T]>;

type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Turns zod issues into one line the model can act on, e.g. "Invalid arguments: orderId must look like ORD-12345". */
export function describeIssues(error: z.ZodError): string {
  const parts = error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `unexpected argument(s) ${issue.keys.join(', ')}`;
    if (issue.code === 'invalid_type' && issue.path.length === 0) return 'arguments must be a JSON object';
    const field = issue.path.join('.');
    // Custom messages already start with the field name; zod's defaults do not.
    return field && !issue.message.startsWith(field) ? `${field}: ${issue.message}` : issue.message;
  });
  return `Invalid arguments: ${[...new Set(parts)].join('; ')}`;
}

/**
 * Validates raw tool arguments. Accepts an object or a JSON string (raw OpenAI tool calls carry
 * a string); a missing argument object counts as {}. Never throws.
 */
export function parseToolArgs<T extends ToolName>(tool: T, raw: unknown): ParseResult<ToolArgs<T>> {
  let value: unknown = raw ?? {};
  if (typeof value === 'string') {
    try {
      value = value.trim() === '' ? {} : JSON.parse(value);
    } catch {
      return { ok: false, error: 'Invalid arguments: not valid JSON' };
    }
  }
  const parsed = toolSchemas[tool].safeParse(value);
  if (!parsed.success) return { ok: false, error: describeIssues(parsed.error) };
  return { ok: true, value: parsed.data as ToolArgs<T> };
}
