import { ActivityTypes, CardFactory, MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import { AI, type Application, type PredictedSayCommand } from '@microsoft/teams-ai';
import type { ActionContext, ActionHandler, BusinessActions } from '../actions';
import { CARD_ACTION_VERBS } from './cards/cardVerbs';
import { createCardActionHandler } from './routes/cardActions';
import { PRIVATE_ANSWER_ACTION, RESET_ACTION } from '../planner/embeddedModel';
import { deliveryRepliesIn, handoffRepliesIn, replies, repliesIn, returnRepliesIn } from '../replies';
import { soundsFrustrated } from '../nlu/frustration';
import { handoffOfferCard } from './cards/handoffCards';
import { orderChoiceMessage } from './cards/orderCards';
import { renderToolCard } from './toolCards';
import { ticketsShownAfter } from '../actions/ticketsShown';
import { logger } from '../observability/logger';
import { getMetrics } from '../observability/metrics';
import { noteToolCall } from '../observability/turnOutcome';
import type { BotTurnState } from './app';
import { turnServices } from './pipeline/turnServices';
import { citeSources, messageSensitivity, toClientCitations } from '../planner/citations';
import {
  CARD_SENT_KEY,
  HANDOFF_HANDLED_KEY,
  KNOWLEDGE_CITATIONS,
  PRIVATE_ANSWER_KEY,
  PRIVATE_KNOWLEDGE_ANSWER,
  LANGUAGE_KEY,
  ORDER_CHOICES_KEY,
  shownTicketsKey,
  type ShownTickets,
} from '../planner/memoryKeys';
import { NO_SENSITIVITY_LABELS, type Citation, type SensitivityLabels } from '../knowledge';
import { resetConversation, isSharedConversation } from './audience';
import { TICKET_REFRESH_VERB, ticketDraftNeutralCard, withUserRefresh } from './cards/ticketCards';
import { sendOrStream } from './streaming';
import type { ConversationAddress } from '../notifications/address';
import { addressOf } from './proactive';
import { isLanguage, translator, type Translator } from '../text/i18n';
import { turnLanguage } from '../text/language';
import { mentionedPeople } from './mentions';

/**
 * Registers the business tools as teams-ai actions, the Universal Action (Action.Execute)
 * handlers for cards, and the SAY renderer with Teams citations. RBAC and ownership are
 * checked inside the business actions, in code, whatever the model asked for.
 */
export interface AiRoutesOptions {
  /** Sensitivity labels per access group (knowledge metadata) for answers citing restricted documents. */
  sensitivityLabels?: SensitivityLabels;
}

export function registerAiRoutes(
  app: Application<BotTurnState>,
  business: BusinessActions,
  options: AiRoutesOptions = {},
): void {
  const labels = options.sensitivityLabels ?? NO_SENSITIVITY_LABELS;
  registerToolActions(app, business, labels);
  registerPlannerActions(app, labels);
  registerAfterTurnHooks(app, labels);
  registerCardActions(app, business);
}

type ContextFor = (context: TurnContext, state: BotTurnState) => Promise<ActionContext>;

/** The ActionContext of this turn's sender: roles from their groups, the turn's language. */
function actionContextFor(business: BusinessActions): ContextFor {
  return async (context, state) => {
    const from = context.activity.from ?? { id: '', name: '' };
    const groups =
      (await turnServices(context)
        ?.groups()
        .catch(() => [])) ?? [];
    const ctx = business.contextFor(
      {
        aadObjectId: from.aadObjectId ?? '',
        name: from.name,
        tenantId: context.activity.conversation?.tenantId,
        ...(from.id ? { channelUserId: from.id } : {}),
        groupIds: groups,
      },
      context.activity.conversation?.id ?? '',
      addressIfAny(context.activity, turnTranslator(context, state).language),
    );
    // Who the message @mentions (assign_ticket's "to @Dana"): resolved to object ids here, in the glue.
    const mentions =
      context.activity.type === ActivityTypes.Message
        ? await mentionedPeople(context, turnServices(context)?.groupsOf)
        : [];
    // The tools answer in the turn's language (the same source as the cards' translator).
    return {
      ...ctx,
      shared: isSharedConversation(context.activity),
      language: turnTranslator(context, state).language,
      ...(mentions.length ? { mentions } : {}),
    };
  };
}

type ToolOutcome = Awaited<ReturnType<ActionHandler>>;

/** Each business tool as a teams-ai action: run it (RBAC inside), record it, show its card. */
function registerToolActions(
  app: Application<BotTurnState>,
  business: BusinessActions,
  labels: SensitivityLabels,
): void {
  const contextFor = actionContextFor(business);
  for (const [name, handler] of business.registry) {
    app.ai.action<Record<string, unknown>>(name, async (context, state, parameters) => {
      const ctx = await contextFor(context, state);
      const outcome = await handler(ctx, parameters ?? {});
      if (name === 'request_human') state.setValue(HANDOFF_HANDLED_KEY, true);
      // "I'll take the first one" next turn names a ticket of this list (src/nlu/ticketReference.ts).
      const before = state.getValue<ShownTickets | undefined>(shownTicketsKey(context));
      const shownTickets = outcome.ok ? ticketsShownAfter(before, name, outcome.data) : undefined;
      if (shownTickets)
        state.setValue(shownTicketsKey(context), {
          ...shownTickets,
          at: new Date().toISOString(),
        } satisfies ShownTickets);
      getMetrics().toolCalls.inc({ tool: name, outcome: outcome.ok ? 'ok' : outcome.code });
      noteToolCall(context, name, outcome.ok ? 'ok' : outcome.code);
      turnServices(context)?.transcript?.toolCall(
        name,
        parameters,
        outcome.ok ? { result: outcome.summary } : { error: outcome.error },
      );
      return showToolOutcome(context, state, name, outcome, labels);
    });
  }
}

/** What the user sees of a tool's outcome; returns what the model is told. */
async function showToolOutcome(
  context: TurnContext,
  state: BotTurnState,
  name: string,
  outcome: ToolOutcome,
  labels: SensitivityLabels,
): Promise<string> {
  // Shared conversation: personal records (orders, tickets) are summarised without the details;
  // the model gets the same short summary, so it cannot repeat them either.
  const shared =
    outcome.ok && isSharedConversation(context.activity)
      ? sharedSummary(name, outcome, turnTranslator(context, state))
      : undefined;
  const rendered = outcome.ok
    ? renderToolCard(name, outcome.data, turnTranslator(context, state))
    : undefined;
  if (shared) return showSharedSummary(context, state, shared, rendered);
  const draft =
    outcome.ok && isSharedConversation(context.activity) ? sharedDraftRef(name, outcome.data) : undefined;
  if (rendered) {
    // Shared conversation: the draft card shows its details only to the requester (refresh.userIds).
    const card = draft
      ? withUserRefresh(ticketDraftNeutralCard(context.activity.from?.name), draft, [
          context.activity.from?.id ?? '',
        ])
      : rendered;
    // In a streamed answer (1:1 chat) the card goes with the stream's final message.
    await sendOrStream(context, state, MessageFactory.attachment(CardFactory.adaptiveCard(card)));
    state.setValue(CARD_SENT_KEY, true);
    if (draft) return repliesIn(turnTranslator(context, state)).sharedDraftSummary;
  }
  // A reply that cites a document (start_return: the returns policy) goes out like a knowledge
  // answer, with its citation; the model is told the same text and need not repeat it.
  if (outcome.ok && outcome.citations?.length) {
    const { text, cited } = citeSources(outcome.summary, outcome.citations);
    // Its own message even in a stream: its citations are the tool's, not the turn's knowledge.
    await context.sendActivity(aiMessage(text, toClientCitations(text, cited, labels)));
    state.setValue(CARD_SENT_KEY, true);
  }
  // A refusal is already a sentence for the user (and tells a language model what happened).
  return outcome.ok ? outcome.summary : outcome.error;
}

/** The details go to the requester's 1:1 chat; the thread only hears that they did. */
async function showSharedSummary(
  context: TurnContext,
  state: BotTurnState,
  shared: NonNullable<ReturnType<typeof sharedSummary>>,
  rendered: ReturnType<typeof renderToolCard> | undefined,
): Promise<string> {
  const delivered =
    shared.detailsPrivately && rendered
      ? await turnServices(context)?.sendPrivately?.(
          MessageFactory.attachment(CardFactory.adaptiveCard(rendered)),
        )
      : false;
  const tr = turnTranslator(context, state);
  const note = delivered
    ? repliesIn(tr).detailsSentPrivately
    : shared.note === false
      ? ''
      : tr.t('shared.detailsKept');
  // Chinese sentences are not separated by a space.
  const line = [shared.lead, note].filter(Boolean).join(tr.language === 'en' ? ' ' : '');
  await context.sendActivity(line);
  state.setValue(CARD_SENT_KEY, true);
  return line;
}

/** The planner's own actions: unknown tool, reset, a private answer, and SAY with citations. */
function registerPlannerActions(app: Application<BotTurnState>, labels: SensitivityLabels): void {
  // The model named a tool that does not exist: tell the user instead of ending the turn in silence.
  app.ai.action(AI.UnknownActionName, async (context, state, _data, action) => {
    logger.warn({ action: String(action ?? '').slice(0, 64) }, 'model called an unknown tool');
    getMetrics().toolCalls.inc({ tool: 'unknown', outcome: 'unknown_tool' });
    await sendOrStream(context, state, MessageFactory.text(replies.unknownTool));
    return AI.StopCommandName;
  });

  app.ai.action(RESET_ACTION, async (context, state) => {
    await resetConversation(context, state);
    return '';
  });

  // A restricted answer asked for in a shared conversation: to the asker's 1:1 chat, with citations.
  app.ai.action(PRIVATE_ANSWER_ACTION, async (context, state) => {
    const answer = state.getValue(PRIVATE_ANSWER_KEY) as
      { text: string; citations: Citation[]; personal?: boolean } | undefined;
    state.deleteValue(PRIVATE_ANSWER_KEY);
    let delivered = false;
    if (answer) {
      const { text, cited } = citeSources(answer.text, answer.citations);
      delivered =
        (await turnServices(context)?.sendPrivately?.(aiMessage(text, toClientCitations(text, cited)))) ??
        false;
    }
    const tr = turnTranslator(context, state);
    // `personal`: built from the asker's own orders (what they paid, their refund), not restricted documents.
    const line = answer?.personal
      ? delivered
        ? repliesIn(tr).detailsSentPrivately
        : tr.t('shared.detailsKept')
      : delivered
        ? repliesIn(tr).answeredPrivately
        : tr.t('shared.restricted');
    await context.sendActivity(line);
    state.setValue(CARD_SENT_KEY, true);
    return '';
  });

  app.ai.action<PredictedSayCommand>(AI.SayCommandActionName, sayWithCitations(labels));
}

/** After the planner: a private knowledge answer (LLM path, shared conversation) and the handoff offer. */
function registerAfterTurnHooks(app: Application<BotTurnState>, labels: SensitivityLabels): void {
  // LLM path in a shared conversation: the answer from passages only the asker may see goes to
  // their 1:1 chat (the model, writing into the thread, never saw them); the thread hears that it did.
  app.turn('afterTurn', async (context, state) => {
    const answer = state.getValue(PRIVATE_KNOWLEDGE_ANSWER) as
      { text: string; citations: Citation[] } | undefined;
    if (!answer || !isSharedConversation(context.activity)) return true;
    state.deleteValue(PRIVATE_KNOWLEDGE_ANSWER);
    const { text, cited } = citeSources(answer.text, answer.citations);
    const delivered = await turnServices(context)?.sendPrivately?.(
      aiMessage(text, toClientCitations(text, cited, labels), messageSensitivity(cited, labels)),
    );
    if (delivered) await context.sendActivity(repliesIn(turnTranslator(context, state)).answeredPrivately);
    return true;
  });

  // "Which order do you mean? …" in a 1:1 chat: a suggested reply per order offered, sending its
  // number. Not in shared chats: Teams shows suggested replies only in 1:1 chats.
  app.turn('afterTurn', async (context, state) => {
    const ids = state.getValue(ORDER_CHOICES_KEY) as string[] | undefined;
    if (!ids?.length || isSharedConversation(context.activity)) return true;
    state.deleteValue(ORDER_CHOICES_KEY);
    await context.sendActivity(orderChoiceMessage(ids, turnTranslator(context, state)));
    return true;
  });

  // Frustration offers a person (both model paths); a ticket is opened only if the user accepts.
  app.turn('afterTurn', async (context, state) => {
    if (context.activity.type !== ActivityTypes.Message) return true;
    const input = String(state.temp.userText ?? '');
    if (!input || state.getValue(HANDOFF_HANDLED_KEY) || !soundsFrustrated(input)) return true;
    const tr = turnTranslator(context, state);
    const hr = handoffRepliesIn(tr);
    const offer: Partial<Activity> = MessageFactory.attachment(
      CardFactory.adaptiveCard(handoffOfferCard(tr)),
    );
    offer.text = hr.offer;
    // Suggested replies show only in 1:1 chats; the card's button works everywhere.
    if (!isSharedConversation(context.activity))
      offer.suggestedActions = {
        to: [],
        actions: [{ type: 'imBack', title: hr.offerButton, value: hr.offerSuggestion }],
      };
    await context.sendActivity(offer);
    return true;
  });
}

/** The Universal Action (Action.Execute) handler for every card verb. */
function registerCardActions(app: Application<BotTurnState>, business: BusinessActions): void {
  const contextFor = actionContextFor(business);
  const onCardAction = createCardActionHandler(business.deps, business.registry);
  for (const verb of CARD_ACTION_VERBS) {
    app.adaptiveCards.actionExecute(verb, async (context, state, data) => {
      const ctx = await contextFor(context, state);
      const result = await onCardAction(ctx, verb, data);
      if (!result.ok) logger.warn({ verb, code: result.code }, 'card action refused');
      if (result.audit)
        turnServices(context)?.transcript?.toolCall(`card:${verb}`, undefined, { result: result.audit });
      let card = result.card;
      const ref = draftRefOf(data);
      if (verb === TICKET_REFRESH_VERB && !result.ok) {
        // Someone other than the requester (or a stale card): the neutral view, never the draft.
        card = ticketDraftNeutralCard(undefined);
      } else if (ref && result.ok && isSharedConversation(context.activity) && verb.startsWith('ticket.')) {
        // The requester's own view keeps refreshing for them only.
        card = withUserRefresh(result.card, ref, [context.activity.from?.id ?? '']);
      }
      return card as Parameters<typeof CardFactory.adaptiveCard>[0];
    });
  }
}

/**
 * This turn's language: the embedded model's (temp.language), otherwise the message's own
 * (src/text/language.ts turnLanguage: text first, the client's locale for text without letters).
 */
export function turnTranslator(context: TurnContext, state: BotTurnState): Translator {
  const stored = state.getValue(LANGUAGE_KEY);
  if (isLanguage(stored)) return translator(stored);
  return translator(turnLanguage(String(context.activity.text ?? ''), context.activity.locale));
}

/**
 * The SAY action: both models hand over the sources offered this turn; only those cited by [n]
 * become citations (with their sensitivity labels) on the AI-labelled message.
 */
export function sayWithCitations(labels: SensitivityLabels) {
  return async (context: TurnContext, state: BotTurnState, data: PredictedSayCommand): Promise<string> => {
    const content = data.response?.content;
    if (!content) return '';
    const offered = (state.getValue(KNOWLEDGE_CITATIONS) as Citation[] | undefined) ?? [];
    const { text, cited } = citeSources(content, offered);
    await context.sendActivity(
      aiMessage(text, toClientCitations(text, cited, labels), messageSensitivity(cited, labels)),
    );
    return '';
  };
}

/**
 * The non-personal line posted into a channel, group chat or meeting instead of a tool's card:
 * at most the record's id the asker typed (no status, customer name, items, prices, tracking link,
 * ticket title or count of records): everyone there reads it.
 * `detailsPrivately`: the card itself may go to the requester's 1:1 chat. undefined: the tool's
 * output may be shown as it is (e.g. the ticket draft the user just wrote).
 */
function sharedSummary(
  tool: string,
  outcome: { data?: unknown },
  tr: Translator,
): { lead: string; detailsPrivately: boolean; note?: false } | undefined {
  const data = outcome.data as Record<string, unknown> | undefined;
  switch (tool) {
    case 'get_order_status':
    case 'get_ticket_status':
    case 'update_ticket': {
      // Only the id the asker typed: a status is the record owner's business, not the thread's.
      const id = typeof data?.id === 'string' && tool === 'get_order_status' ? data.id : data?.ticketId;
      return { lead: typeof id === 'string' ? `${id}:` : '', detailsPrivately: true };
    }
    case 'list_my_orders':
    case 'list_my_tickets':
      return { lead: '', detailsPrivately: true };
    case 'assign_ticket':
      // Who works on a ticket is the team's business: the id and the agent's name, not its title.
      return { lead: typeof data?.note === 'string' ? data.note : '', detailsPrivately: false, note: false };
    case 'report_missing_delivery':
      // The candidates are the member's own orders: not listed where everyone reads.
      return (data as { kind?: string } | undefined)?.kind === 'delivery_candidates'
        ? { lead: deliveryRepliesIn(tr).sharedNote, detailsPrivately: false, note: false }
        : undefined;
    case 'cancel_order': {
      // The confirm card lists the order's items: cancelling is done in the 1:1 chat.
      const id = typeof data?.orderId === 'string' ? data.orderId : undefined;
      // The lead already says where to go: no "I've kept the details out …" after it.
      return id
        ? { lead: tr.t('shared.cancelIn1to1', { orderId: id }), detailsPrivately: false, note: false }
        : undefined;
    }
    case 'start_return': {
      // The confirm card lists the order's items and the refund: returns are started in the 1:1 chat.
      const id = typeof data?.orderId === 'string' ? data.orderId : undefined;
      return id
        ? { lead: returnRepliesIn(tr).sharedChat(id), detailsPrivately: false, note: false }
        : undefined;
    }
    default:
      return undefined;
  }
}

/** The signed draft reference of a create_ticket outcome (for the shared chat's refresh action). */
function sharedDraftRef(tool: string, data: unknown): { draftId: string; sig: string } | undefined {
  return tool === 'create_ticket' || tool === 'add_ticket_detail' ? draftRefOf(data) : undefined;
}

function draftRefOf(data: unknown): { draftId: string; sig: string } | undefined {
  const d = data as { draftId?: unknown; sig?: unknown } | undefined;
  return typeof d?.draftId === 'string' && typeof d.sig === 'string'
    ? { draftId: d.draftId, sig: d.sig }
    : undefined;
}

/** The conversation's address (for tickets that report back), or undefined for an activity without one. */
function addressIfAny(
  activity: TurnContext['activity'],
  language: ConversationAddress['language'],
): ConversationAddress | undefined {
  try {
    return { ...addressOf(activity), ...(language && language !== 'en' ? { language } : {}) };
  } catch {
    return undefined;
  }
}

/**
 * A model's answer: the AI-generated label, Teams citation entities, the sensitivity label of
 * restricted sources, and the feedback buttons (`feedbackLoopEnabled`, what teams-ai's own SAY
 * action sends with `enable_feedback_loop`; reactions arrive as message/submitAction invokes, see
 * feedbackRoute.ts). Only these answers get the buttons: cards and tool summaries posted by the
 * actions show stored records, not generated text.
 */
export function aiMessage(text: string, citations: object[], usageInfo?: object): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    text,
    channelData: { feedbackLoopEnabled: true },
    entities: [
      {
        type: 'https://schema.org/Message',
        '@type': 'Message',
        '@context': 'https://schema.org',
        '@id': '',
        additionalType: ['AIGeneratedContent'],
        ...(citations.length ? { citation: citations } : {}),
        ...(usageInfo ? { usageInfo } : {}),
      },
    ],
  };
}
