import { ticketListScope } from '../nlu/ticketListScope';
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
import { soundsFrustrated, type IntentPrediction } from '../nlu';
import {
  isCorrection,
  isQuestion,
  withoutPreamble,
  mentionsOrderReference,
  normaliseIds,
  resolveOrderReference,
  resumePrompt,
  smallTalk,
  splitRequests,
  type OrderLike,
} from '../nlu/dialogue';
import { extractEntitiesFor } from '../nlu/entitiesZh';
import type { TurnIntentModel } from '../nlu/languageModels';
import { turnLanguage, type Language } from '../text/language';
import { translator } from '../text/i18n';
import type { TicketCategory, TicketPriority } from '../tickets/ticketEnums';
import type { KnowledgeAnswerer } from './knowledgeAnswerer';
import { isSharedConversation } from '../teams/audience';
import {
  ACTION_OUTPUTS_KEY,
  AFTERWORD_KEY,
  AWAITING_CONFIRM_PATH_KEY,
  awaitingConfirmKey,
  CARD_SENT_KEY,
  INPUT_KEY,
  INTENT_KEY,
  KNOWLEDGE_CITATIONS,
  LANGUAGE_KEY,
  LAST_ORDER_ACTION_PATH_KEY,
  lastOrderActionKey,
  PENDING_CALLS_KEY,
  pendingSlotKey,
  PRIVATE_ANSWER_KEY,
} from './memoryKeys';
import { guardStreamQueue, tellInStream, type StreamPredicate } from './streaming';

/** Internal action (not offered to the LLM) that clears the conversation, like the `reset` command. */
export const RESET_ACTION = 'reset_conversation';
/**
 * Internal action: a shared conversation asked something only a restricted document answers; the
 * answer (in PRIVATE_ANSWER_KEY) goes to the asker's 1:1 chat, the thread gets a sentence.
 */
export const PRIVATE_ANSWER_ACTION = 'answer_privately';

/** A question the bot asked and whose answer it is waiting for (slot filling across turns). */
export interface PendingSlot {
  intent:
    'order_status' | 'ticket_status' | 'create_ticket' | 'cancel_order' | 'missing_delivery' | 'start_return';
  slot: 'orderId' | 'ticketId' | 'description' | 'reason';
  askedAt: string;
  /** start_return: what the user already said (the order while asking why, the reason while asking which). */
  orderId?: string;
  reason?: string;
  /** start_return: the items the request named ("return the headphones from ORD-…"). */
  items?: { item: string }[];
}

interface LastOrderAction {
  tool: string;
  orderId: string;
  /** When it ran: "cancel it" refers to an order only for a while. */
  at?: string;
  /** start_return: the reason given, which a correction of the order number keeps. */
  reason?: string;
}
/** Tools that act on one order; a correction re-runs the same one (write tools confirm on a card). */
const ORDER_TOOLS = new Set(['get_order_status', 'cancel_order', 'start_return', 'report_missing_delivery']);
const PENDING_MAX_AGE_MS = 15 * 60 * 1000;

/** The embedded model's own sentences in `language` (the message catalogue, src/text/catalogue.ts). */
export function embeddedRepliesFor(language: Language = 'en') {
  const { t } = translator(language);
  return {
    askOrderId: t('embedded.askOrderId'),
    askCancelOrderId: t('embedded.askCancelOrderId'),
    askTicketId: t('embedded.askTicketId'),
    askTicketProblem: t('embedded.askTicketProblem'),
    cancelled: t('embedded.cancelled'),
    nothingToCancel: t('embedded.nothingToCancel'),
    greeting: t('embedded.greeting'),
    notFound: t('embedded.notFound'),
    outOfScope: t('embedded.outOfScope'),
    knowledgeUnavailable: t('embedded.knowledgeUnavailable'),
    thanks: t('embedded.thanks'),
    thanksInFlow: t('embedded.thanksInFlow'),
    greetingInFlow: t('embedded.greetingInFlow'),
    askWhichOfOrders: (list: string) => t('embedded.askWhichOfOrders', { list }),
    otherRequest: t('embedded.otherRequest'),
    noMatchingOrder: t('embedded.noMatchingOrder'),
    pressConfirm: t('embedded.pressConfirm'),
    help: t('replies.help'),
    turnFailed: t('replies.turnFailed'),
    askReturnOrderId: t('returns.askOrderId'),
    askReason: (orderId: string) => t('returns.askReason', { orderId }),
    resume: (question: string) =>
      language === 'en' ? resumePrompt(question) : t('embedded.resume', { question: question.trim() }),
  };
}
const REPLIES_BY_LANGUAGE = { en: embeddedRepliesFor('en'), 'zh-CN': embeddedRepliesFor('zh-CN') };
/** The English sentences (tests and the eval harness match them). */
export const embeddedReplies = REPLIES_BY_LANGUAGE.en;
/** This turn's sentences: the language completePrompt stored in temp.language. */
function repliesOf(memory: Memory) {
  const language = memory.getValue<Language | undefined>(LANGUAGE_KEY);
  return REPLIES_BY_LANGUAGE[language === 'zh-CN' ? 'zh-CN' : 'en'];
}

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
  private readonly ownOrders?: (aadObjectId: string) => Promise<OrderLike[]>;

  /**
   * `classifier` is one model (an IntentClassifier) or one per language (LanguageIntentModels):
   * it gets the activity's locale with the text and picks the turn's model itself.
   */
  constructor(
    private readonly classifier: TurnIntentModel,
    private readonly knowledge: KnowledgeAnswerer,
    options: {
      stream?: StreamPredicate;
      /** The requesting user's own orders (never anyone else's): for "the one with the monitor". */
      ownOrders?: (aadObjectId: string) => Promise<OrderLike[]>;
    } = {},
  ) {
    this.stream = options.stream ?? (() => false);
    this.ownOrders = options.ownOrders;
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
    const called = memory.getValue<string[] | undefined>(PENDING_CALLS_KEY);
    if (called && called.length > 0) {
      // Second pass: the tools ran; their outputs are the answer (cards were sent by the actions).
      memory.deleteValue(PENDING_CALLS_KEY);
      const outputs = memory.getValue<Record<string, string>>(ACTION_OUTPUTS_KEY) ?? {};
      const afterword = memory.getValue<string | undefined>(AFTERWORD_KEY);
      memory.deleteValue(AFTERWORD_KEY);
      const text = called
        .map((id) => outputs[id])
        .filter((o): o is string => typeof o === 'string' && o.trim().length > 0)
        .join('\n\n');
      // start_return without a reason was sent with its "why?" already pending; when the tool
      // answered otherwise (already requested, not delivered, not found) there is nothing to ask.
      const PENDING = pendingSlotKey(context);
      const pending = memory.getValue<PendingSlot | undefined>(PENDING);
      if (
        pending?.slot === 'reason' &&
        pending.orderId &&
        // The tool asks in the turn's language (ActionContext.language); either wording counts.
        !Object.values(REPLIES_BY_LANGUAGE).some((r) => text.includes(r.askReason(pending.orderId!)))
      )
        memory.deleteValue(PENDING);
      // A refusal (already shipped, not found …) showed no card: nothing waits for Confirm.
      if (!memory.getValue(CARD_SENT_KEY)) memory.deleteValue(awaitingConfirmKey(context));
      if (memory.getValue(CARD_SENT_KEY)) return say(afterword ?? '');
      return say([text, afterword].filter(Boolean).join('\n\n'));
    }

    memory.setValue(LAST_ORDER_ACTION_PATH_KEY, lastOrderActionKey(context));
    const awaitingKey = awaitingConfirmKey(context);
    const awaiting = memory.getValue<AwaitingConfirm | undefined>(awaitingKey);
    memory.deleteValue(awaitingKey);
    memory.setValue(AWAITING_CONFIRM_PATH_KEY, awaitingKey);
    const input = String(memory.getValue(INPUT_KEY) ?? '').trim();
    const locale = prompt[0].activity.locale;
    const classified = this.classifier.classify(input, locale);
    const language = classified.language ?? turnLanguage(input, locale);
    const prediction = requireReturnCue(input, classified);
    memory.setValue(INTENT_KEY, prediction.intent);
    memory.setValue(LANGUAGE_KEY, language);
    // "yes" / "ok go ahead with the return" right after a card that waits for Confirm.
    if (
      awaiting &&
      Date.now() - Date.parse(awaiting.at) < FOLLOW_UP_MAX_AGE_MS &&
      !memory.getValue(pendingSlotKey(context)) &&
      AFFIRMATION.test(input)
    ) {
      memory.setValue(awaitingKey, awaiting);
      return say(repliesOf(memory).pressConfirm);
    }
    const both = await this.twoRequests(prompt, input, language);
    if (both) return both;
    return this.respond(prompt, input, prediction, language);
  }

  /**
   * "Where is ORD-10421 and can you open a ticket about my printer?": each part is handled as its own
   * message; tool calls run together, and a question the second part needs is asked after the answer.
   */
  private async twoRequests(
    prompt: PromptArgs,
    input: string,
    language: Language,
  ): Promise<PromptResponse<string> | undefined> {
    const parts = splitRequests(input);
    if (!parts) return undefined;
    const locale = prompt[0].activity.locale;
    const predictions = parts.map((p) => requireReturnCue(p, this.classifier.classify(p, locale)));
    if (!predictions.every((p) => TASK_INTENTS.has(p.intent) || p.intent === 'start_return'))
      return undefined;
    if (predictions[0].intent === predictions[1].intent) return undefined;
    const memory = prompt[1];
    const first = await this.respond(prompt, parts[0], predictions[0], language);
    const firstCalls = memory.getValue<string[] | undefined>(PENDING_CALLS_KEY) ?? [];
    memory.deleteValue(PENDING_CALLS_KEY);
    const second = await this.respond(prompt, parts[1], predictions[1], language);
    const secondCalls = memory.getValue<string[] | undefined>(PENDING_CALLS_KEY) ?? [];
    const actionCalls = [...(first.message?.action_calls ?? []), ...(second.message?.action_calls ?? [])];
    const firstText = first.message?.content?.trim();
    const secondText = second.message?.content?.trim();
    const follow = secondText ? `${repliesOf(memory).otherRequest} ${secondText}` : undefined;
    if (actionCalls.length === 0) return say([firstText, follow].filter(Boolean).join('\n\n'));
    memory.setValue(PENDING_CALLS_KEY, [...firstCalls, ...secondCalls]);
    const afterword = [firstText, follow].filter(Boolean).join('\n\n');
    if (afterword) memory.setValue(AFTERWORD_KEY, afterword);
    return {
      status: 'success',
      message: { role: 'assistant', content: undefined, action_calls: actionCalls },
    };
  }

  private async respond(
    prompt: PromptArgs,
    input: string,
    prediction: IntentPrediction,
    language: Language,
  ): Promise<PromptResponse<string>> {
    const [context, memory] = prompt;
    const PENDING = pendingSlotKey(context);
    const pending = activePending(memory, PENDING);
    const expecting = pending?.slot === 'orderId' || pending?.slot === 'ticketId' ? pending.slot : undefined;
    // "ord 10421", "10421" (when asked for an order number), "ORD-1042l": the canonical id.
    const entities = extractEntitiesFor(normaliseIds(input, expecting), language);
    const pendingQuestion = pending ? questionFor(pending, repliesOf(memory)) : undefined;

    // "thanks!", "cheers", "hi there": answered as a person would; a waiting question is asked again.
    const talk = smallTalk(input);
    if (talk) {
      if (pendingQuestion)
        return say(
          `${talk === 'thanks' ? repliesOf(memory).thanksInFlow : repliesOf(memory).greetingInFlow} ${repliesOf(memory).resume(pendingQuestion)}`,
        );
      return say(talk === 'thanks' ? repliesOf(memory).thanks : repliesOf(memory).greeting);
    }
    // Venting while a question waits is not its answer; the handoff offer follows and the flow waits.
    if (
      pending &&
      soundsFrustrated(input) &&
      !entities.orderId &&
      !entities.ticketId &&
      wordCount(input) <= 8
    )
      return say('');

    // "it doesn't fit" answers "why are you returning it?"; it does not stop the flow.
    const answersWhy = pending?.slot === 'reason' && namesReturnReason(input);

    // "the one with the monitor", "my last order": the requester's own orders only.
    let referenced = false;
    let unmatchedReference = false;
    if (
      !entities.orderId &&
      this.ownOrders &&
      (pending?.slot === 'orderId' || ORDER_INTENTS.has(prediction.intent)) &&
      mentionsOrderReference(input)
    ) {
      const owner = context.activity.from?.aadObjectId;
      const own = owner ? await this.ownOrders(owner).catch(() => [] as OrderLike[]) : [];
      const ref = resolveOrderReference(input, own);
      if (ref.kind === 'one') {
        entities.orderId = ref.order.id;
        referenced = true;
      } else if (ref.kind === 'ambiguous') {
        const list = ref.candidates
          .map((o) => `${o.id} (${o.items.map((i) => i.name).join(', ')})`)
          .join(', ');
        const slot: Omit<PendingSlot, 'askedAt'> =
          pending?.slot === 'orderId'
            ? {
                intent: pending.intent,
                slot: 'orderId',
                ...(pending.reason ? { reason: pending.reason } : {}),
              }
            : { intent: prediction.intent as PendingSlot['intent'], slot: 'orderId' };
        return ask(memory, PENDING, slot, repliesOf(memory).askWhichOfOrders(list));
      } else if (pending?.slot === 'orderId' && ITEM_REFERENCE.test(input)) unmatchedReference = true;
    }

    // A question in the middle of a flow ("actually first, how do I return an item?") is answered
    // from the knowledge base; the flow waits and its question is asked again.
    if (
      pending &&
      pendingQuestion &&
      !answersWhy &&
      !entities.orderId &&
      !entities.ticketId &&
      prediction.intent !== pending.intent &&
      (!NOT_DIGRESSIONS.has(prediction.intent) || (prediction.intent === 'help' && !asksForHelp(input))) &&
      isQuestion(input)
    )
      return this.answerFromKnowledge(
        prompt,
        withoutPreamble(input),
        true,
        repliesOf(memory).resume(pendingQuestion),
      );

    // An order described by its content that matches none of the requester's orders.
    if (unmatchedReference && pendingQuestion)
      return say(`${repliesOf(memory).noMatchingOrder} ${pendingQuestion}`);

    // "can you cancel it?", "return that one" right after an order reply: that order (the card confirms).
    const referred = !pending && !entities.orderId ? this.orderReferredTo(context, memory, input) : undefined;
    if (referred && CANCEL_CUE.test(input) && !RETURN_CUE.test(input))
      return this.callTool(memory, 'cancel_order', cancelArgs(input, referred));
    if (referred && RETURN_CUE.test(input))
      return this.startReturn(memory, PENDING, referred, returnReason(input), returnItems(input));

    if (prediction.intent === 'cancel' && !answersWhy) {
      memory.deleteValue(PENDING);
      return say(pending ? repliesOf(memory).cancelled : repliesOf(memory).nothingToCancel);
    }

    if (pending) {
      // "Cancel my order ORD-…" while a lookup waits for its number is a cancellation, not the answer.
      if (
        pending.slot === 'orderId' &&
        entities.orderId &&
        (prediction.intent !== 'cancel_order' || !CANCEL_CUE.test(input))
      ) {
        memory.deleteValue(PENDING);
        if (pending.intent === 'cancel_order')
          return this.callTool(memory, 'cancel_order', { orderId: entities.orderId });
        if (pending.intent === 'missing_delivery') {
          // "ORD-10421" / "it's ORD-10421" answers "which order?"; "where is ORD-10421?" is a new question.
          if (prediction.intent === 'missing_delivery' || referenced || isShortAnswer(input))
            return this.callTool(memory, 'report_missing_delivery', { orderId: entities.orderId });
          return this.respond(prompt, input, prediction, language);
        }
        if (pending.intent === 'start_return')
          return this.startReturn(
            memory,
            PENDING,
            entities.orderId,
            pending.reason ?? returnReason(input),
            pending.items ?? returnItems(input),
          );
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
        return this.startReturn(
          memory,
          PENDING,
          pending.orderId,
          returnReason(input) ?? input,
          pending.items,
        );
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

    // "sorry, I meant ORD-10388" right after an order reply: the same action on the corrected order.
    if (isCorrection(normaliseIds(input)) && (entities.orderId || entities.ticketId)) {
      memory.deleteValue(PENDING);
      if (entities.ticketId && !entities.orderId)
        return this.callTool(memory, 'get_ticket_status', { ticketId: entities.ticketId });
      const last = memory.getValue<LastOrderAction | undefined>(lastOrderActionKey(context));
      const orderId = entities.orderId!;
      if (last?.tool === 'cancel_order') return this.callTool(memory, 'cancel_order', { orderId });
      if (last?.tool === 'start_return')
        return this.startReturn(memory, PENDING, orderId, returnReason(input) ?? last.reason);
      if (last?.tool === 'report_missing_delivery')
        return this.callTool(memory, 'report_missing_delivery', { orderId });
      return this.callTool(memory, 'get_order_status', { orderId });
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
    // A question about something the documents describe is not the action its words suggest:
    // "星期天能打电话找客服吗" / "can I call support on Sunday?" asks about support hours (no handoff
    // ticket), "礼品卡能不能退掉" asks whether gift cards are returnable (no return flow).
    if (
      !entities.orderId &&
      !entities.ticketId &&
      ((prediction.intent === 'request_human' && isQuestion(input) && AVAILABILITY_CUE.test(input)) ||
        (prediction.intent === 'start_return' && language === 'zh-CN' && ZH_QUESTION.test(input))) &&
      (await this.knowledgeAnswers(context, input))
    )
      return this.answerFromKnowledge(prompt, input, true);

    switch (prediction.intent) {
      case 'order_status':
        memory.deleteValue(PENDING);
        if (entities.orderId) return this.callTool(memory, 'get_order_status', { orderId: entities.orderId });
        return ask(
          memory,
          PENDING,
          { intent: 'order_status', slot: 'orderId' },
          repliesOf(memory).askOrderId,
        );
      case 'cancel_order':
        memory.deleteValue(PENDING);
        if (entities.orderId)
          return this.callTool(memory, 'cancel_order', cancelArgs(input, entities.orderId));
        return ask(
          memory,
          PENDING,
          { intent: 'cancel_order', slot: 'orderId' },
          repliesOf(memory).askCancelOrderId,
        );
      case 'start_return': {
        memory.deleteValue(PENDING);
        const reason = returnReason(input);
        const items = returnItems(input);
        if (entities.orderId) return this.startReturn(memory, PENDING, entities.orderId, reason, items);
        return ask(
          memory,
          PENDING,
          {
            intent: 'start_return',
            slot: 'orderId',
            ...(reason ? { reason } : {}),
            ...(items ? { items } : {}),
          },
          repliesOf(memory).askReturnOrderId,
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
        // No ticket number: the list answers it ("my tickets", "any update on my ticket?"), and a
        // number typed next ("123") still means that ticket.
        memory.setValue(PENDING, {
          intent: 'ticket_status',
          slot: 'ticketId',
          askedAt: new Date().toISOString(),
        } satisfies PendingSlot);
        return this.callTool(memory, 'list_my_tickets', { scope: ticketListScope(input) });
      case 'create_ticket': {
        memory.deleteValue(PENDING);
        if (problemWords(input).length < 3) {
          const askProblem = () =>
            ask(
              memory,
              PENDING,
              { intent: 'create_ticket', slot: 'description' },
              repliesOf(memory).askTicketProblem,
            );
          // "open on sunday" is not "open a ticket": without a ticket word, the documents answer first.
          if (!TICKET_CUE.test(input))
            return this.answerFromKnowledge(prompt, input, true, undefined, askProblem);
          return ask(
            memory,
            PENDING,
            { intent: 'create_ticket', slot: 'description' },
            repliesOf(memory).askTicketProblem,
          );
        }
        return this.callTool(memory, 'create_ticket', draftTicket(input, entities));
      }
      case 'greeting':
        return say(repliesOf(memory).greeting);
      case 'help':
        // "what are your phone hours?" is a question for the documents, not a request for help text.
        if (!asksForHelp(input) && isQuestion(input))
          return this.answerFromKnowledge(prompt, input, true, undefined, () => say(repliesOf(memory).help));
        return say(repliesOf(memory).help);
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
    resume?: string,
    otherwise?: () => PromptResponse<string>,
  ): Promise<PromptResponse<string>> {
    const [context, memory] = prompt;
    const streaming = this.stream(context);
    if (!streaming)
      return this.knowledgeReply(context, memory, question, recognisedAsQuestion, resume, otherwise);
    this.events.emit('beforeCompletion', ...prompt, true);
    let response: PromptResponse<string>;
    try {
      response = await this.knowledgeReply(
        context,
        memory,
        question,
        recognisedAsQuestion,
        resume,
        otherwise,
      );
    } catch (err) {
      // A bug below: the open stream still gets a clear ending; the turn's error handler logs it.
      tellInStream(context, memory, repliesOf(memory).turnFailed);
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
    resume?: string,
    otherwise?: () => PromptResponse<string>,
  ): Promise<PromptResponse<string>> {
    const then = (text: string) => say(resume ? `${text}\n\n${resume}` : text);
    const reply = await this.knowledge.answer(
      context.activity.from?.aadObjectId,
      question,
      isSharedConversation(context.activity) ? 'shared' : 'private',
    );
    if (reply.kind === 'unavailable') return then(repliesOf(memory).knowledgeUnavailable);
    if (reply.kind === 'restricted') {
      // The Teams layer sends it to the asker's 1:1 chat (or offers one when that fails).
      memory.setValue(PRIVATE_ANSWER_KEY, reply.private);
      return this.callTool(memory, PRIVATE_ANSWER_ACTION, {});
    }
    if (reply.kind === 'notFound') {
      if (otherwise) return otherwise();
      return then(recognisedAsQuestion ? repliesOf(memory).notFound : repliesOf(memory).outOfScope);
    }
    // The same hand-off as the LLM path: the sources offered this turn, cited by [n] in the text.
    memory.setValue(KNOWLEDGE_CITATIONS, reply.citations);
    return then(reply.text);
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
    items?: { item: string }[],
  ): PromptResponse<string> {
    const named = items?.length ? { items } : {};
    if (reason)
      return this.callTool(memory, 'start_return', { orderId, ...named, reason: reason.slice(0, 500) });
    memory.setValue(pendingKey, {
      intent: 'start_return',
      slot: 'reason',
      orderId,
      ...named,
      askedAt: new Date().toISOString(),
    } satisfies PendingSlot);
    return this.callTool(memory, 'start_return', { orderId, ...named });
  }

  /** The order of the last order reply when `text` points back at it ("it", "that one"). */
  private orderReferredTo(context: TurnContext, memory: Memory, text: string): string | undefined {
    if (!POINTS_BACK.test(text.trim())) return undefined;
    const last = memory.getValue<LastOrderAction | undefined>(lastOrderActionKey(context));
    if (!last?.at || Date.now() - Date.parse(last.at) > FOLLOW_UP_MAX_AGE_MS) return undefined;
    return last.orderId;
  }

  private callTool(memory: Memory, name: string, args: Record<string, unknown>): PromptResponse<string> {
    const id = `call_${randomUUID()}`;
    memory.setValue(PENDING_CALLS_KEY, [id]);
    const confirmKey = memory.getValue<string | undefined>(AWAITING_CONFIRM_PATH_KEY);
    if (confirmKey && CONFIRM_CARD_TOOLS.has(name))
      memory.setValue(confirmKey, { tool: name, at: new Date().toISOString() } satisfies AwaitingConfirm);
    const lastKey = memory.getValue<string | undefined>(LAST_ORDER_ACTION_PATH_KEY);
    if (lastKey && ORDER_TOOLS.has(name) && typeof args.orderId === 'string')
      memory.setValue(lastKey, {
        tool: name,
        orderId: args.orderId,
        at: new Date().toISOString(),
        ...(typeof args.reason === 'string' ? { reason: args.reason } : {}),
      } satisfies LastOrderAction);
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

/** Tools whose successful outcome is a card with a Confirm button (a draft or a confirmation). */
const CONFIRM_CARD_TOOLS = new Set(['create_ticket', 'cancel_order', 'start_return']);
/** How long "yes" still refers to the last card, and "cancel it" to the last order shown. */
const FOLLOW_UP_MAX_AGE_MS = 30 * 60 * 1000;
interface AwaitingConfirm {
  tool: string;
  at: string;
}
/** "yes", "ok go ahead", "confirm it", "好的": agreement to a card, not a new request. */
const AFFIRMATION =
  /^(?:(?:yes|yeah|yep|yup|sure|ok(?:ay)?|fine|please|confirm(?:ed)?|go ahead|do it|proceed|sounds good|that's right|correct)\b[\s,.!]*)+(?:(?:with|and)?\s*(?:it|that|the (?:ticket|return|cancellation|cancel|draft)|them|please)\b[\s.!]*)*$|^(?:好的?|好吧|是的?|对|确认|确定|可以|没问题|行)[的了吧啊。!！\s]*$/i;

/** Cancellation named in so many words (an id answering "which order?" is not a cancellation). */
const CANCEL_CUE = /\bcancel\w*|取消|撤销|不要了|不想要/i;

/** Days and times: a question about when something is available, not a request for it now. */
const AVAILABILITY_CUE =
  /\b(?:mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?|weekends?|weekdays?|holidays?|hours|what time|when|open|opening|closed?)\b|星期|周[一二三四五六日末天]|礼拜|几点|营业|时间|节假日|假期/i;
/** A Chinese yes/no, open or how-to question (吗, 能不能, a question mark, 怎么, 如何, 流程). */
const ZH_QUESTION = /[吗么呢][\s？?。]*$|能不能|可不可以|能否|是否|[？?]\s*$|怎么|如何|怎样|流程|步骤/;

/** A short request that points back at the order just shown: "cancel it", "return that one". */
const POINTS_BACK =
  /^(?!(?:how|what|why|when|where|which)\b)(?:\S+\s+){0,8}?(?:it|that|this|that one|this one|that order|this order)[\s?.!]*(?:please[\s?.!]*)?$|它|这个订单|那个订单/i;

/** Intents whose order can be named by its content ("the one with the monitor"). */
/** "the one with the …", "the … order": an order described by what is in it. */
const ITEM_REFERENCE = /\b(?:the one|one with|order with|with the|the [\w" -]{2,30} (?:order|one))\b/i;
const ORDER_INTENTS = new Set(['order_status', 'cancel_order', 'start_return', 'missing_delivery']);
/** Requests that replace the waiting question rather than interrupt it. */
const NOT_DIGRESSIONS = new Set(['list_orders', 'request_human', 'help', 'reset', 'cancel', 'ticket_status']);

function wordCount(text: string): number {
  return text.split(/[^\p{L}\p{N}]+/u).filter(Boolean).length;
}

/** The question a pending slot stands for, to ask again after a digression. */
function questionFor(pending: PendingSlot, r: typeof embeddedReplies): string | undefined {
  if (pending.slot === 'reason' && pending.orderId) return r.askReason(pending.orderId);
  switch (pending.intent) {
    case 'order_status':
      return r.askOrderId;
    case 'cancel_order':
      return r.askCancelOrderId;
    case 'start_return':
      return r.askReturnOrderId;
    case 'missing_delivery':
      return r.askOrderId;
    case 'ticket_status':
      return r.askTicketId;
    case 'create_ticket':
      return r.askTicketProblem;
    default:
      return undefined;
  }
}

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

/** Asking about the bot itself ("help", "what can you do?") rather than a question for the documents. */
const HELP_CUE =
  /\b(?:help|what (?:can|do|else can) (?:you|u|i) (?:do|ask)|how (?:do|does) (?:this|it|you) work|commands?|menu|features?|capabilit\w*|options)\b/i;
function asksForHelp(text: string): boolean {
  return HELP_CUE.test(text);
}

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
  entities: ReturnType<typeof extractEntitiesFor>,
): boolean {
  if (entities.ticketId) return true;
  // A policy question in between ("what are your support hours?") is answered; the draft waits.
  if (prediction.intent === 'knowledge_question' && /[?？]$/.test(text.trim())) return true;
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

/** Chinese request wording ("帮我开个工单", "请提交一个支持请求"): not a description of the problem. */
const ZH_TICKET_WORDS = new Set(
  '请 麻烦 你 您 帮 我 帮忙 给 开 开个 个 一个 一 张 下 一下 工 单 工单 报修 报修单 提 提交 创建 新建 建 登记 支持 请求 问题 新 的 要 想 需要 吧 呢 了'.split(
    ' ',
  ),
);
const zhSegmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN = /\p{Script=Han}/u;

/** "帮我开个工单，…" / "请提交一个支持请求：…" in front of a Chinese description. */
const ZH_REQUEST_PREFIX =
  /^(?:请|麻烦)?(?:你|您)?(?:帮我|给我|帮忙)?(?:开|建|提|创建|新建|提交|登记)(?:一)?(?:个|张|下)?(?:新的?)?(?:支持)?(?:工单|报修单|单|请求)[，,:：。\s]*/;
/** Words that ask for a ticket in so many words (create_ticket without them may be a question). */
const TICKET_CUE = /\b(tickets?|case|incident|issue|problem|support request|help ?desk|service desk)\b/i;

/** The words describing the problem, once the request wording ("open a ticket about …") is gone. */
function problemWords(text: string): string[] {
  if (HAN.test(text)) {
    // Chinese has no spaces: ICU word segments, without the request wording, count as the words.
    return [...zhSegmenter.segment(text.replace(TICKET_PHRASES, ' '))]
      .filter((s) => s.isWordLike && !ZH_TICKET_WORDS.has(s.segment))
      .map((s) => s.segment);
  }
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
export function draftTicket(text: string, entities: ReturnType<typeof extractEntitiesFor>) {
  const cleaned = text.replace(/\s+/g, ' ').trim();
  // The title is the user's own first sentence without the request wording in front of it.
  const problem = cleaned.replace(REQUEST_PREFIX, '').replace(ZH_REQUEST_PREFIX, '').trim() || cleaned;
  const firstSentence = problem.split(/(?<=[.!?])\s|(?<=[。！？])/)[0] ?? problem;
  const title = capitalise(firstSentence.replace(/[.!?。！？]+$/, '')).slice(0, 100);
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
  if (prediction.intent !== 'start_return' || RETURN_CUE.test(text) || RETURN_CUE_ZH.test(text))
    return prediction;
  const next = prediction.ranking.find((r) => r.intent !== 'start_return');
  return next ? { ...prediction, intent: next.intent, confidence: next.score } : prediction;
}

/** 退货, 退款, 退钱, 退回, 寄回, 退掉, 想退, 要退 …: a return named in Chinese. */
const RETURN_CUE_ZH = /退货|退款|退钱|退回|退掉|退了|退一下|寄回|退换|换货|[想要能]退/;

/** Words that name why something goes back ("it doesn't fit", "arrived damaged", "wrong size"). */
const RETURN_REASON_HINT =
  /\b(fit|fits|damaged?|broken|broke|defective|faulty|stopped working|(?:does ?n[o']?t|not|never) work(?:s|ing)?|wrong|too (?:small|big|large|tight|loose|short|long)|no longer need(?:ed)?|(?:do ?n[o']?t|not) need|not as described|not what I expected|quality|dead|scratched|cracked|missing parts?)\b/i;

/** Chinese reasons: 坏了, 破损, 有瑕疵, 尺码不合适, 太小, 不想要了, 质量问题 … */
const RETURN_REASON_HINT_ZH =
  /坏了|坏的|破损|损坏|瑕疵|不合适|不合身|太小|太大|太短|太长|不想要|不需要|用不上|有问题|质量|不对|不符|发错|错了|划痕|裂/;

function namesReturnReason(text: string): boolean {
  return RETURN_REASON_HINT.test(text) || RETURN_REASON_HINT_ZH.test(text);
}

/** start_return's reason from the user's own words: "… because it broke", or the phrase naming it. */
function returnReason(text: string): string | undefined {
  const stated = /\b(?:because|since|reason:?)\s+(.+)$/i
    .exec(text.trim())?.[1]
    ?.replace(/[.!]+$/, '')
    .trim();
  if (stated && stated.split(/\s+/).length >= 2) return stated;
  const statedZh = /(?:因为|由于)(.+)$/
    .exec(text.trim())?.[1]
    ?.replace(/[。！!]+$/, '')
    .trim();
  if (statedZh && statedZh.length >= 2) return statedZh;
  const clause = text
    .split(/[,.;!?，。；！？、]|\s+-\s+/)
    .map((part) => part.replace(/\bORD-\d+\b/gi, '').trim())
    .find(namesReturnReason);
  return clause || undefined;
}

/** Words that name no item: "return it from ORD-…", "return everything in ORD-…". */
const NOT_AN_ITEM =
  /^(?:it|them|this|that|these|those|something|stuff|things?|items?|everything|all(?: of (?:it|them))?|the (?:whole |entire )?order|(?:my |the |an? )?(?:order|package|parcel|purchase|delivery))$/i;

/**
 * The items a return request names before its order number: "return the headphones from
 * ORD-10395", "send the case and the headphones in ORD-10395 back". Each becomes start_return's
 * `item` as said (the tool matches it against the order's lines); undefined when none is named.
 */
function returnItems(text: string): { item: string }[] | undefined {
  const m =
    /\b(?:return(?:ing)?|send(?:ing)?(?: back)?|refund(?: for)?)\s+(?:only\s+|just\s+)?(.+?)\s+(?:back\s+)?(?:from|in|of|on)\s+(?:my\s+|the\s+)?(?:order\s+)?ORD-\d+/i.exec(
      text,
    );
  if (!m?.[1]) return undefined;
  const items = m[1]
    .split(/\s*(?:,|&|\band\b|\bplus\b)\s*/i)
    .map((part) =>
      part
        .replace(/^(?:the|my|a|an|both|one of the)\s+/i, '')
        .replace(/\s+back$/i, '')
        .trim(),
    )
    .filter((part) => part.length > 1 && !NOT_AN_ITEM.test(part))
    .map((item) => ({ item: item.slice(0, 120) }));
  return items.length ? items : undefined;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
