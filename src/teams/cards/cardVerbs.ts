import { z } from 'zod';
import { describeIssues, orderIdSchema, ticketIdSchema, ticketPrioritySchema } from '../../actions/schemas';

/**
 * Every Action.Execute verb our cards emit, each with the schema of the data it carries back.
 * The one list: the card builders take their verbs from it (`executeAction` accepts only these,
 * with data of the verb's shape), the card-action route registers a handler per key and
 * validates what Teams sends against the same schema.
 */
const draftRef = {
  /** The language the card was shown in (cardBase.langData); absent: English. */
  lang: z.enum(['en', 'zh-CN']).optional(),
  draftId: z.string({ required_error: 'draftId is required' }).uuid('draftId is not valid'),
  sig: z.string({ required_error: 'sig is required' }).regex(/^[0-9a-f]{64}$/i, 'sig is not valid'),
};

// Teams merges card inputs into `data`; an unselected ChoiceSet may arrive as "".
const optionalPriority = z.preprocess(
  (v) => (v === '' || v === null ? undefined : v),
  ticketPrioritySchema.optional(),
);

const cancelRef = z.object({
  orderId: orderIdSchema,
  requester: z.string({ required_error: 'requester is required' }).min(1).max(200),
  reason: z.string().max(500).optional(),
  sig: draftRef.sig,
  lang: draftRef.lang,
});

const returnRef = z.object({
  orderId: orderIdSchema,
  requester: z.string({ required_error: 'requester is required' }).min(1).max(200),
  items: z
    .array(z.object({ sku: z.string().min(1).max(120), quantity: z.number().int().positive().max(1000) }))
    .min(1)
    .max(50),
  reason: z.string().min(1).max(500),
  sig: draftRef.sig,
  lang: draftRef.lang,
});

/**
 * An assignment button: the ticket and the assignee the card was drawn with ('' = nobody), so a
 * click on a stale card is refused instead of taking the ticket from whoever took it meanwhile.
 * Unsigned on purpose: the button does what typing "assign … to me" does, and the clicker's own
 * role (RBAC, checked on every click) is the authority, not the card.
 */
const assignRef = z.object({
  ticketId: ticketIdSchema,
  expected: z
    .string({ required_error: 'expected is required' })
    .regex(/^$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected is not valid'),
  lang: draftRef.lang,
});

const CARD_VERB_SCHEMAS = {
  'ticket.confirm': z.object({ ...draftRef, priority: optionalPriority }),
  'ticket.cancel': z.object(draftRef),
  /** Adaptive Card refresh (Action.Execute, trigger automatic) of a draft card in a shared chat. */
  'ticket.refresh': z.object(draftRef),
  'ticket.draftFromOrder': z.object({ orderId: orderIdSchema, lang: draftRef.lang }),
  'order.showStatus': z.object({ orderId: orderIdSchema, lang: draftRef.lang }),
  'ticket.showStatus': z.object({ ticketId: ticketIdSchema, lang: draftRef.lang }),
  'order.cancelConfirm': cancelRef,
  'order.cancelKeep': cancelRef,
  'handoff.request': z.object({ lang: draftRef.lang }),
  'delivery.selectOrder': z.object({ orderId: orderIdSchema, lang: draftRef.lang }),
  'delivery.ticketWithoutOrder': z.object({ lang: draftRef.lang }),
  'order.returnConfirm': returnRef,
  'order.returnKeep': returnRef,
  'ticket.assignToMe': assignRef,
  'ticket.unassign': assignRef,
} as const;

export type CardActionVerb = keyof typeof CARD_VERB_SCHEMAS;
export const CARD_ACTION_VERBS = Object.keys(CARD_VERB_SCHEMAS) as CardActionVerb[];

/** The data a card must put on a button with this verb (before parsing). */
export type CardVerbInput<V extends CardActionVerb> = z.input<(typeof CARD_VERB_SCHEMAS)[V]>;

type CardAction = {
  [V in CardActionVerb]: { verb: V; data: z.output<(typeof CARD_VERB_SCHEMAS)[V]> };
}[CardActionVerb];

/** Checks an Action.Execute verb and its data against the schemas above. Never throws. */
export function validateCardActionData(
  verb: unknown,
  data: unknown,
): { ok: true; action: CardAction } | { ok: false; error: string } {
  if (typeof verb !== 'string' || !Object.hasOwn(CARD_VERB_SCHEMAS, verb)) {
    return { ok: false, error: 'Unknown card action' };
  }
  const parsed = CARD_VERB_SCHEMAS[verb as CardActionVerb].safeParse(data ?? {});
  if (!parsed.success)
    return {
      ok: false,
      error: describeIssues(parsed.error).replace('Invalid arguments', 'Invalid card data'),
    };
  return { ok: true, action: { verb, data: parsed.data } as CardAction };
}
