/** The intents the bot understands. `out_of_scope` is what the model answers when it is not confident. */
export const INTENTS = [
  'order_status',
  'list_orders',
  'create_ticket',
  'ticket_status',
  'knowledge_question',
  'greeting',
  'help',
  'reset',
  'cancel',
  'cancel_order',
  'request_human',
  'missing_delivery',
  'start_return',
  'assign_ticket',
  'out_of_scope',
] as const;

export type IntentId = (typeof INTENTS)[number];

export const OUT_OF_SCOPE: IntentId = 'out_of_scope';

export function isIntentId(value: string): value is IntentId {
  return (INTENTS as readonly string[]).includes(value);
}

/** One labelled utterance, the unit of every training and evaluation set. */
export interface LabelledExample {
  text: string;
  intent: string;
}

export interface IntentPrediction {
  intent: string;
  confidence: number;
  /** The top 3 labels by model score, best first (before the out-of-scope threshold is applied). */
  ranking: { intent: string; score: number }[];
}
