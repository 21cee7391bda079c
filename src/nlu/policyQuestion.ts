import type { IntentPrediction } from './intents';

/**
 * Messages that name a policy topic but no action on the user's own order: the intent model reads
 * them as the action their words suggest ("returns" → start_return at 0.98, "Above what order value
 * is shipping free?" → order_status at 0.71), and the flow then asks for an order number. They ask
 * what the documents say, so they are knowledge questions; the documents answer them or the bot
 * says it could not find it (never a flow the user did not ask for).
 */

/** A topic named on its own ("returns", "refund policy", "shipping costs"): what the rules are. */
const BARE_TOPIC =
  /^(?:(?:the|your|ur|about)\s+)?(?:returns?(?:\s+(?:policy|policies|window|rules|and refunds))?|refunds?(?:\s+(?:policy|policies|rules|times?))?|exchanges?(?:\s+policy)?|shipping(?:\s+(?:policy|costs?|fees?|times?|options))?|delivery(?:\s+(?:costs?|fees?|times?|options))?|warranty|guarantee)(?:\s+(?:info|information))?$/i;

/** A bare word that is a request in itself ("return", "refund" = "I want one"): left to the model. */
const BARE_REQUEST = /^(?:return|refund)$/i;

/** Words that point at one of the user's own orders or parcels: then the action is meant. */
const OWN_ORDER =
  /\b(?:my|our|this|that|the one|mine)\s+(?:\w+\s+)?(?:orders?|parcels?|packages?|deliver(?:y|ies)|purchases?|items?|shipments?|jacket|stuff)\b|\b(?:ord|tkt)[-_ ]?\d+\b|\b\d{4,}\b/i;

/** An order id or a long number: that order, whatever else the message says. */
const ORDER_ID = /\b(?:ord|tkt)[-_ ]?\d+\b|\b\d{4,}\b/i;

/**
 * Asks for a deadline in so many words ("until when can I change where my order is delivered?",
 * "how long do I have to send my order back?"): the answer is the rule's time limit whether or not
 * the message says "my order"; looking the order up does not answer it. Only an order id makes it
 * that order's action.
 */
const DEADLINE_ASKED =
  /\b(?:until|till|by) when\b|\bhow long do (?:i|we|you) have\b|\bis there a (?:deadline|time limit)\b|\bwhat is the (?:deadline|time limit)\b/i;

/**
 * Asks what usually happens ("when will my parcel arrive usually?", "how long does delivery normally
 * take for my order?"): the rule's typical time, not a look-up of the user's own order, even when the
 * message says "my parcel". Only an order id makes it that order's action.
 */
const TYPICAL_CASE_ASKED =
  /^(?=.*\b(?:usually|normally|typically|generally|on average|in general|as a rule)\b)(?=.*\b(?:how long|how many days|how soon|how fast|how quickly|when)\b)/i;

/**
 * Asks whether an item in some state may still go back ("can I send back a swimsuit I already tried
 * on?", "the tags are off, can it still be returned?", "is a worn jacket returnable?"): the
 * conditions of the return policy, not a return of one of the user's orders.
 */
const ITEM_STATE =
  /\b(?:tried (?:\w+ )?on|worn|wore|used|opened|unsealed|unboxed|engraved|personali[sz]ed|customi[sz]ed|(?:tags?|labels?) (?:are |is )?(?:off|removed|cut)|(?:cut|took|taken|removed?) (?:\w+ )?(?:tags?|labels?)|without (?:the |its |a )?(?:tags?|labels?|box|packaging|receipt))\b/i;
const MAY_GO_BACK =
  /\b(?:can|could|may|is it possible to) (?:i|we|it|they|you)\b.*\b(?:return|send (?:\w+ )?back|bring (?:\w+ )?back|go back|take (?:\w+ )?back|exchange|refund)|\breturnable\b/i;

/** Asks about the rule itself: amounts, thresholds, costs, what is free or allowed. */
const RULE_CUE =
  /\b(?:above|over|below|under|from) what\b|\bwhat (?:order )?(?:value|amount|total)\b|\b(?:minimum|maximum|threshold|limit)\b|\bis (?:\w+ )?(?:shipping|delivery|return shipping) free\b|\bfree (?:shipping|delivery|returns?)\b|\bhow much (?:is|does|do) (?:shipping|delivery|postage)\b/i;

/**
 * Asks whether the rule still allows something, with a time in it: "is it too late to bring it back
 * in January?", "can I still return something I bought in November?", "how long do I have to send
 * it back?". Without the user's own order named ("my order", an id) it asks what the return window
 * is, even when it says when something was bought (which reads like an order named by its date).
 */
const DEADLINE_CUE =
  /\btoo late\b|\b(?:can|could|may) (?:i|we|you) still\b|\bis it still (?:possible|ok(?:ay)?|allowed)\b|\bam i still (?:in time|within|allowed|able)\b|\bhow long do (?:i|we|you) have\b|\b(?:until|till|by) when\b|\bis there a (?:deadline|time limit)\b|\bstill (?:in time|within the (?:return )?(?:window|period))\b/i;

/**
 * Asks what the rule does in a case, not about an order the user has: "if I order at noon, does it
 * leave today?", "can you send orders to the UK?", "do you deliver to Canada?".
 */
const CASE_CUE =
  /^if (?:i|we) (?:order|buy|pay|return|send|ship|live)\b|\b(?:do|can|will|would) you (?:ship|send|deliver|post)\b(?:\s+\w+)?\s+(?:to|abroad|overseas|internationally)\b/i;

/**
 * Chinese: asks how long, how much or whether something costs ("退货要几天退款", "加急配送多少钱",
 * "退货收运费吗", "国际订单多久能到") — a rule's time or amount — without the user's own order
 * (我的订单, 我买的, 这单, an order number): the documents answer it, no order is looked up.
 */
const ZH_RULE_CUE =
  /多久|几天|多长时间|多少天|几个工作日|多少钱|什么价|收费吗|要钱吗|免费吗|运费吗|(?:收不收|要不要|免不免)(?:费|钱|运费)|是什么规定|什么政策/u;
const ZH_OWN_ORDER =
  /我(?:的|们的)?(?:订单|包裹|快递|东西|货)|我(?:买|订|下单)的|这(?:个)?(?:订单|单|包裹)|那(?:个)?(?:订单|单|包裹)|订单号?\s*[:：]?\s*\d|\d{4,}/u;

/** Intents that act on or look up one of the user's orders. */
const ORDER_ACTIONS = new Set([
  'order_status',
  'list_orders',
  'start_return',
  'missing_delivery',
  'cancel_order',
]);

const normalise = (text: string) =>
  text
    .trim()
    .replace(/[?？!.。]+$/u, '')
    .replace(/\s+/g, ' ');

/** Whether `text` asks what the policy is rather than for an action on the user's own order. */
export function asksAboutPolicy(text: string): boolean {
  const t = normalise(typeof text === 'string' ? text : '');
  if (!t || ORDER_ID.test(t)) return false;
  if (/\p{Script=Han}/u.test(t)) return ZH_RULE_CUE.test(t) && !ZH_OWN_ORDER.test(t);
  if (DEADLINE_ASKED.test(t) || TYPICAL_CASE_ASKED.test(t)) return true;
  if (OWN_ORDER.test(t)) return false;
  if (ITEM_STATE.test(t) && MAY_GO_BACK.test(t)) return true;
  if (BARE_TOPIC.test(t)) return !BARE_REQUEST.test(t);
  return RULE_CUE.test(t) || DEADLINE_CUE.test(t) || CASE_CUE.test(t);
}

/**
 * The prediction with an order action that is really a policy question relabelled
 * `knowledge_question` (first in the ranking, same confidence); anything else unchanged.
 */
export function routePolicyQuestion<P extends IntentPrediction>(text: string, prediction: P): P {
  if (!ORDER_ACTIONS.has(prediction.intent) || !asksAboutPolicy(text)) return prediction;
  const ranking = [
    { intent: 'knowledge_question', score: prediction.confidence },
    ...prediction.ranking.filter((r) => r.intent !== 'knowledge_question'),
  ].slice(0, Math.max(prediction.ranking.length, 1));
  return { ...prediction, intent: 'knowledge_question', ranking };
}
