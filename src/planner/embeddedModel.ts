import {
  addsTicketDetail,
  answerSpeaksOfMishap,
  arrivedDamaged,
  declinesOffer,
  describesProblem,
  mishapIn,
  reportsProblemOnly,
} from '../nlu/problemReport';
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
import type { Citation } from '../knowledge';
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
  meansAllOffered,
  mentionsOrderReference,
  namesOrderDate,
  orderIntentOfDatedReference,
  namesReturnReason,
  normaliseIds,
  pointedBackMove,
  shownOrderMove,
  pointsBack,
  questionFor,
  requireReturnCue,
  resolveOrderReference,
  resumePrompt,
  slotAnswer,
  asksToContinue,
  bareOrderIdLookup,
  changeIsNotCancel,
  productIsNotCancel,
  saysStop,
  cancelsReferencedOrder,
  correctsByReference,
  smallTalk,
  splitOrderIds,
  splitRequests,
  asksTheDocuments,
  withoutTellMe,
  taskMove,
  askWhichTicket,
  asksForTicketNotes,
  ticketRequestMove,
  unsureAction,
  ventsWhileWaiting,
  requestAfterStop,
  whichOrderSlot,
  ventsWithoutTask,
  withoutPreamble,
  type DialogueMove,
  type LastOrderAction,
  type PendingSlot,
  type ReturnItems,
} from '../nlu/dialogue';
import { extractEntitiesFor } from '../nlu/entitiesZh';
import { assignmentMove, parseTicketAssignment, requireAssignmentCue } from '../nlu/ticketAssignment';
import { namesPlace, placeInShown, ticketFromShown } from '../nlu/ticketReference';
import { parseTicketRequest, parseTicketUpdate, type TicketTarget } from '../nlu/ticketUpdate';
import {
  addressChangeQuestion,
  asksAboutOwnRefund,
  asksToChangeOrder,
  changeOrderLine,
  orderWithItems,
  cancelledOrders,
  cancelledRefundLines,
  asksToTrack,
  asksWhatWasPaid,
  ordersWithReturns,
  paidLine,
  refundTimingQuestion,
  asksAboutOwnWarranty,
  warrantyStartLine,
  warrantyTermQuestion,
  returnStateLines,
  type OwnOrder,
} from '../nlu/orderQuestions';
import type { TurnIntentModel } from '../nlu/languageModels';
import { detectLanguage, showsLanguage, turnLanguage, type Language } from '../text/language';

const HAN_CHARACTER = /\p{Script=Han}/u;
import { isoDay } from '../text/dates';
import { isLanguage, translator } from '../text/i18n';
import { expandCasualWriting } from '../text/casualWriting';
import {
  answerWithFollowUp,
  type FollowUpTopic,
  type KnowledgeAnswerer,
  type KnowledgeReply,
} from './knowledgeAnswerer';
import { isSharedConversation } from '../teams/audience';
import {
  ACTION_OUTPUTS_KEY,
  AFTERWORD_KEY,
  CARD_NOTE_KEY,
  ANY_CARD_KEY,
  deferredRequestKey,
  QUEUED_CALLS_KEY,
  ROUND_INTRO_KEY,
  SHOWN_KEY,
  AWAITING_CONFIRM_PATH_KEY,
  awaitingConfirmKey,
  CARD_SENT_KEY,
  INPUT_KEY,
  INTENT_KEY,
  KNOWLEDGE_CITATIONS,
  LANGUAGE_KEY,
  LAST_ORDER_ACTION_PATH_KEY,
  ORDER_CHOICES_KEY,
  lastLanguageKey,
  lastOrderActionKey,
  lastQuestionKey,
  PENDING_CALLS_KEY,
  pendingSlotKey,
  PRIVATE_ANSWER_KEY,
  shownTicketsKey,
  type ShownTickets,
} from './memoryKeys';
import { guardStreamQueue, tellInStream, type StreamPredicate } from './streaming';
import { joinCitedAnswers, uncitedWords } from './citations';

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
    askWhichTicket: t('embedded.askWhichTicket'),
    noteNeedsText: t('embedded.noteNeedsText'),
    noInternalNotes: t('embedded.noInternalNotes'),
    askTicketProblem: t('embedded.askTicketProblem'),
    cancelled: t('embedded.cancelled'),
    nothingToCancel: t('embedded.nothingToCancel'),
    greeting: t('embedded.greeting'),
    notFound: t('embedded.notFound'),
    detailAdded: t('embedded.detailAdded'),
    englishSource: t('embedded.englishSource'),
    notFoundOfferTicket: t('embedded.notFoundOfferTicket'),
    offerTicketForItem: t('broken.ticketOffer'),
    outOfScope: t('embedded.outOfScope'),
    unknownName: (name: string) => t('embedded.unknownName', { name: name.slice(0, 60) }),
    knowledgeUnavailable: t('embedded.knowledgeUnavailable'),
    thanks: t('embedded.thanks'),
    thanksInFlow: t('embedded.thanksInFlow'),
    farewell: t('embedded.farewell'),
    greetingInFlow: t('embedded.greetingInFlow'),
    askWhichOfOrders: (list: string) => t('embedded.askWhichOfOrders', { list }),
    otherRequest: t('embedded.otherRequest'),
    deferred: (request: string) => t('embedded.deferred', { request: request.trim().slice(0, 120) }),
    noMatchingOrder: t('embedded.noMatchingOrder'),
    pressConfirm: t('embedded.pressConfirm'),
    nothingPending: t('embedded.nothingPending'),
    offerDeclined: t('embedded.offerDeclined'),
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
  private readonly ownOrders?: (aadObjectId: string) => Promise<OwnOrder[]>;
  private readonly returnableUntil?: (order: OwnOrder) => Date | undefined;

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
      ownOrders?: (aadObjectId: string) => Promise<OwnOrder[]>;
      /** The last day an order of `ownOrders` can be returned, or undefined when it no longer can. */
      returnableUntil?: (order: OwnOrder) => Date | undefined;
    } = {},
  ) {
    this.stream = options.stream ?? (() => false);
    this.ownOrders = options.ownOrders;
    this.returnableUntil = options.returnableUntil;
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
    // Second pass: the tools ran; their outputs are the answer (cards were sent by the actions).
    if (called && called.length > 0) return this.afterTools(prompt, called);

    memory.setValue(LAST_ORDER_ACTION_PATH_KEY, lastOrderActionKey(context));
    const awaitingKey = awaitingConfirmKey(context);
    const awaiting = memory.getValue<AwaitingConfirm | undefined>(awaitingKey);
    memory.deleteValue(awaitingKey);
    memory.setValue(AWAITING_CONFIRM_PATH_KEY, awaitingKey);
    const input = messageAfterStop(
      context,
      memory,
      expandCasualWriting(String(memory.getValue(INPUT_KEY) ?? '').trim()),
    );
    const locale = prompt[0].activity.locale;
    const classified = await this.classifier.classify(input, locale);
    // A message of nothing but an id ("ORD-10421" answering a Chinese question) keeps the
    // member's conversation language; the client's locale only decides when there is none yet.
    const previous = memory.getValue<string | undefined>(lastLanguageKey(context));
    const language =
      !showsLanguage(input) && isLanguage(previous)
        ? previous
        : (classified.language ?? turnLanguage(input, locale));
    memory.setValue(lastLanguageKey(context), language);
    const namesTicket = Boolean(extractEntitiesFor(normaliseIds(input), language).ticketId);
    const prediction = changeIsNotCancel(
      input,
      productIsNotCancel(
        input,
        bareOrderIdLookup(
          normaliseIds(input),
          orderIntentOfDatedReference(
            input,
            requireAssignmentCue(input, requireReturnCue(input, classified), namesTicket),
          ),
        ),
      ),
    );
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
    // A stray "yes" / "ok" (another member's offer in a group chat is theirs, per member): nothing
    // of this member waits for it, so it neither acts nor gets the out-of-scope refusal.
    if (isAffirmation(input) && !awaiting && !activePending(memory, pendingSlotKey(context)))
      return say(repliesOf(memory).nothingPending);
    // "it shows a blue screen since the update" right after a ticket draft: added to that draft.
    if (
      awaiting &&
      DRAFT_CARD_TOOLS.has(awaiting.tool) &&
      Date.now() - Date.parse(awaiting.at) < FOLLOW_UP_MAX_AGE_MS &&
      !activePending(memory, pendingSlotKey(context)) &&
      prediction.intent !== 'cancel' &&
      addsTicketDetail(input)
    ) {
      memory.setValue(CARD_NOTE_KEY, repliesOf(memory).detailAdded);
      return this.callTool(memory, 'add_ticket_detail', { detail: input.slice(0, 2000) });
    }
    const response =
      (writesTicketText(input) ? undefined : await this.twoRequests(prompt, input, language)) ??
      (await this.respond(prompt, input, prediction, language));
    keepAwaitingAcrossQuestion(context, memory, awaiting, response);
    return response;
  }

  /**
   * After a round of tools: the next queued call (one a round, so each shows its own card or text),
   * then a request deferred by an earlier two-request message, then the turn's answer.
   */
  private async afterTools(prompt: PromptArgs, called: string[]): Promise<PromptResponse<string>> {
    const [context, memory] = prompt;
    memory.deleteValue(PENDING_CALLS_KEY);
    const outputs = memory.getValue<Record<string, string>>(ACTION_OUTPUTS_KEY) ?? {};
    const cardShown = memory.getValue(CARD_SENT_KEY) === true;
    memory.deleteValue(CARD_SENT_KEY);
    if (cardShown) memory.setValue(ANY_CARD_KEY, true);
    // A card already says what the tool's summary would; a refusal or a question is text.
    const roundText = cardShown
      ? ''
      : called
          .map((id) => outputs[id])
          .filter((o): o is string => typeof o === 'string' && o.trim().length > 0)
          .join('\n\n');
    const intro = memory.getValue<string | undefined>(ROUND_INTRO_KEY);
    memory.deleteValue(ROUND_INTRO_KEY);
    const shown = [...(memory.getValue<string[]>(SHOWN_KEY) ?? [])];
    if (roundText) shown.push(intro ? `${intro} ${roundText}` : roundText);
    // The updated draft card is shown: say what changed on it (a refusal is its own text).
    const note = memory.getValue<string | undefined>(CARD_NOTE_KEY);
    memory.deleteValue(CARD_NOTE_KEY);
    if (cardShown && note) shown.push(note);
    memory.setValue(SHOWN_KEY, shown);
    const [next, ...rest] = memory.getValue<ActionCall[] | undefined>(QUEUED_CALLS_KEY) ?? [];
    if (next) {
      memory.setValue(QUEUED_CALLS_KEY, rest);
      memory.setValue(PENDING_CALLS_KEY, [next.id]);
      return callsOf([next]);
    }
    dropUnaskedReason(context, memory, shown.join('\n\n'));
    const resumed = await this.resumeDeferred(prompt);
    if (resumed && 'calls' in resumed) return resumed.calls;
    // A refusal (already shipped, not found …) showed no card: nothing waits for Confirm.
    if (!memory.getValue(ANY_CARD_KEY)) memory.deleteValue(awaitingConfirmKey(context));
    const afterword = memory.getValue<string | undefined>(AFTERWORD_KEY);
    memory.deleteValue(AFTERWORD_KEY);
    return say([...shown, afterword, resumed?.text].filter(Boolean).join('\n\n'));
  }

  /**
   * The second request of an earlier two-request message, once the first one's flow is done (no
   * question waits): handled now, introduced as "About your other request:".
   */
  private async resumeDeferred(
    prompt: PromptArgs,
  ): Promise<{ calls: PromptResponse<string> } | { text: string } | undefined> {
    const [context, memory] = prompt;
    const key = deferredRequestKey(context);
    const deferred = memory.getValue<DeferredRequest | undefined>(key);
    if (!deferred || activePending(memory, pendingSlotKey(context))) return undefined;
    memory.deleteValue(key);
    if (Date.now() - Date.parse(deferred.at) > PENDING_MAX_AGE_MS) return undefined;
    const language = memory.getValue<Language | undefined>(LANGUAGE_KEY) ?? 'en';
    const prediction = requireReturnCue(
      deferred.text,
      await this.classifier.classify(deferred.text, context.activity.locale),
    );
    const response = await this.respond(prompt, deferred.text, prediction, language);
    const intro = repliesOf(memory).otherRequest;
    if (response.message?.action_calls?.length) {
      memory.setValue(ROUND_INTRO_KEY, intro);
      return { calls: response };
    }
    const text = response.message?.content?.trim();
    return text ? { text: introduced(intro, text) } : undefined;
  }

  /**
   * Two requests in one message ("where is ORD-10421 and can you open a ticket about my printer?",
   * "cancel ORD-10422 and also tell me the return window", "cancel ORD-10422 and ORD-10430"): each
   * part is handled as its own message, a question for the documents answered from them. Tool calls
   * run one a round; when both parts need a question of their own, the second waits for the first
   * ("I'll come back to … after this").
   */
  private async twoRequests(
    prompt: PromptArgs,
    input: string,
    language: Language,
  ): Promise<PromptResponse<string> | undefined> {
    const parts = splitRequests(input) ?? splitOrderIds(normaliseIds(input));
    if (!parts) return undefined;
    const [context, memory] = prompt;
    const predictions = await Promise.all(
      parts.map(async (p) =>
        bareOrderIdLookup(
          normaliseIds(p),
          requireReturnCue(p, await this.classifier.classify(p, context.activity.locale)),
        ),
      ),
    );
    const answers: (KnowledgeAnswerText | undefined)[] = [];
    const orderIds = parts.map((p) => extractEntitiesFor(normaliseIds(p), language).orderId);
    for (const [i, part] of parts.entries())
      answers.push(
        await this.documentsPart(context, memory, part, predictions[i], language, orderIds[1 - i]),
      );
    if (answers[0] && answers[1]) return this.twoAnswers(memory, answers[0], answers[1]);
    const isTask = (i: number) =>
      !answers[i] && (isTaskIntent(predictions[i].intent) || predictions[i].intent === 'start_return');
    if (!isTask(0) && !isTask(1)) return undefined;
    if (![0, 1].every((i) => answers[i] || isTask(i))) return undefined;
    // The same action twice is one request unless it names two orders.
    if (isTask(0) && isTask(1) && predictions[0].intent === predictions[1].intent && !splitOrderIds(input))
      return undefined;
    const handled = await this.handleParts(prompt, parts, predictions, answers, language);
    const texts = handled.texts.filter(Boolean).join('\n\n');
    if (handled.calls.length === 0) return say(texts);
    const [first, ...rest] = handled.calls;
    memory.setValue(PENDING_CALLS_KEY, [first.id]);
    if (rest.length) memory.setValue(QUEUED_CALLS_KEY, rest);
    if (texts) memory.setValue(AFTERWORD_KEY, texts);
    return callsOf([first]);
  }

  /**
   * Two questions for the documents in one message ("how do I reset my password and do I need the
   * VPN for Teams?"): both answers, the second introduced as the other request. When the second
   * answer adds nothing the first does not say, the message is answered whole instead.
   */
  private twoAnswers(
    memory: Memory,
    first: KnowledgeAnswerText,
    second: KnowledgeAnswerText,
  ): PromptResponse<string> | undefined {
    if (uncitedWords(first.text).includes(uncitedWords(second.text))) return undefined;
    const intro = repliesOf(memory).otherRequest;
    const joined = joinCitedAnswers(first, second, `\n\n${introBefore(intro, second.text)}`);
    memory.setValue(KNOWLEDGE_CITATIONS, joined.citations);
    return say(joined.text);
  }

  /** A part of a two-request message that asks the documents, answered (with its citations). */
  private async documentsPart(
    context: TurnContext,
    memory: Memory,
    part: string,
    prediction: IntentPrediction,
    language: Language,
    otherOrderId?: string,
  ): Promise<KnowledgeAnswerText | undefined> {
    const entities = extractEntitiesFor(normaliseIds(part), language);
    // Answers from the user's own orders are never posted into a shared conversation.
    const ownOrders = this.ownOrders && !isSharedConversation(context.activity);
    // "…and when do I get my money back?": the user's returns, then when refunds arrive.
    if (ownOrders && asksAboutOwnRefund(part) && !isTaskIntent(prediction.intent))
      return this.refundAnswer(context, memory, entities.orderId, language);
    // "where is ORD-10421 and how much did it cost?": the order the other part names.
    const orderId = entities.orderId ?? otherOrderId;
    if (ownOrders && orderId && asksWhatWasPaid(part)) {
      const order = (await this.ownOrdersOf(context)).find((o) => o.id === orderId);
      const line = order && paidLine(order, translator(language));
      if (line) return { text: line, citations: [] };
    }
    if (!asksTheDocuments(part, prediction, entities)) return undefined;
    const reply = await this.askKnowledge(context, memory, withoutTellMe(part), true);
    return reply.kind === 'answer' ? reply : undefined;
  }

  /** Each part in turn; the second waits when both need a question of their own. */
  private async handleParts(
    prompt: PromptArgs,
    parts: [string, string],
    predictions: IntentPrediction[],
    answers: (KnowledgeAnswerText | undefined)[],
    language: Language,
  ): Promise<{ texts: (string | undefined)[]; calls: ActionCall[] }> {
    const [context, memory] = prompt;
    const key = pendingSlotKey(context);
    const replies = repliesOf(memory);
    const before = memory.getValue<PendingSlot | undefined>(key);
    const texts: (string | undefined)[] = [];
    const calls: ActionCall[] = [];
    let asked: PendingSlot | undefined;
    for (const i of [0, 1]) {
      const intro = (text: string | undefined) =>
        i === 1 && text ? introduced(replies.otherRequest, text) : text;
      const answer = answers[i];
      if (answer) {
        memory.setValue(KNOWLEDGE_CITATIONS, answer.citations);
        texts.push(intro(answer.text));
        continue;
      }
      // The second part is a request of its own, not the answer to the first part's question.
      if (asked) memory.deleteValue(key);
      const response = await this.respond(prompt, parts[i], predictions[i], language);
      memory.deleteValue(PENDING_CALLS_KEY);
      const now = memory.getValue<PendingSlot | undefined>(key);
      const asksToo = now !== undefined && now !== before && now !== asked;
      if (asked && asksToo) {
        // Both need an answer: the first one's question stands, the second waits for it.
        memory.setValue(key, asked);
        memory.setValue(deferredRequestKey(context), {
          text: parts[1].slice(0, 500),
          at: new Date().toISOString(),
        } satisfies DeferredRequest);
        texts.push(replies.deferred(parts[1]));
        continue;
      }
      if (asked && !asksToo) memory.setValue(key, asked);
      if (i === 0 && now !== undefined && now !== before) asked = now;
      calls.push(...((response.message?.action_calls ?? []) as ActionCall[]));
      texts.push(intro(response.message?.content?.trim()));
    }
    return { texts, calls };
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
      this.ticketRequestStep,
      this.refundStep,
      this.paidStep,
      this.warrantyStep,
      this.changeOrderStep,
      this.orderReferenceStep,
      this.digressionStep,
      this.unmatchedOrderStep,
      this.pointedBackStep,
      this.continueFlowStep,
      this.cancelFlowStep,
      this.shownTicketStep,
      this.assignTicketStep,
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

  /** "thanks!", "cheers", "hi there", "thx, bye": answered as a person would; a waiting question is asked again. */
  private smallTalkStep(t: Turn): StepReply {
    const talk = smallTalk(t.input);
    if (!talk) return undefined;
    const r = t.replies;
    // Leaving ends the exchange: the waiting question is not asked again (it expires on its own).
    if (talk === 'farewell') return say(r.farewell);
    if (t.question)
      return say(`${talk === 'thanks' ? r.thanksInFlow : r.greetingInFlow} ${r.resume(t.question)}`);
    return say(talk === 'thanks' ? r.thanks : r.greeting);
  }

  private ventingStep(t: Turn): StepReply {
    return ventsWhileWaiting(t.pending, t.input, t.entities, t.prediction) ? say('') : undefined;
  }

  /**
   * A reply built from the asker's own orders (what they paid, their refund, when it was delivered):
   * in a channel, group chat or meeting everyone reads it, so it goes to the asker's 1:1 chat and the
   * thread hears that it did (the private-answer action in the Teams glue).
   */
  private ownOrderReply(t: Turn, text: string): PromptResponse<string> {
    if (!isSharedConversation(t.context.activity)) return say(text);
    const citations = t.memory.getValue<unknown[] | undefined>(KNOWLEDGE_CITATIONS) ?? [];
    t.memory.deleteValue(KNOWLEDGE_CITATIONS);
    t.memory.setValue(PRIVATE_ANSWER_KEY, { text, citations, personal: true });
    return this.callTool(t.memory, PRIVATE_ANSWER_ACTION, {});
  }

  /** The requester's own orders (never anyone else's); none without an identity or on a failure. */
  private async ownOrdersOf(context: TurnContext): Promise<OwnOrder[]> {
    const owner = context.activity.from?.aadObjectId;
    if (!this.ownOrders || !owner) return [];
    return this.ownOrders(owner).catch(() => [] as OwnOrder[]);
  }

  /** "what's the status of my refund?": the user's returns, then when refunds arrive (documents). */
  private async refundStep(t: Turn): Promise<PromptResponse<string> | undefined> {
    if (!this.ownOrders || !asksAboutOwnRefund(t.input)) return undefined;
    // "when do I get my money back for the headset?": that order's return only.
    const ref = t.entities.orderId
      ? undefined
      : resolveOrderReference(t.input, await this.ownOrdersOf(t.context));
    const orderId = t.entities.orderId ?? (ref?.kind === 'one' ? ref.order.id : undefined);
    const answer = await this.refundAnswer(t.context, t.memory, orderId, t.language);
    if (answer.citations.length) t.memory.setValue(KNOWLEDGE_CITATIONS, answer.citations);
    return this.ownOrderReply(
      t,
      t.question ? `${answer.text}\n\n${t.replies.resume(t.question)}` : answer.text,
    );
  }

  private async refundAnswer(
    context: TurnContext,
    memory: Memory,
    orderId: string | undefined,
    language: Language,
  ): Promise<KnowledgeAnswerText> {
    const tr = translator(language);
    const own = await this.ownOrdersOf(context);
    const returns = ordersWithReturns(own, orderId);
    const cancelled = cancelledRefundLines(cancelledOrders(own, orderId), tr);
    // "when do I get my money back for ORD-…" about an order cancelled before it shipped: nothing to wait for.
    if (cancelled.length && !returns.length && orderId) return { text: cancelled.join(' '), citations: [] };
    const none = orderId ? tr.t('refund.noReturnFor', { orderId }) : tr.t('refund.noReturn');
    const state = [...(returns.length ? returnStateLines(returns, tr) : [none]), ...cancelled];
    const timing = await this.askOwnQuestion(context, memory, refundTimingQuestion, language);
    if (timing.kind !== 'answer') return { text: state.join(' '), citations: [] };
    return { text: `${state.join(' ')}\n\n${timing.text}`, citations: timing.citations };
  }

  /** "how much did I pay for that?" about the order just shown, one named, or one by its item. */
  private async paidStep(t: Turn): Promise<PromptResponse<string> | undefined> {
    if (!this.ownOrders || !asksWhatWasPaid(t.input)) return undefined;
    const own = await this.ownOrdersOf(t.context);
    const ref = t.entities.orderId ? undefined : resolveOrderReference(t.input, own);
    const recent = this.recentOrder(t.context, t.memory);
    // "how much were the headphones?" with two such orders: each of them.
    const ids = t.entities.orderId
      ? [t.entities.orderId]
      : ref?.kind === 'one'
        ? [ref.order.id]
        : ref?.kind === 'ambiguous'
          ? ref.candidates.slice(0, 3).map((o) => o.id)
          : [recent];
    const tr = translator(t.language);
    const lines = ids.map((id) => own.find((o) => o.id === id)).map((o) => o && paidLine(o, tr));
    if (!lines.length || lines.some((l) => !l)) return undefined;
    const line = lines.join(' ');
    return this.ownOrderReply(t, t.question ? `${line}\n\n${t.replies.resume(t.question)}` : line);
  }

  /**
   * "is my headset under warranty?", "is it still covered?" after an order card: when that order was
   * delivered (the order data), then how long the warranty lasts (the documents, cited). Without an
   * order of the user's it names, the documents answer as for anyone.
   */
  private async warrantyStep(t: Turn): Promise<PromptResponse<string> | undefined> {
    if (!this.ownOrders || !asksAboutOwnWarranty(t.input)) return undefined;
    const own = await this.ownOrdersOf(t.context);
    const ref = t.entities.orderId ? undefined : resolveOrderReference(t.input, own);
    const ids = t.entities.orderId
      ? [t.entities.orderId]
      : ref?.kind === 'one'
        ? [ref.order.id]
        : ref?.kind === 'ambiguous'
          ? ref.candidates.slice(0, 3).map((o) => o.id)
          : [this.recentOrder(t.context, t.memory)];
    const orders = ids.map((id) => own.find((o) => o.id === id));
    if (!orders.length || orders.some((o) => !o)) return undefined;
    const tr = translator(t.language);
    const started = orders.map((o) => warrantyStartLine(o!, tr)).join(' ');
    const term = await this.askOwnQuestion(t.context, t.memory, warrantyTermQuestion, t.language);
    const text = term.kind === 'answer' ? `${started}\n\n${term.text}` : started;
    if (term.kind === 'answer') t.memory.setValue(KNOWLEDGE_CITATIONS, term.citations);
    return this.ownOrderReply(t, t.question ? `${text}\n\n${t.replies.resume(t.question)}` : text);
  }

  /**
   * "my headset broke after 3 weeks, what can I do?" with no fix in the documents: the user's own
   * delivered orders that hold the item the message names (one, or several to choose from; none
   * when it names no delivered item of theirs). In a shared conversation the user's orders stay out
   * of the thread: none, so the plain offer follows.
   */
  private async ownItemOrders(context: TurnContext, text: string): Promise<OwnOrder[]> {
    if (!this.ownOrders || isSharedConversation(context.activity) || !mentionsOrderReference(text)) return [];
    const own = await this.ownOrdersOf(context);
    const orderId = extractEntitiesFor(normaliseIds(text), turnLanguage(text)).orderId;
    const ref = orderId ? undefined : resolveOrderReference(text, own);
    const named = orderId
      ? own.filter((o) => o.id === orderId)
      : ref?.kind === 'one'
        ? [ref.order]
        : ref?.kind === 'ambiguous'
          ? ref.candidates
          : [];
    return named.filter((o) => o.deliveredAt && o.status === 'delivered');
  }

  /**
   * What a person at the counter says about a broken item of a delivered order: when it was
   * delivered, whether it can still be returned (and how) and the warranty term from the documents,
   * before the offer of a ticket.
   */
  private async ownItemAnswer(
    context: TurnContext,
    memory: Memory,
    orders: readonly OwnOrder[],
  ): Promise<KnowledgeAnswerText> {
    const language = memory.getValue<Language | undefined>(LANGUAGE_KEY) ?? 'en';
    const tr = translator(language);
    // "both of them" after "Which order do you mean?": each order's lines, the warranty term once.
    const state = orders
      .map((order) => {
        const until = this.returnableUntil?.(order);
        return [
          warrantyStartLine(order, tr),
          until
            ? tr.t('broken.returnable', { orderId: order.id, day: tr.date(until.toISOString()) ?? '' })
            : tr.t('broken.notReturnable'),
        ].join(' ');
      })
      .join('\n\n');
    const term = await this.askOwnQuestion(context, memory, warrantyTermQuestion, language);
    return term.kind === 'answer'
      ? { text: `${state}\n\n${term.text}`, citations: term.citations }
      : { text: state, citations: [] };
  }

  /**
   * A reported problem about an item of the user's: one order holds it → its return window,
   * warranty and the ticket offer; several → "Which order do you mean? …" (the answer continues in
   * slotAnswer's `ownItem` move); none → undefined.
   */
  private async ownItemProblem(
    context: TurnContext,
    memory: Memory,
    problem: string,
  ): Promise<PromptResponse<string> | undefined> {
    const orders = await this.ownItemOrders(context, problem);
    if (orders.length === 1)
      return this.offerTicket(
        context,
        memory,
        problem,
        await this.ownItemAnswer(context, memory, [orders[0]!]),
        orders[0]!.id,
      );
    if (orders.length < 2) return undefined;
    const slot = { intent: 'create_ticket', slot: 'orderId', problem: problem.slice(0, 2000) } as const;
    return askWhichOrder(memory, pendingSlotKey(context), slot, orders, repliesOf(memory));
  }

  /** The `ownItem` move: the order picked for a broken item ("the first one", "ORD-10388"). */
  private async ownItemReply(t: Turn, orderId: string, problem: string): Promise<PromptResponse<string>> {
    const order = (await this.ownOrdersOf(t.context)).find((o) => o.id === orderId);
    // Someone else's or an unknown order number: not one of theirs, and the question stands.
    if (!order && t.pending)
      return ask(t.memory, t.key, t.pending, `${t.replies.noMatchingOrder} ${t.replies.askOrderId}`);
    const delivered = order?.deliveredAt && order.status === 'delivered';
    return this.offerTicket(
      t.context,
      t.memory,
      problem,
      delivered ? await this.ownItemAnswer(t.context, t.memory, [order]) : undefined,
      order?.id,
    );
  }

  /**
   * The offer of a ticket for a reported problem ("yes" drafts it from `problem`), after what the
   * bot knows about the user's own item when there is one.
   */
  private offerTicket(
    context: TurnContext,
    memory: Memory,
    problem: string,
    ownItem: KnowledgeAnswerText | undefined,
    /** The user's order the problem is about: the ticket drafted on "yes" names it. */
    orderId?: string,
  ): PromptResponse<string> {
    memory.setValue(pendingSlotKey(context), {
      intent: 'create_ticket',
      slot: 'description',
      problem: problem.slice(0, 2000),
      ...(orderId ? { orderId } : {}),
      askedAt: new Date().toISOString(),
    } satisfies PendingSlot);
    if (ownItem?.citations.length) memory.setValue(KNOWLEDGE_CITATIONS, ownItem.citations);
    return say(
      ownItem
        ? `${ownItem.text}\n\n${repliesOf(memory).offerTicketForItem}`
        : repliesOf(memory).notFoundOfferTicket,
    );
  }

  /**
   * "can I modify my order?", "i want to edit ORD-10422": no action changes an order, so say what
   * can be done for that order instead (cancel and order again, or return), then the documents' rule
   * for the delivery address while it is still being processed.
   */
  private async changeOrderStep(t: Turn): Promise<PromptResponse<string> | undefined> {
    if (!this.ownOrders || !asksToChangeOrder(t.input)) return undefined;
    const own = await this.ownOrdersOf(t.context);
    const ref = t.entities.orderId ? undefined : resolveOrderReference(t.input, own);
    const pending = own.filter((o) => o.status === 'processing');
    const named = t.entities.orderId
      ? own.find((o) => o.id === t.entities.orderId)
      : ref?.kind === 'one'
        ? ref.order
        : undefined;
    // Someone else's or an unknown order number: the lookup says it is not found.
    if (t.entities.orderId && !named) return undefined;
    const tr = translator(t.language);
    // No order named: the rule, and which of the user's orders can still be cancelled.
    const line = named
      ? changeOrderLine(named, tr)
      : [
          tr.t('change.general'),
          ...(pending.length
            ? [
                tr.t('change.stillProcessing', {
                  orders: tr.list(pending.map((o) => orderWithItems(o, tr))),
                  count: pending.length,
                }),
              ]
            : []),
        ].join(' ');
    const address =
      !named || named.status === 'processing'
        ? await this.askKnowledge(t.context, t.memory, addressChangeQuestion(t.language), false)
        : undefined;
    const text = address?.kind === 'answer' ? `${line}\n\n${address.text}` : line;
    if (address?.kind === 'answer') t.memory.setValue(KNOWLEDGE_CITATIONS, address.citations);
    return this.ownOrderReply(t, t.question ? `${text}\n\n${t.replies.resume(t.question)}` : text);
  }

  /** "the one with the monitor", "my last order": the requester's own orders only. */
  private async orderReferenceStep(t: Turn): Promise<PromptResponse<string> | undefined> {
    // "both of them" / 两个都坏了 when asked which order holds the broken item: every order offered.
    if (
      t.pending?.problem &&
      t.pending.slot === 'orderId' &&
      t.pending.candidates &&
      meansAllOffered(t.input)
    ) {
      const ids = t.pending.candidates;
      const offered = (await this.ownOrdersOf(t.context)).filter((o) => ids.includes(o.id));
      const delivered = offered.filter((o) => o.deliveredAt && o.status === 'delivered');
      t.memory.deleteValue(t.key);
      const answer = delivered.length ? await this.ownItemAnswer(t.context, t.memory, delivered) : undefined;
      return this.offerTicket(t.context, t.memory, t.pending.problem, answer);
    }
    // "the first one", "the second order", 第二个 after "Which order do you mean? …": as listed.
    const picked =
      t.pending?.slot === 'orderId' && !t.entities.orderId && t.pending.candidates
        ? placeInShown(t.input, t.pending.candidates)
        : undefined;
    if (picked) {
      t.entities.orderId = picked;
      t.referenced = true;
      return undefined;
    }
    const looks = looksForOrderReference(t.pending, t.prediction, t.entities, t.input);
    // "track the keyboard", "where are my headphones?": read as a question for the documents, but
    // an order of the user's with that item is what they mean.
    const tracks =
      !looks && !t.pending && !t.entities.orderId && asksToTrack(t.input) && mentionsOrderReference(t.input);
    if (!this.ownOrders || !(looks || tracks)) return undefined;
    const own = await this.ownOrdersOf(t.context);
    // After "which order do you mean?", a reference picks among the orders offered, else among all.
    const offered = own.filter((o) => t.pending?.candidates?.includes(o.id));
    const amongOffered = offered.length ? resolveOrderReference(t.input, offered) : undefined;
    const ref =
      amongOffered && amongOffered.kind !== 'none' ? amongOffered : resolveOrderReference(t.input, own);
    if (tracks && ref.kind === 'none') return undefined;
    if (tracks) t.prediction = { ...t.prediction, intent: 'order_status' };
    if (ref.kind !== 'none') t.prediction = cancelsReferencedOrder(t.prediction, t.input);
    if (ref.kind === 'one') {
      t.entities.orderId = ref.order.id;
      t.referenced = true;
    } else if (ref.kind === 'ambiguous') {
      return askWhichOrder(
        t.memory,
        t.key,
        whichOrderSlot(t.pending, t.prediction),
        ref.candidates,
        t.replies,
      );
    } else if (describesOrderByItem(t.input) || namesOrderDate(t.input)) t.unmatchedReference = true;
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
    if (!t.unmatchedReference) return undefined;
    if (t.question) return say(`${t.replies.noMatchingOrder} ${t.question}`);
    // "cancel the one I ordered yesterday" with no order placed then: say so, then ask which.
    const move = taskMove(t.prediction.intent, t.input, t.entities);
    if (move?.kind !== 'ask') return undefined;
    return ask(t.memory, t.key, move.slot, `${t.replies.noMatchingOrder} ${t.replies[move.question]}`);
  }

  /** "can you cancel it?", "return that one" right after an order reply: that order. */
  private pointedBackStep(t: Turn): StepReply {
    if (t.pending || t.entities.orderId) return undefined;
    const referred = this.orderReferredTo(t.context, t.memory, t.input);
    const move = referred ? pointedBackMove(t.input, referred) : undefined;
    if (move) return this.perform(t, move);
    // "when will it arrive?" right after an order reply: that order, not "which order number?".
    const shown = this.recentOrder(t.context, t.memory);
    const again = shown ? shownOrderMove(t.input, t.prediction, shown) : undefined;
    return again && this.perform(t, again);
  }

  /** "cancel" / "never mind": the waiting question is dropped. */
  /** "ok continue" while a question waits: ask it again (the n-gram model hears "continue" in cancels). */
  private continueFlowStep(t: Turn): StepReply {
    if (!asksToContinue(t.input)) return undefined;
    return say(t.question ? t.replies.resume(t.question) : t.replies.nothingPending);
  }

  private cancelFlowStep(t: Turn): StepReply {
    // "no thanks" / 不用了 to the offer of a ticket for a reported problem.
    if (t.pending?.problem && declinesOffer(t.input)) {
      t.memory.deleteValue(t.key);
      return say(t.replies.offerDeclined);
    }
    if (t.prediction.intent !== 'cancel' || t.answersWhy) return undefined;
    // "they don't fit" while the bot waits for the order is not "stop".
    if (t.pending && !saysStop(t.input)) return undefined;
    t.memory.deleteValue(t.key);
    // A request deferred behind the flow that was dropped is dropped with it.
    t.memory.deleteValue(deferredRequestKey(t.context));
    return say(t.pending ? t.replies.cancelled : t.replies.nothingToCancel);
  }

  /**
   * "I'll take the first one", "what's the latest on that ticket?" right after a ticket list or card:
   * the ticket meant becomes the turn's ticket id (the steps after it act on it). Only when the
   * message is about a ticket (an assignment's words or a ticket word), never for an order's "the
   * first one".
   */
  private shownTicketStep(t: Turn): StepReply {
    if (t.entities.orderId) return undefined;
    // "what does the note on TKT-000123 say?": that ticket's card, which lists its notes.
    const readsNotes = asksForTicketNotes(t.input);
    if (t.entities.ticketId) {
      if (readsNotes) t.prediction = { ...t.prediction, intent: 'ticket_status' };
      return undefined;
    }
    const assigns = parseTicketAssignment(t.input) !== undefined;
    const updates = parseTicketUpdate(t.input) !== undefined;
    // "the second one" answers "which ticket?" after the list asked for in between.
    const waits = t.pending?.slot === 'ticketId';
    if (!assigns && !updates && !waits && !readsNotes && !TICKET_WORD.test(t.input)) return undefined;
    const shown = this.shownTickets(t);
    const ticketId = ticketFromShown(t.input, shown.ids, shown.list);
    if (!ticketId) return undefined;
    t.entities.ticketId = ticketId;
    // "what's the latest on that ticket?": that ticket's status (without a number it read as the list).
    if (!assigns && !updates) t.prediction = { ...t.prediction, intent: 'ticket_status' };
    return undefined;
  }

  /** The tickets the last list or card in this conversation showed, while "it" still refers to them. */
  private shownTickets(t: Turn): { ids: string[]; list?: string[] } {
    const shown = t.memory.getValue<ShownTickets | undefined>(shownTicketsKey(t.context));
    if (!shown?.at || Date.now() - Date.parse(shown.at) > FOLLOW_UP_MAX_AGE_MS) return { ids: [] };
    return shown;
  }

  /**
   * "mark it as resolved: …", "add a note to TKT-000123: customer called back", "note on the first
   * one: …" (src/nlu/ticketUpdate.ts): by rule, before any reading of the rest of the message (a
   * note's text may name an order or ask a question of its own). The ticket is the one its words
   * name; without one, "which ticket?" is asked and the request waits (slotAnswer completes it).
   */
  private ticketRequestStep(t: Turn): StepReply {
    const request = parseTicketRequest(normaliseIds(t.input));
    if (!request) return undefined;
    if (request.kind === 'note' && request.internal) return say(t.replies.noInternalNotes);
    if (request.kind === 'note' && !request.comment) return say(t.replies.noteNeedsText);
    const ticketId = this.ticketNamed(t, request.target);
    // "close it" right after an order reply, no ticket shown: about the order, not a ticket.
    const aboutOrder =
      !ticketId &&
      request.target.kind !== 'id' &&
      !t.pending &&
      !TICKET_WORD.test(t.input) &&
      this.shownTickets(t).ids.length === 0 &&
      this.recentOrder(t.context, t.memory) !== undefined;
    if (aboutOrder) return undefined;
    return this.performAfresh(t, ticketRequestMove(request, ticketId));
  }

  /** The ticket a request's words name: its id, or the ticket shown they point at ("it", "the first one"). */
  private ticketNamed(t: Turn, target: TicketTarget): string | undefined {
    if (target.kind === 'id') return target.ticketId;
    const { ids, list } = this.shownTickets(t);
    if (target.kind === 'none') return ids.length === 1 ? ids[0] : undefined;
    if (namesPlace(target.words)) return ticketFromShown(target.words, ids, list);
    // "it", "my ticket", "the ticket" with one ticket shown: that one.
    return ids.length === 1 ? ids[0] : undefined;
  }

  /** "assign TKT-000123 to me", "give TKT-000123 to @Dana" (src/nlu/ticketAssignment.ts); RBAC in the tool. */
  private assignTicketStep(t: Turn): StepReply {
    const move = assignmentMove(t.input, t.entities.ticketId, t.prediction.intent);
    if (!move) return undefined;
    t.memory.deleteValue(t.key);
    if (move === 'ask') {
      const assignee = parseTicketAssignment(t.input)?.assignee ?? 'me';
      // An @mention belongs to its message: "to @Erin" cannot wait for the next one.
      if (assignee === 'mentioned') return say(translator(t.language).t('assign.askTicketId'));
      return this.perform(t, askWhichTicket({ tool: 'assign_ticket', args: { assignee } }));
    }
    return this.callTool(t.memory, move.tool, move.args);
  }

  private slotAnswerStep(t: Turn): StepReply {
    const move =
      t.pending && slotAnswer(t.pending, t.input, t.prediction, t.entities, t.answersWhy, t.referenced);
    return move ? this.performAfresh(t, move) : undefined;
  }

  private async correctionStep(t: Turn): Promise<PromptResponse<string> | undefined> {
    const last = t.memory.getValue<LastOrderAction | undefined>(lastOrderActionKey(t.context));
    // "actually, make that the headset instead": the order named by its item, among the user's own.
    if (!t.entities.orderId && last?.orderId && this.ownOrders && correctsByReference(t.input)) {
      const ref = resolveOrderReference(t.input, await this.ownOrdersOf(t.context));
      if (ref.kind === 'one' && ref.order.id !== last.orderId) {
        const move = correctionMove(t.input, { ...t.entities, orderId: ref.order.id }, last, true);
        if (move) return this.performAfresh(t, move);
      }
    }
    const move = correctionMove(t.input, t.entities, last);
    return move ? this.performAfresh(t, move) : undefined;
  }

  /** Venting with no task in it gets the turn's handoff offer (aiRoutes.ts); ticket updates come first (ticketRequestStep). */
  private byRuleStep(t: Turn): StepReply {
    return ventsWithoutTask(t.prediction, t.input) ? say('') : undefined;
  }

  /** Questions the documents may answer better than the action their words suggest. */
  private async documentsFirstStep(t: Turn): Promise<PromptResponse<string> | undefined> {
    // "can I call support on Sunday?" while a question waits: answered, then the question again.
    const resume = t.question ? t.replies.resume(t.question) : undefined;
    if (unsureAction(t.prediction, t.entities) && (await this.knowledgeAnswers(t.context, t.memory, t.input)))
      return this.answerFromKnowledge(t.prompt, t.input, true, resume);
    if (
      asksAboutDocuments(t.prediction, t.input, t.entities, t.language) &&
      (await this.knowledgeAnswers(t.context, t.memory, t.input))
    )
      return this.answerFromKnowledge(t.prompt, t.input, true, resume);
    return undefined;
  }

  /** The classified intent: a task (its tool or its question), small replies, or the documents. */
  private intentStep(t: Turn): PromptResponse<string> | Promise<PromptResponse<string>> {
    // "打印机坏了" / "my laptop keeps crashing" without asking for a ticket: the documents first, then
    // the offer of a ticket (knowledgeReply), in Chinese as in English; "yes" / 好的 drafts it.
    if (t.prediction.intent === 'create_ticket' && reportsProblemOnly(t.input))
      return this.answerFromKnowledge(t.prompt, t.input, true);
    // "my discount code didn't work", "I was charged twice": a mishap with the order, not a lookup,
    // a cancellation or a missing parcel; the documents first, then the offer of a ticket.
    if (misreadMishap(t.input, t.prediction.intent, t.entities.orderId))
      return this.answerFromKnowledge(t.prompt, t.input, true);
    const move = taskMove(t.prediction.intent, t.input, t.entities);
    if (move) return this.performAfresh(t, move);
    switch (t.prediction.intent) {
      case 'greeting':
        // "it happens every morning after login" is not a greeting: a long message goes to the documents.
        if (wordCount(t.input) > 4 && !smallTalk(t.input))
          return this.answerFromKnowledge(t.prompt, t.input, false);
        return say(t.replies.greeting);
      case 'help':
        // "can you help me with ORD-10421": that order, not the menu.
        if (t.entities.orderId)
          return this.callTool(t.memory, 'get_order_status', { orderId: t.entities.orderId });
        // A problem with "what are my options?" tacked on: the documents, then the offer of a ticket.
        if (describesProblem(t.input)) return this.answerFromKnowledge(t.prompt, t.input, true);
        // A question ("do you accept PayPal?") the documents do not answer gets the refusal that
        // says what the bot does, not the menu.
        if (helpIsAQuestion(t.input)) return this.answerFromKnowledge(t.prompt, t.input, false);
        return say(t.replies.help);
      case 'reset':
        return this.callTool(t.memory, RESET_ACTION, {});
      default:
        // knowledge_question, out_of_scope and anything below the confidence threshold; "can you
        // also tell me when …" is searched as "when …".
        return this.answerFromKnowledge(
          t.prompt,
          withoutTellMe(t.input),
          t.prediction.intent === 'knowledge_question',
        );
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
      case 'ownItem':
        return this.ownItemReply(t, move.orderId, move.problem);
      case 'again':
        return this.respond(t.prompt, t.input, t.prediction, t.language);
    }
  }

  /** Whether the knowledge base answers `question` for this user (nothing is sent). */
  private async knowledgeAnswers(context: TurnContext, memory: Memory, question: string): Promise<boolean> {
    const reply = await this.askKnowledge(context, memory, question, false);
    return reply.kind === 'answer' || reply.kind === 'restricted';
  }

  /**
   * The knowledge answer for this user and audience; a follow-up leans on the conversation's last
   * answered question (kept in the conversation state, per member), which `remember` updates.
   */
  private async askKnowledge(
    context: TurnContext,
    memory: Memory,
    question: string,
    remember: boolean,
  ): Promise<KnowledgeReply> {
    const key = lastQuestionKey(context);
    const { reply, topic } = await answerWithFollowUp(
      this.knowledge,
      context.activity.from?.aadObjectId,
      question,
      isSharedConversation(context.activity) ? 'shared' : 'private',
      memory.getValue<FollowUpTopic | undefined>(key),
    );
    if (remember && topic)
      memory.setValue(key, {
        question: topic.slice(0, 500),
        at: new Date().toISOString(),
      } satisfies FollowUpTopic);
    return reply;
  }

  /**
   * A question the bot asks the documents itself (the warranty term, when refunds arrive), in the
   * turn's language. When no Chinese document answers a Chinese turn, the English question (chosen
   * against the English documents) is asked, and the answer says first that its source is English.
   */
  private async askOwnQuestion(
    context: TurnContext,
    memory: Memory,
    questionIn: (language: Language) => string,
    language: Language,
  ): Promise<KnowledgeReply> {
    const reply = await this.askKnowledge(context, memory, questionIn(language), false);
    if (language !== 'zh-CN' || (reply.kind === 'answer' && HAN_CHARACTER.test(reply.text))) return reply;
    const english = await this.askKnowledge(context, memory, questionIn('en'), false);
    const answered = english.kind === 'answer' ? english : reply;
    if (answered.kind !== 'answer') return reply;
    return { ...answered, text: `${repliesOf(memory).englishSource}\n\n${answered.text}` };
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
    let reply = await this.askKnowledge(context, memory, question, true);
    if (reply.kind === 'unavailable') return then(repliesOf(memory).knowledgeUnavailable);
    if (reply.kind === 'restricted') {
      // The Teams layer sends it to the asker's 1:1 chat (or offers one when that fails).
      memory.setValue(PRIVATE_ANSWER_KEY, reply.private);
      return this.callTool(memory, PRIVATE_ANSWER_ACTION, {});
    }
    const problem = !resume && describesProblem(question);
    // "I was charged twice": an answer that does not speak of it (the shipping table) is no fix.
    const mishap = problem ? mishapIn(question) : undefined;
    if (mishap && reply.kind === 'answer' && !answerSpeaksOfMishap(mishap, reply.text))
      reply = { kind: 'notFound' };
    if (reply.kind === 'notFound') {
      if (otherwise) return otherwise();
      // "my laptop screen is flickering": no fix in the documents, so offer a ticket; "yes" drafts it.
      // Something the user bought from us: its return window and warranty come first (several
      // orders with it: which one first).
      if (problem)
        return (
          (await this.ownItemProblem(context, memory, question)) ??
          this.offerTicket(context, memory, question, undefined)
        );
      // "do you accept bitcoin?", "你们支持支付宝吗": the name no document mentions, said back.
      if (reply.unknownName) return then(repliesOf(memory).unknownName(reply.unknownName));
      return then(recognisedAsQuestion ? repliesOf(memory).notFound : repliesOf(memory).outOfScope);
    }
    // "my headphones broke, what can I do?" about a delivered item of the user's: its return window
    // and warranty, not the documents' nearest sentence (the rule for engraved items, in both languages).
    const ownItem = problem && !otherwise ? await this.ownItemProblem(context, memory, question) : undefined;
    if (ownItem) return ownItem;
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
    return pointsBack(text) ? this.recentOrder(context, memory) : undefined;
  }

  /** The order of the last order reply, while "it" still refers to it (30 minutes). */
  private recentOrder(context: TurnContext, memory: Memory): string | undefined {
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

/**
 * A confirm card still waits after a turn that only answered ("wait, how long do refunds take?"):
 * "ok go ahead" next is still about the card, not a stray "yes". A turn that calls a tool or asks a
 * question of its own replaces it.
 */
function keepAwaitingAcrossQuestion(
  context: TurnContext,
  memory: Memory,
  awaiting: AwaitingConfirm | undefined,
  response: PromptResponse<string>,
): void {
  const key = awaitingConfirmKey(context);
  if (!awaiting || memory.getValue(key) || response.message?.action_calls?.length) return;
  if (activePending(memory, pendingSlotKey(context))) return;
  memory.setValue(key, awaiting);
}

/** "add a note to it: customer called. Can they return it?" is one note (free text), not two requests. */
function writesTicketText(input: string): boolean {
  const ticketRequest = parseTicketRequest(normaliseIds(input));
  return ticketRequest?.kind === 'note' || Boolean(ticketRequest?.update.comment);
}

/** A mishap report ("my discount code didn't work") the classifier read as an order action. */
function misreadMishap(text: string, intent: string, orderId: string | undefined): boolean {
  // "package arrived damaged" is never a missing parcel, whichever order it names.
  if (intent === 'missing_delivery' && arrivedDamaged(text)) return true;
  const mishap = mishapIn(text);
  return (
    mishap !== undefined &&
    !orderId &&
    ['missing_delivery', 'order_status', 'cancel_order', 'list_orders'].includes(intent) &&
    !/deliver|arriv|package|parcel|ship|address|送|寄/i.test(mishap)
  );
}

/** "never mind. do you have a phone number?": the waiting question is dropped, the rest is the message. */
function messageAfterStop(context: TurnContext, memory: Memory, said: string): string {
  const rest = requestAfterStop(said);
  if (!rest) return said;
  memory.deleteValue(pendingSlotKey(context));
  memory.deleteValue(deferredRequestKey(context));
  return rest;
}

/** "About your other request:" and what follows it before `text`: a numbered procedure starts on its own line. */
function introBefore(intro: string, text: string): string {
  return /^\s*(?:\d+[.)]|[-*•])\s/.test(text) ? `${intro}\n` : `${intro} `;
}

function introduced(intro: string, text: string): string {
  return `${introBefore(intro, text)}${text}`;
}

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
const CONFIRM_CARD_TOOLS = new Set(['create_ticket', 'add_ticket_detail', 'cancel_order', 'start_return']);
/** Tools whose card is a ticket draft: a detail typed next is added to it. */
const DRAFT_CARD_TOOLS = new Set(['create_ticket', 'add_ticket_detail']);
/** How long "yes" still refers to the last card, and "cancel it" to the last order shown. */
const FOLLOW_UP_MAX_AGE_MS = 30 * 60 * 1000;
/** A ticket named as such ("that ticket", "the second case", 这个工单). */
const TICKET_WORD = /\b(?:tickets?|cases?)\b|工单/i;
interface AwaitingConfirm {
  tool: string;
  at: string;
}

/** A two-request message's second request, waiting for the first one's flow. */
interface DeferredRequest {
  text: string;
  at: string;
}
type ActionCall = NonNullable<Message<string>['action_calls']>[number];
type KnowledgeAnswerText = { text: string; citations: Citation[] };

function callsOf(calls: ActionCall[]): PromptResponse<string> {
  return { status: 'success', message: { role: 'assistant', content: undefined, action_calls: calls } };
}

/**
 * start_return without a reason was sent with its "why?" already pending; when the tool answered
 * otherwise (already requested, not delivered, not found) there is nothing to ask.
 */
function dropUnaskedReason(context: TurnContext, memory: Memory, text: string): void {
  const key = pendingSlotKey(context);
  const pending = memory.getValue<PendingSlot | undefined>(key);
  if (
    pending?.slot === 'reason' &&
    pending.orderId &&
    // The tool asks in the turn's language (ActionContext.language); either wording counts.
    !Object.values(REPLIES_BY_LANGUAGE).some((r) => text.includes(r.askReason(pending.orderId!)))
  )
    memory.deleteValue(key);
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

/**
 * "Which order do you mean? ORD-… (items; day), …": the candidates newest first, at most six; the
 * answer fills `slot` (the candidates kept for "the first one"). ORDER_CHOICES_KEY tells the Teams
 * layer which ids to offer as buttons.
 */
function askWhichOrder(
  memory: Memory,
  key: string,
  slot: Omit<PendingSlot, 'askedAt' | 'candidates'>,
  candidates: readonly OwnOrder[],
  replies: typeof embeddedReplies,
): PromptResponse<string> {
  const shown = candidates.slice(0, 6);
  const list = shown
    .map((o) => `${o.id} (${o.items.map((i) => i.name).join(', ')}; ${isoDay(o.orderedAt) ?? ''})`)
    .join(', ');
  const ids = shown.map((o) => o.id);
  memory.setValue(ORDER_CHOICES_KEY, ids);
  return ask(memory, key, { ...slot, candidates: ids }, replies.askWhichOfOrders(list));
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

function wordCount(text: string): number {
  return text.trim().split(/\s+/).filter(Boolean).length;
}
