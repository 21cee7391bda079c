import { parseTicketUpdate } from '../nlu/ticketUpdate';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { TurnContext } from 'botbuilder';
import type {
  Memory,
  Message,
  PromptCompletionModel,
  PromptCompletionModelEmitter,
  PromptFunctions,
  PromptTemplate,
  Tokenizer,
} from '@microsoft/teams-ai';
import type { PromptResponse } from '@microsoft/teams-ai/lib/types';
import { extractEntities, soundsFrustrated, type IntentClassifier, type IntentPrediction } from '../nlu';
import type { TicketCategory, TicketPriority } from '../tickets/ticketEnums';
import { replies, returnReplies } from '../replies';
import type { KnowledgeAnswerer } from './knowledgeAnswerer';
import { KNOWLEDGE_CITATIONS } from './knowledgeDataSource';
import { isSharedConversation, memberScoped, PENDING_SLOT } from '../teams/audience';
import { guardStreamQueue, tellInStream, type StreamPredicate } from './streaming';

/** Internal action (not offered to the LLM) that clears the conversation, like the `reset` command. */
export const RESET_ACTION = 'reset_conversation';
/**
 * Internal action: a shared conversation asked something only a restricted document answers; the
 * answer (in PRIVATE_ANSWER_KEY) goes to the asker's 1:1 chat, the thread gets a sentence.
 */
export const PRIVATE_ANSWER_ACTION = 'answer_privately';
export const PRIVATE_ANSWER_KEY = 'temp.privateAnswer';

/** A question the bot asked and whose answer it is waiting for (slot filling across turns). */
export interface PendingSlot {
  intent:
    'order_status' | 'ticket_status' | 'create_ticket' | 'cancel_order' | 'missing_delivery' | 'start_return';
  slot: 'orderId' | 'ticketId' | 'description' | 'reason';
  askedAt: string;
  /** start_return: what the user already said (the order while asking why, the reason while asking which). */
  orderId?: string;
  reason?: string;
}

/** The pending question's conversation-state property: per member in shared conversations. */
export function pendingSlotProperty(context: TurnContext): string {
  return memberScoped(context.activity, PENDING_SLOT);
}
const PENDING_CALLS = 'temp.embeddedToolCalls';
/** Set by the tool actions when they showed a card; the card already says what the summary would. */
export const CARD_SENT_KEY = 'temp.toolCardSent';
const PENDING_MAX_AGE_MS = 15 * 60 * 1000;

export const embeddedReplies = {
  askOrderId: 'Which order number? It looks like ORD-10421.',
  askCancelOrderId: 'Which order do you want to cancel? Order numbers look like ORD-10421.',
  askTicketId: 'Which ticket? Ticket numbers look like TKT-000123.',
  askTicketProblem:
    "What's the problem? Describe it in a sentence or two and I'll draft a ticket for you to confirm.",
  cancelled: "OK, I've stopped that. What else can I do for you?",
  nothingToCancel: "There's nothing to cancel. What can I do for you?",
  greeting:
    'Hello! I can look up your orders, open support tickets and answer questions about our policies. What can I do for you?',
  notFound: "I couldn't find that in the knowledge base.",
  outOfScope:
    "I can help with orders, support tickets and questions about our policies, but I couldn't find anything about that in the knowledge base.",
  knowledgeUnavailable:
    'The knowledge base is unavailable right now, but I can still help with orders and tickets.',
} as const;

/**
 * The offline "LLM": a trained intent classifier plus entity extraction that answers a prompt
 * the way a function-calling model would — with tool calls for the same actions, then a final
 * message once the tools have run. Retrieved documents never reach it as instructions: it
 * classifies only the user's own words, and answers knowledge questions extractively.
 */
export class EmbeddedIntentModel implements PromptCompletionModel {
  /**
   * Completion events as OpenAIModel emits them. A knowledge answer in a conversation where
   * `stream` allows it is streamed: `beforeCompletion(streaming: true)` makes teams-ai open a
   * stream (its informative update goes out while retrieval runs), the answer follows as one chunk.
   */
  readonly events: PromptCompletionModelEmitter = new EventEmitter() as PromptCompletionModelEmitter;
  private readonly stream: StreamPredicate;

  constructor(
    private readonly classifier: IntentClassifier,
    private readonly knowledge: KnowledgeAnswerer,
    options: { stream?: StreamPredicate } = {},
  ) {
    this.stream = options.stream ?? (() => false);
    guardStreamQueue(this.events);
  }

  async completePrompt(
    context: TurnContext,
    memory: Memory,
    functions: PromptFunctions,
    tokenizer: Tokenizer,
    template: PromptTemplate,
  ): Promise<PromptResponse<string>> {
    const prompt: PromptArgs = [context, memory, functions, tokenizer, template];
    const called = memory.getValue<string[] | undefined>(PENDING_CALLS);
    if (called && called.length > 0) {
      // Second pass: the tools ran; their outputs are the answer (cards were sent by the actions).
      memory.deleteValue(PENDING_CALLS);
      const outputs = memory.getValue<Record<string, string>>('temp.actionOutputs') ?? {};
      const text = called
        .map((id) => outputs[id])
        .filter((o): o is string => typeof o === 'string' && o.trim().length > 0)
        .join('\n\n');
      // start_return without a reason was sent with its "why?" already pending; when the tool
      // answered otherwise (already requested, not delivered, not found) there is nothing to ask.
      const PENDING = `conversation.${pendingSlotProperty(context)}`;
      const pending = memory.getValue<PendingSlot | undefined>(PENDING);
      if (
        pending?.slot === 'reason' &&
        pending.orderId &&
        !text.includes(returnReplies.askReason(pending.orderId))
      )
        memory.deleteValue(PENDING);
      if (memory.getValue(CARD_SENT_KEY)) return say('');
      return say(text);
    }

    const input = String(memory.getValue('temp.input') ?? '').trim();
    const prediction = requireReturnCue(input, this.classifier.classify(input));
    memory.setValue('temp.intent', prediction.intent);
    return this.respond(prompt, input, prediction);
  }

  private async respond(
    prompt: PromptArgs,
    input: string,
    prediction: IntentPrediction,
  ): Promise<PromptResponse<string>> {
    const [context, memory] = prompt;
    const entities = extractEntities(input);
    const PENDING = `conversation.${pendingSlotProperty(context)}`;
    const pending = activePending(memory, PENDING);

    // "it doesn't fit" answers "why are you returning it?"; it does not stop the flow.
    const answersWhy = pending?.slot === 'reason' && RETURN_REASON_HINT.test(input);
    if (prediction.intent === 'cancel' && !answersWhy) {
      memory.deleteValue(PENDING);
      return say(pending ? embeddedReplies.cancelled : embeddedReplies.nothingToCancel);
    }

    if (pending) {
      // "Cancel my order ORD-…" while a lookup waits for its number is a cancellation, not the answer.
      if (pending.slot === 'orderId' && entities.orderId && prediction.intent !== 'cancel_order') {
        memory.deleteValue(PENDING);
        if (pending.intent === 'cancel_order')
          return this.callTool(memory, 'cancel_order', { orderId: entities.orderId });
        if (pending.intent === 'missing_delivery') {
          // "ORD-10421" / "it's ORD-10421" answers "which order?"; "where is ORD-10421?" is a new question.
          if (prediction.intent === 'missing_delivery' || isShortAnswer(input))
            return this.callTool(memory, 'report_missing_delivery', { orderId: entities.orderId });
          return this.respond(prompt, input, prediction);
        }
        if (pending.intent === 'start_return')
          return this.startReturn(memory, PENDING, entities.orderId, pending.reason ?? returnReason(input));
        return this.callTool(memory, 'get_order_status', { orderId: entities.orderId });
      }
      if (
        pending.slot === 'reason' &&
        pending.orderId &&
        (answersWhy ||
          !isOtherTask(input, prediction, entities) ||
          // "I want to send it back because …" without a number still answers about the same order.
          (prediction.intent === 'start_return' && !entities.orderId))
      ) {
        memory.deleteValue(PENDING);
        return this.startReturn(memory, PENDING, pending.orderId, returnReason(input) ?? input);
      }
      if (pending.slot === 'ticketId' && entities.ticketId) {
        memory.deleteValue(PENDING);
        return this.callTool(memory, 'get_ticket_status', { ticketId: entities.ticketId });
      }
      if (pending.slot === 'description' && !isOtherTask(input, prediction, entities)) {
        memory.deleteValue(PENDING);
        return this.callTool(memory, 'create_ticket', draftTicket(input, entities));
      }
    }

    // "Mark TKT-000123 as resolved: …" / "close ticket TKT-000123": by rule, whatever the classifier says.
    const ticketUpdate = entities.ticketId ? parseTicketUpdate(input) : undefined;
    if (ticketUpdate && entities.ticketId) {
      memory.deleteValue(PENDING);
      return this.callTool(memory, 'update_ticket', { ticketId: entities.ticketId, ...ticketUpdate });
    }
    // Venting ("this is useless") is not a question or a request for help text: the turn's
    // handoff offer (src/teams/aiRoutes.ts) is the answer. Tasks in the same message still run.
    if (!TASK_INTENTS.has(prediction.intent) && soundsFrustrated(input)) return say('');
    // Not a confident action and nothing to act on ("Can I bring an online order back to a shop?" read
    // as request_human at 0.26): the documents answer when they can, otherwise the action goes ahead.
    if (
      ACTIONS_WITHOUT_CONFIDENCE.has(prediction.intent) &&
      prediction.confidence < ACTION_CONFIDENCE &&
      !entities.orderId &&
      !entities.ticketId &&
      (await this.knowledgeAnswers(context, input))
    )
      return this.answerFromKnowledge(prompt, input, true);

    switch (prediction.intent) {
      case 'order_status':
        memory.deleteValue(PENDING);
        if (entities.orderId) return this.callTool(memory, 'get_order_status', { orderId: entities.orderId });
        return ask(memory, PENDING, { intent: 'order_status', slot: 'orderId' }, embeddedReplies.askOrderId);
      case 'cancel_order':
        memory.deleteValue(PENDING);
        if (entities.orderId)
          return this.callTool(memory, 'cancel_order', cancelArgs(input, entities.orderId));
        return ask(
          memory,
          PENDING,
          { intent: 'cancel_order', slot: 'orderId' },
          embeddedReplies.askCancelOrderId,
        );
      case 'start_return': {
        memory.deleteValue(PENDING);
        const reason = returnReason(input);
        if (entities.orderId) return this.startReturn(memory, PENDING, entities.orderId, reason);
        return ask(
          memory,
          PENDING,
          { intent: 'start_return', slot: 'orderId', ...(reason ? { reason } : {}) },
          returnReplies.askOrderId,
        );
      }
      case 'list_orders':
        memory.deleteValue(PENDING);
        return this.callTool(memory, 'list_my_orders', {});
      case 'request_human':
        memory.deleteValue(PENDING);
        return this.callTool(memory, 'request_human', {});
      case 'missing_delivery':
        memory.deleteValue(PENDING);
        if (entities.orderId)
          return this.callTool(memory, 'report_missing_delivery', { orderId: entities.orderId });
        // The tool lists the candidates; a typed order number next turn answers the question.
        memory.setValue(PENDING, {
          intent: 'missing_delivery',
          slot: 'orderId',
          askedAt: new Date().toISOString(),
        } satisfies PendingSlot);
        return this.callTool(memory, 'report_missing_delivery', {});
      case 'ticket_status':
        memory.deleteValue(PENDING);
        if (entities.ticketId)
          return this.callTool(memory, 'get_ticket_status', { ticketId: entities.ticketId });
        return ask(
          memory,
          PENDING,
          { intent: 'ticket_status', slot: 'ticketId' },
          embeddedReplies.askTicketId,
        );
      case 'create_ticket': {
        memory.deleteValue(PENDING);
        if (problemWords(input).length < 3) {
          const askProblem = () =>
            ask(
              memory,
              PENDING,
              { intent: 'create_ticket', slot: 'description' },
              embeddedReplies.askTicketProblem,
            );
          // "open on sunday" is not "open a ticket": without a ticket word, the documents answer first.
          if (!TICKET_CUE.test(input)) return this.answerFromKnowledge(prompt, input, true, askProblem);
          return ask(
            memory,
            PENDING,
            { intent: 'create_ticket', slot: 'description' },
            embeddedReplies.askTicketProblem,
          );
        }
        return this.callTool(memory, 'create_ticket', draftTicket(input, entities));
      }
      case 'greeting':
        return say(embeddedReplies.greeting);
      case 'help':
        return say(replies.help);
      case 'reset':
        return this.callTool(memory, RESET_ACTION, {});
      default:
        // knowledge_question, out_of_scope and anything below the confidence threshold.
        return this.answerFromKnowledge(prompt, input, prediction.intent === 'knowledge_question');
    }
  }

  /** Whether the knowledge base answers `question` for this user (nothing is sent). */
  private async knowledgeAnswers(context: TurnContext, question: string): Promise<boolean> {
    const reply = await this.knowledge.answer(
      context.activity.from?.aadObjectId,
      question,
      isSharedConversation(context.activity) ? 'shared' : 'private',
    );
    return reply.kind === 'answer' || reply.kind === 'restricted';
  }

  /** `otherwise`: what to do instead of saying "not found" (the request the classifier saw). */
  private async answerFromKnowledge(
    prompt: PromptArgs,
    question: string,
    recognisedAsQuestion: boolean,
    otherwise?: () => PromptResponse<string>,
  ): Promise<PromptResponse<string>> {
    const [context, memory] = prompt;
    const streaming = this.stream(context);
    if (!streaming) return this.knowledgeReply(context, memory, question, recognisedAsQuestion, otherwise);
    this.events.emit('beforeCompletion', ...prompt, true);
    let response: PromptResponse<string>;
    try {
      response = await this.knowledgeReply(context, memory, question, recognisedAsQuestion, otherwise);
    } catch (err) {
      // A bug below: the open stream still gets a clear ending; the turn's error handler logs it.
      tellInStream(context, memory, replies.turnFailed);
      throw err;
    }
    const content = response.status === 'success' ? response.message?.content : undefined;
    if (content) {
      this.events.emit('chunkReceived', context, memory, { delta: { role: 'assistant', content } });
    }
    return response;
  }

  private async knowledgeReply(
    context: TurnContext,
    memory: Memory,
    question: string,
    recognisedAsQuestion: boolean,
    otherwise?: () => PromptResponse<string>,
  ): Promise<PromptResponse<string>> {
    const reply = await this.knowledge.answer(
      context.activity.from?.aadObjectId,
      question,
      isSharedConversation(context.activity) ? 'shared' : 'private',
    );
    if (reply.kind === 'unavailable') return say(embeddedReplies.knowledgeUnavailable);
    if (reply.kind === 'restricted') {
      // The Teams layer sends it to the asker's 1:1 chat (or offers one when that fails).
      memory.setValue(PRIVATE_ANSWER_KEY, reply.private);
      return this.callTool(memory, PRIVATE_ANSWER_ACTION, {});
    }
    if (reply.kind === 'notFound') {
      if (otherwise) return otherwise();
      return say(recognisedAsQuestion ? embeddedReplies.notFound : embeddedReplies.outOfScope);
    }
    // The same hand-off as the LLM path: the sources offered this turn, cited by [n] in the text.
    memory.setValue(KNOWLEDGE_CITATIONS, reply.citations);
    return say(reply.text);
  }

  /**
   * start_return checks the order first. Without a reason it asks why itself (when the order can be
   * returned), so the answer to that question is expected from here on; the second pass drops the
   * expectation when the tool answered something else.
   */
  private startReturn(
    memory: Memory,
    pendingKey: string,
    orderId: string,
    reason: string | undefined,
  ): PromptResponse<string> {
    if (reason) return this.callTool(memory, 'start_return', { orderId, reason: reason.slice(0, 500) });
    memory.setValue(pendingKey, {
      intent: 'start_return',
      slot: 'reason',
      orderId,
      askedAt: new Date().toISOString(),
    } satisfies PendingSlot);
    return this.callTool(memory, 'start_return', { orderId });
  }

  private callTool(memory: Memory, name: string, args: Record<string, unknown>): PromptResponse<string> {
    const id = `call_${randomUUID()}`;
    memory.setValue(PENDING_CALLS, [id]);
    return {
      status: 'success',
      message: {
        role: 'assistant',
        content: undefined,
        action_calls: [{ id, type: 'function', function: { name, arguments: JSON.stringify(args) } }],
      },
    };
  }
}

type PromptArgs = [TurnContext, Memory, PromptFunctions, Tokenizer, PromptTemplate];

/**
 * Below this confidence an action intent is not taken at its word when the documents answer the
 * message. Not higher: "I'd prefer that a staff member gets in touch with me" is request_human at 0.75.
 */
export const ACTION_CONFIDENCE = 0.5;
/** Actions that only look something up or ask a question first: a document may answer instead. */
const ACTIONS_WITHOUT_CONFIDENCE = new Set([
  'order_status',
  'list_orders',
  'ticket_status',
  'create_ticket',
  'request_human',
  'missing_delivery',
]);

/** Intents that do something; a frustrated message with one of them still gets it done. */
const TASK_INTENTS = new Set([
  'order_status',
  'cancel_order',
  'list_orders',
  'ticket_status',
  'create_ticket',
  'request_human',
  'missing_delivery',
  'reset',
  'cancel',
]);

function say(content: string): PromptResponse<string> {
  const message: Message<string> = { role: 'assistant', content };
  return { status: 'success', message };
}

function ask(
  memory: Memory,
  key: string,
  slot: Omit<PendingSlot, 'askedAt'>,
  question: string,
): PromptResponse<string> {
  memory.setValue(key, { ...slot, askedAt: new Date().toISOString() } satisfies PendingSlot);
  return say(question);
}

function activePending(memory: Memory, key: string): PendingSlot | undefined {
  const pending = memory.getValue<PendingSlot | undefined>(key);
  if (!pending) return undefined;
  if (Date.now() - Date.parse(pending.askedAt) > PENDING_MAX_AGE_MS) {
    memory.deleteValue(key);
    return undefined;
  }
  return pending;
}

/** While we wait for a ticket description, a clear request for something else is not the description. */
function isOtherTask(
  text: string,
  prediction: IntentPrediction,
  entities: ReturnType<typeof extractEntities>,
): boolean {
  if (entities.ticketId) return true;
  // A policy question in between ("what are your support hours?") is answered; the draft waits.
  if (prediction.intent === 'knowledge_question' && text.trim().endsWith('?')) return true;
  return [
    'list_orders',
    'ticket_status',
    'cancel_order',
    'request_human',
    'missing_delivery',
    'start_return',
    'help',
    'reset',
    'greeting',
  ].includes(prediction.intent);
}

const TICKET_PHRASES =
  /\b(please|pls|can you|could you|i want to|i'd like to|i would like to|i need to|help me|open|create|raise|file|submit|log|start|make|a|an|new|support|help ?desk|ticket|case|request|for|about|regarding|re)\b/gi;

/** "please open a new support ticket about: …" and the like, at the start of a request. */
const REQUEST_PREFIX =
  /^(?:(?:please|pls|hi|hello|hey)[,!]?\s+)*(?:(?:can|could) you\s+|i(?:'d| would) like to\s+|i (?:want|need) to\s+)?(?:open|create|raise|file|submit|log|start|make)\s+(?:me\s+)?(?:a\s+|an\s+)?(?:new\s+)?(?:support\s+|help ?desk\s+)?(?:ticket|case|request)\b\s*(?:about|for|regarding|re)?\s*[:,-]?\s*/i;

/** Words that ask for a ticket in so many words (create_ticket without them may be a question). */
const TICKET_CUE = /\b(tickets?|case|incident|issue|problem|support request|help ?desk|service desk)\b/i;

/** The words describing the problem, once the request wording ("open a ticket about …") is gone. */
function problemWords(text: string): string[] {
  return text
    .replace(TICKET_PHRASES, ' ')
    .split(/[^\p{L}\p{N}-]+/u)
    .filter((w) => w.length > 1);
}

const PRIORITY_MAP: Record<string, TicketPriority> = {
  low: 'low',
  medium: 'normal',
  high: 'high',
  critical: 'urgent',
};
const CATEGORY_MAP: Record<string, TicketCategory> = {
  billing: 'billing',
  shipping: 'delivery',
  product: 'order',
  account: 'account',
  technical: 'technical',
  other: 'other',
};

/** Fills create_ticket's arguments from the user's own words; the user reviews them on the draft card. */
export function draftTicket(text: string, entities: ReturnType<typeof extractEntities>) {
  const cleaned = text.replace(/\s+/g, ' ').trim();
  // The title is the user's own first sentence without the request wording in front of it.
  const problem = cleaned.replace(REQUEST_PREFIX, '').trim() || cleaned;
  const firstSentence = problem.split(/(?<=[.!?])\s/)[0] ?? problem;
  const title = capitalise(firstSentence.replace(/[.!?]+$/, '')).slice(0, 100);
  const category =
    (entities.category && CATEGORY_MAP[entities.category]) ?? (entities.orderId ? 'order' : 'other');
  return {
    title: title.length >= 3 ? title : 'Support request',
    description: cleaned.slice(0, 4000),
    category,
    priority: (entities.priority && PRIORITY_MAP[entities.priority]) ?? 'normal',
    ...(entities.orderId ? { orderId: entities.orderId } : {}),
  };
}

/** cancel_order's arguments: the order, and the user's stated reason ("… because I ordered twice"). */
function cancelArgs(text: string, orderId: string): { orderId: string; reason?: string } {
  const reason = /\b(?:because|since|reason:?)\s+(.+)$/i
    .exec(text.trim())?.[1]
    ?.replace(/[.!]+$/, '')
    .trim();
  return reason ? { orderId, reason: reason.slice(0, 500) } : { orderId };
}

/** A bare slot answer: the order number plus at most three other words ("it's ORD-10421"). */
function isShortAnswer(text: string): boolean {
  return (
    text
      .replace(/\bORD-?\d+\b/gi, ' ')
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean).length <= 3
  );
}

/** A return or refund named in so many words; without one, start_return is not what the user asked. */
const RETURN_CUE =
  /\b(return\w*|retrun\w*|refund\w*|refnd|reimburse\w*|money back|rma|(?:send|sent|take|bring|ship)(?: \w+){0,2} back)\b/i;

/**
 * start_return is a write action: a bare order number ("ORD-10388", "sorry, I meant ORD-10421")
 * must not become one because many return requests carry a number. Without a return cue the next
 * intent in the ranking is taken instead.
 */
function requireReturnCue(text: string, prediction: IntentPrediction): IntentPrediction {
  if (prediction.intent !== 'start_return' || RETURN_CUE.test(text)) return prediction;
  const next = prediction.ranking.find((r) => r.intent !== 'start_return');
  return next ? { ...prediction, intent: next.intent, confidence: next.score } : prediction;
}

/** Words that name why something goes back ("it doesn't fit", "arrived damaged", "wrong size"). */
const RETURN_REASON_HINT =
  /\b(fit|fits|damaged?|broken|broke|defective|faulty|stopped working|(?:does ?n[o']?t|not|never) work(?:s|ing)?|wrong|too (?:small|big|large|tight|loose|short|long)|no longer need(?:ed)?|(?:do ?n[o']?t|not) need|not as described|not what I expected|quality|dead|scratched|cracked|missing parts?)\b/i;

/** start_return's reason from the user's own words: "… because it broke", or the phrase naming it. */
function returnReason(text: string): string | undefined {
  const stated = /\b(?:because|since|reason:?)\s+(.+)$/i
    .exec(text.trim())?.[1]
    ?.replace(/[.!]+$/, '')
    .trim();
  if (stated && stated.split(/\s+/).length >= 2) return stated;
  const clause = text
    .split(/[,.;!?]|\s+-\s+/)
    .map((part) => part.replace(/\bORD-\d+\b/gi, '').trim())
    .find((part) => RETURN_REASON_HINT.test(part));
  return clause || undefined;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
