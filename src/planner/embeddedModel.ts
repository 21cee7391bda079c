import { describesProblem } from '../nlu/problemReport';
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
import type { IntentPrediction } from '../nlu';
import {
  asksAboutDocuments,
  correctionMove,
  describesOrderByItem,
  helpIsAQuestion,
  isAffirmation,
  isDigression,
  isTaskIntent,
  looksForOrderReference,
  namesReturnReason,
  normaliseIds,
  pointedBackMove,
  pointsBack,
  questionFor,
  requireReturnCue,
  resolveOrderReference,
  resumePrompt,
  slotAnswer,
  smallTalk,
  splitRequests,
  taskMove,
  ticketUpdateMove,
  unsureAction,
  ventsWhileWaiting,
  whichOrderSlot,
  ventsWithoutTask,
  withoutPreamble,
  type DialogueMove,
  type LastOrderAction,
  type OrderLike,
  type PendingSlot,
  type ReturnItems,
} from '../nlu/dialogue';
import { extractEntitiesFor } from '../nlu/entitiesZh';
import type { TurnIntentModel } from '../nlu/languageModels';
import { detectLanguage, turnLanguage, type Language } from '../text/language';

const HAN_CHARACTER = /\p{Script=Han}/u;
import { translator } from '../text/i18n';
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

/** Tools that act on one order; a correction re-runs the same one (write tools confirm on a card). */
const ORDER_TOOLS = new Set(['get_order_status', 'cancel_order', 'start_return', 'report_missing_delivery']);
const PENDING_MAX_AGE_MS = 15 * 60 * 1000;

/** The embedded model's own sentences in `language` (the message catalogue, src/text/catalogue.ts). */
export function embeddedRepliesFor(language: Language = 'en') {
  const { t } = translator(language);
  return {
    askOrderId: t('embedded.askOrderId'),
    askCancelOrderId: t('embedded.askCancelOrderId'),
    askOthersOrderId: t('embedded.askOthersOrderId'),
    askTicketId: t('embedded.askTicketId'),
    askTicketProblem: t('embedded.askTicketProblem'),
    cancelled: t('embedded.cancelled'),
    nothingToCancel: t('embedded.nothingToCancel'),
    greeting: t('embedded.greeting'),
    notFound: t('embedded.notFound'),
    englishSource: t('embedded.englishSource'),
    notFoundOfferTicket: t('embedded.notFoundOfferTicket'),
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
    const classified = await this.classifier.classify(input, locale);
    const language = classified.language ?? turnLanguage(input, locale);
    const prediction = requireReturnCue(input, classified);
    memory.setValue(INTENT_KEY, prediction.intent);
    memory.setValue(LANGUAGE_KEY, language);
    // "yes" / "ok go ahead with the return" right after a card that waits for Confirm.
    if (
      awaiting &&
      Date.now() - Date.parse(awaiting.at) < FOLLOW_UP_MAX_AGE_MS &&
      !memory.getValue(pendingSlotKey(context)) &&
      isAffirmation(input)
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
    const predictions = await Promise.all(
      parts.map(async (p) => requireReturnCue(p, await this.classifier.classify(p, locale))),
    );
    if (!predictions.every((p) => isTaskIntent(p.intent) || p.intent === 'start_return')) return undefined;
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

  /**
   * One message, read by the dialogue rules in the order they apply (src/nlu/dialogue.ts): each step
   * answers the message or passes it on; the intent decides last.
   */
  private async respond(
    prompt: PromptArgs,
    input: string,
    prediction: IntentPrediction,
    language: Language,
  ): Promise<PromptResponse<string>> {
    const turn = this.readTurn(prompt, input, prediction, language);
    const steps: ((t: Turn) => StepReply)[] = [
      this.smallTalkStep,
      this.ventingStep,
      this.orderReferenceStep,
      this.digressionStep,
      this.unmatchedOrderStep,
      this.pointedBackStep,
      this.cancelFlowStep,
      this.slotAnswerStep,
      this.correctionStep,
      this.byRuleStep,
      this.documentsFirstStep,
    ];
    for (const step of steps) {
      const reply = await step.call(this, turn);
      if (reply) return reply;
    }
    return this.intentStep(turn);
  }

  /** What every step reads: the waiting question, the message's ids and the turn's sentences. */
  private readTurn(
    prompt: PromptArgs,
    input: string,
    prediction: IntentPrediction,
    language: Language,
  ): Turn {
    const [context, memory] = prompt;
    const key = pendingSlotKey(context);
    const pending = activePending(memory, key);
    const replies = repliesOf(memory);
    const expecting = pending?.slot === 'orderId' || pending?.slot === 'ticketId' ? pending.slot : undefined;
    return {
      prompt,
      context,
      memory,
      key,
      pending,
      question: pending ? questionFor(pending, replies) : undefined,
      replies,
      input,
      prediction,
      language,
      // "ord 10421", "10421" (when asked for an order number), "ORD-1042l": the canonical id.
      entities: extractEntitiesFor(normaliseIds(input, expecting), language),
      // "it doesn't fit" answers "why are you returning it?"; it does not stop the flow.
      answersWhy: pending?.slot === 'reason' && namesReturnReason(input),
      referenced: false,
      unmatchedReference: false,
    };
  }

  /** "thanks!", "cheers", "hi there": answered as a person would; a waiting question is asked again. */
  private smallTalkStep(t: Turn): StepReply {
    const talk = smallTalk(t.input);
    if (!talk) return undefined;
    const r = t.replies;
    if (t.question)
      return say(`${talk === 'thanks' ? r.thanksInFlow : r.greetingInFlow} ${r.resume(t.question)}`);
    return say(talk === 'thanks' ? r.thanks : r.greeting);
  }

  private ventingStep(t: Turn): StepReply {
    return ventsWhileWaiting(t.pending, t.input, t.entities) ? say('') : undefined;
  }

  /** "the one with the monitor", "my last order": the requester's own orders only. */
  private async orderReferenceStep(t: Turn): Promise<PromptResponse<string> | undefined> {
    if (!this.ownOrders || !looksForOrderReference(t.pending, t.prediction, t.entities, t.input))
      return undefined;
    const owner = t.context.activity.from?.aadObjectId;
    const own = owner ? await this.ownOrders(owner).catch(() => [] as OrderLike[]) : [];
    const ref = resolveOrderReference(t.input, own);
    if (ref.kind === 'one') {
      t.entities.orderId = ref.order.id;
      t.referenced = true;
    } else if (ref.kind === 'ambiguous') {
      const list = ref.candidates.map((o) => `${o.id} (${o.items.map((i) => i.name).join(', ')})`).join(', ');
      return ask(t.memory, t.key, whichOrderSlot(t.pending, t.prediction), t.replies.askWhichOfOrders(list));
    } else if (t.pending?.slot === 'orderId' && describesOrderByItem(t.input)) t.unmatchedReference = true;
    return undefined;
  }

  /** A question in the middle of a flow is answered from the documents; the flow's question follows. */
  private digressionStep(t: Turn): StepReply {
    if (!t.pending || !t.question) return undefined;
    if (!isDigression(t.pending, t.input, t.prediction, t.entities, t.answersWhy)) return undefined;
    return this.answerFromKnowledge(t.prompt, withoutPreamble(t.input), true, t.replies.resume(t.question));
  }

  /** An order described by its content that matches none of the requester's orders. */
  private unmatchedOrderStep(t: Turn): StepReply {
    return t.unmatchedReference && t.question ? say(`${t.replies.noMatchingOrder} ${t.question}`) : undefined;
  }

  /** "can you cancel it?", "return that one" right after an order reply: that order. */
  private pointedBackStep(t: Turn): StepReply {
    const referred =
      !t.pending && !t.entities.orderId ? this.orderReferredTo(t.context, t.memory, t.input) : undefined;
    const move = referred ? pointedBackMove(t.input, referred) : undefined;
    return move && this.perform(t, move);
  }

  /** "cancel" / "never mind": the waiting question is dropped. */
  private cancelFlowStep(t: Turn): StepReply {
    if (t.prediction.intent !== 'cancel' || t.answersWhy) return undefined;
    t.memory.deleteValue(t.key);
    return say(t.pending ? t.replies.cancelled : t.replies.nothingToCancel);
  }

  private slotAnswerStep(t: Turn): StepReply {
    const move =
      t.pending && slotAnswer(t.pending, t.input, t.prediction, t.entities, t.answersWhy, t.referenced);
    return move ? this.performAfresh(t, move) : undefined;
  }

  private correctionStep(t: Turn): StepReply {
    const last = t.memory.getValue<LastOrderAction | undefined>(lastOrderActionKey(t.context));
    const move = correctionMove(t.input, t.entities, last);
    return move ? this.performAfresh(t, move) : undefined;
  }

  /** Ticket updates by rule; venting with no task in it gets the turn's handoff offer (aiRoutes.ts). */
  private byRuleStep(t: Turn): StepReply {
    const move = ticketUpdateMove(t.input, t.entities);
    if (move) return this.performAfresh(t, move);
    return ventsWithoutTask(t.prediction, t.input) ? say('') : undefined;
  }

  /** Questions the documents may answer better than the action their words suggest. */
  private async documentsFirstStep(t: Turn): Promise<PromptResponse<string> | undefined> {
    if (unsureAction(t.prediction, t.entities) && (await this.knowledgeAnswers(t.context, t.input)))
      return this.answerFromKnowledge(t.prompt, t.input, true);
    if (
      asksAboutDocuments(t.prediction, t.input, t.entities, t.language) &&
      (await this.knowledgeAnswers(t.context, t.input))
    )
      return this.answerFromKnowledge(t.prompt, t.input, true);
    return undefined;
  }

  /** The classified intent: a task (its tool or its question), small replies, or the documents. */
  private intentStep(t: Turn): PromptResponse<string> | Promise<PromptResponse<string>> {
    const move = taskMove(t.prediction.intent, t.input, t.entities);
    if (move) return this.performAfresh(t, move);
    switch (t.prediction.intent) {
      case 'greeting':
        return say(t.replies.greeting);
      case 'help':
        if (helpIsAQuestion(t.input))
          return this.answerFromKnowledge(t.prompt, t.input, true, undefined, () => say(t.replies.help));
        return say(t.replies.help);
      case 'reset':
        return this.callTool(t.memory, RESET_ACTION, {});
      default:
        // knowledge_question, out_of_scope and anything below the confidence threshold.
        return this.answerFromKnowledge(t.prompt, t.input, t.prediction.intent === 'knowledge_question');
    }
  }

  /** A move that replaces the waiting question: it is dropped first (the move may ask a new one). */
  private performAfresh(
    t: Turn,
    move: DialogueMove,
  ): PromptResponse<string> | Promise<PromptResponse<string>> {
    t.memory.deleteValue(t.key);
    return this.perform(t, move);
  }

  private perform(t: Turn, move: DialogueMove): PromptResponse<string> | Promise<PromptResponse<string>> {
    switch (move.kind) {
      case 'tool':
        if (move.pending)
          t.memory.setValue(t.key, {
            ...move.pending,
            askedAt: new Date().toISOString(),
          } satisfies PendingSlot);
        return this.callTool(t.memory, move.tool, move.args);
      case 'return':
        return this.startReturn(t.memory, t.key, move.orderId, move.reason, move.items);
      case 'ask': {
        const askIt = () => ask(t.memory, t.key, move.slot, t.replies[move.question]);
        return move.documentsFirst
          ? this.answerFromKnowledge(t.prompt, t.input, true, undefined, askIt)
          : askIt();
      }
      case 'again':
        return this.respond(t.prompt, t.input, t.prediction, t.language);
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
      // "my laptop screen is flickering": no fix in the documents, so offer a ticket; "yes" drafts it.
      if (!resume && describesProblem(question)) {
        memory.setValue(pendingSlotKey(context), {
          intent: 'create_ticket',
          slot: 'description',
          problem: question.slice(0, 2000),
          askedAt: new Date().toISOString(),
        } satisfies PendingSlot);
        return say(repliesOf(memory).notFoundOfferTicket);
      }
      return then(recognisedAsQuestion ? repliesOf(memory).notFound : repliesOf(memory).outOfScope);
    }
    // The same hand-off as the LLM path: the sources offered this turn, cited by [n] in the text.
    memory.setValue(KNOWLEDGE_CITATIONS, reply.citations);
    // A Chinese question answered from an English-only document says so before the English text.
    const fromEnglish = detectLanguage(question) === 'zh-CN' && !HAN_CHARACTER.test(reply.text);
    return then(fromEnglish ? `${repliesOf(memory).englishSource}\n\n${reply.text}` : reply.text);
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
    items?: ReturnItems,
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
    if (!pointsBack(text)) return undefined;
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

/** One message as respond's steps see it; the reference step fills in an order named by its content. */
interface Turn {
  prompt: PromptArgs;
  context: TurnContext;
  memory: Memory;
  /** Where the waiting question (PendingSlot) is kept for this conversation. */
  key: string;
  pending?: PendingSlot;
  /** The waiting question's sentence, to ask again after a digression. */
  question?: string;
  replies: typeof embeddedReplies;
  input: string;
  prediction: IntentPrediction;
  language: Language;
  entities: ReturnType<typeof extractEntitiesFor>;
  answersWhy: boolean;
  referenced: boolean;
  unmatchedReference: boolean;
}
/** A step's answer, or undefined to pass the message on to the next step. */
type StepReply = PromptResponse<string> | undefined | Promise<PromptResponse<string> | undefined>;

/** Tools whose successful outcome is a card with a Confirm button (a draft or a confirmation). */
const CONFIRM_CARD_TOOLS = new Set(['create_ticket', 'cancel_order', 'start_return']);
/** How long "yes" still refers to the last card, and "cancel it" to the last order shown. */
const FOLLOW_UP_MAX_AGE_MS = 30 * 60 * 1000;
interface AwaitingConfirm {
  tool: string;
  at: string;
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
