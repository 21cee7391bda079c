import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type {
  Memory,
  Message,
  PromptCompletionModel,
  PromptFunctions,
  PromptTemplate,
  Tokenizer,
} from '@microsoft/teams-ai';
import type { PromptResponse } from '@microsoft/teams-ai/lib/types';
import { extractEntities, type IntentClassifier, type IntentPrediction } from '../nlu';
import type { TicketCategory, TicketPriority } from '../tickets/ticketEnums';
import { replies } from '../replies';
import type { KnowledgeAnswerer } from './knowledgeAnswerer';
import { KNOWLEDGE_CITATIONS } from './knowledgeDataSource';
import { isSharedConversation, memberScoped, PENDING_SLOT } from '../teams/audience';

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
  intent: 'order_status' | 'ticket_status' | 'create_ticket' | 'cancel_order';
  slot: 'orderId' | 'ticketId' | 'description';
  askedAt: string;
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
  constructor(
    private readonly classifier: IntentClassifier,
    private readonly knowledge: KnowledgeAnswerer,
  ) {}

  async completePrompt(
    context: TurnContext,
    memory: Memory,
    _functions: PromptFunctions,
    _tokenizer: Tokenizer,
    _template: PromptTemplate,
  ): Promise<PromptResponse<string>> {
    const called = memory.getValue<string[] | undefined>(PENDING_CALLS);
    if (called && called.length > 0) {
      // Second pass: the tools ran; their outputs are the answer (cards were sent by the actions).
      memory.deleteValue(PENDING_CALLS);
      if (memory.getValue(CARD_SENT_KEY)) return say('');
      const outputs = memory.getValue<Record<string, string>>('temp.actionOutputs') ?? {};
      const text = called
        .map((id) => outputs[id])
        .filter((o): o is string => typeof o === 'string' && o.trim().length > 0)
        .join('\n\n');
      return say(text);
    }

    const input = String(memory.getValue('temp.input') ?? '').trim();
    const prediction = this.classifier.classify(input);
    memory.setValue('temp.intent', prediction.intent);
    return this.respond(context, memory, input, prediction);
  }

  private async respond(
    context: TurnContext,
    memory: Memory,
    input: string,
    prediction: IntentPrediction,
  ): Promise<PromptResponse<string>> {
    const entities = extractEntities(input);
    const PENDING = `conversation.${pendingSlotProperty(context)}`;
    const pending = activePending(memory, PENDING);

    if (prediction.intent === 'cancel') {
      memory.deleteValue(PENDING);
      return say(pending ? embeddedReplies.cancelled : embeddedReplies.nothingToCancel);
    }

    if (pending) {
      // "Cancel my order ORD-…" while a lookup waits for its number is a cancellation, not the answer.
      if (pending.slot === 'orderId' && entities.orderId && prediction.intent !== 'cancel_order') {
        memory.deleteValue(PENDING);
        if (pending.intent === 'cancel_order')
          return this.callTool(memory, 'cancel_order', { orderId: entities.orderId });
        return this.callTool(memory, 'get_order_status', { orderId: entities.orderId });
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
      case 'list_orders':
        memory.deleteValue(PENDING);
        return this.callTool(memory, 'list_my_orders', {});
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
        return this.answerFromKnowledge(context, memory, input, prediction.intent === 'knowledge_question');
    }
  }

  private async answerFromKnowledge(
    context: TurnContext,
    memory: Memory,
    question: string,
    recognisedAsQuestion: boolean,
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
      return say(recognisedAsQuestion ? embeddedReplies.notFound : embeddedReplies.outOfScope);
    }
    // The same hand-off as the LLM path: the sources offered this turn, cited by [n] in the text.
    memory.setValue(KNOWLEDGE_CITATIONS, reply.citations);
    return say(reply.text);
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
  return ['list_orders', 'ticket_status', 'cancel_order', 'help', 'reset', 'greeting'].includes(
    prediction.intent,
  );
}

const TICKET_PHRASES =
  /\b(please|pls|can you|could you|i want to|i'd like to|i would like to|i need to|help me|open|create|raise|file|submit|log|start|make|a|an|new|support|help ?desk|ticket|case|request|for|about|regarding|re)\b/gi;

/** "please open a new support ticket about: …" and the like, at the start of a request. */
const REQUEST_PREFIX =
  /^(?:(?:please|pls|hi|hello|hey)[,!]?\s+)*(?:(?:can|could) you\s+|i(?:'d| would) like to\s+|i (?:want|need) to\s+)?(?:open|create|raise|file|submit|log|start|make)\s+(?:me\s+)?(?:a\s+|an\s+)?(?:new\s+)?(?:support\s+|help ?desk\s+)?(?:ticket|case|request)\b\s*(?:about|for|regarding|re)?\s*[:,-]?\s*/i;

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

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
