import type { Order } from '../orders/order';
import { returnBlocker, returnDeadline } from '../orders/returnWindow';
import type { OwnOrder } from '../nlu/orderQuestions';
import type { DataSource, PromptCompletionModel } from '@microsoft/teams-ai';
import type { BotTurnState } from '../teams/app';
import { streamsIn } from '../teams/streaming';
import { replies } from '../replies';
import { createLanguageIntentModels } from '../nlu/languageModels';
import { createPlanner } from '../planner/planner';
import { EmbeddedIntentModel } from '../planner/embeddedModel';
import { createLlmModel } from '../planner/llmModel';
import { KnowledgeDataSource } from '../planner/knowledgeDataSource';
import { ConversationStreamingModel, type StreamPredicate } from '../planner/streaming';
import { CircuitBreakingModel } from '../resilience';
import { TracedModel } from '../planner/tracedModel';
import type { BotServices } from './services';
import type { TurnContext } from 'botbuilder';
import { memberScoped } from '../teams/audience';
import { noteTurnIntent } from '../observability/turnOutcome';
import { createMemorySummarizer } from '../planner/memorySummarizer';
import { appendTurn, normalizeMemory, renderMemory, MEMORY_STATE_PROPERTY } from '../memory';

/** The planner over the model chosen by LLM_MODE (embedded intent model or a chat model) and the knowledge data source. */
export async function createBotPlanner(
  services: BotServices,
): Promise<ReturnType<typeof createPlanner<BotTurnState>>> {
  const { config, knowledge, groups } = services;
  const model = new TracedModel(await createModel(services), config.llm.mode);
  const dataSources: DataSource[] = [
    new KnowledgeDataSource({
      search: knowledge,
      groupsOf: (id: string) => groups.groupsOf(id),
      top: config.searchTopK,
    }),
  ];
  return createPlanner<BotTurnState>({
    model,
    dataSources,
    // The embedded model never reads the planner's chat history: it is not kept in state.
    keepHistory: config.llm.mode !== 'embedded',
    startStreamingMessage: replies.streamSearching,
  });
}

async function createModel(services: BotServices): Promise<PromptCompletionModel> {
  const { config, answerer, credential, policies, business } = services;
  // Answers stream only in Teams 1:1 chats (and only with STREAMING on).
  const stream: StreamPredicate = (context) => config.streaming && streamsIn(context.activity);
  if (config.llm.mode === 'embedded') {
    // "the one with the monitor" is resolved against the requester's own orders only.
    const ownOrders = (aadObjectId: string) => business.orders.listForOwner(aadObjectId);
    // The same window start_return applies (RETURN_WINDOW_DAYS, the returns policy's rules).
    const { windowDays, rules } = business.deps.returns;
    const returnableUntil = (order: OwnOrder) => {
      const own = order as Order; // ownOrders hands the planner the backend's orders
      return returnBlocker(own, windowDays, new Date(), rules)
        ? undefined
        : returnDeadline(own, windowDays, rules);
    };
    const intents = services.intents ?? (await createLanguageIntentModels());
    return new EmbeddedIntentModel(intents, answerer, { stream, ownOrders, returnableUntil });
  }
  const options = { credential, requestTimeoutMs: config.resilience.llmTimeoutMs };
  const llm = new ConversationStreamingModel(
    createLlmModel(config.llm, { ...options, stream: true }),
    createLlmModel(config.llm, options),
    stream,
  );
  return new CircuitBreakingModel(llm, policies.model);
}

/** The conversation-memory hooks of the Teams app: render memory before the model, append the turn after. */
export interface MemoryHooks {
  beforeAi(context: TurnContext, state: BotTurnState): Promise<void>;
  afterMessage(context: TurnContext, state: BotTurnState, botReplies: string[]): Promise<void>;
}

export function createMemoryHooks(services: BotServices): MemoryHooks {
  const { config, metrics, policies, credential } = services;
  // Memory summaries: the chat model when one is configured (extractive fallback built in), else extractive.
  const summarizer = createMemorySummarizer(config, policies.model, credential);
  return {
    // Only a language model reads the rendered memory; the embedded model keeps its own slots.
    beforeAi: async (context, state) => {
      if (config.llm.mode === 'embedded') return;
      // Per member in shared conversations: B's prompt never holds what the bot told A.
      const memory = normalizeMemory(
        state.conversation[memberScoped(context.activity, MEMORY_STATE_PROPERTY)],
      );
      state.temp.memoryText = renderMemory(memory, config.memory.tokenBudget).text;
    },
    afterMessage: async (context, state, botReplies) => {
      const intent = String(state.temp.intent ?? (config.llm.mode === 'embedded' ? 'unknown' : 'llm'));
      metrics.intents.inc({ intent });
      noteTurnIntent(context, intent);
      // Only a language model reads the memory (beforeAi): the embedded model does not pay for it.
      if (config.llm.mode === 'embedded') return;
      const memoryProperty = memberScoped(context.activity, MEMORY_STATE_PROPERTY);
      let memory = normalizeMemory(state.conversation[memoryProperty]);
      const options = { windowTurns: config.memory.windowTurns };
      const at = new Date().toISOString();
      memory = await appendTurn(
        memory,
        { role: 'user', text: context.activity.text ?? '', at },
        options,
        summarizer,
      );
      if (botReplies.length) {
        memory = await appendTurn(
          memory,
          { role: 'assistant', text: botReplies.join('\n'), at },
          options,
          summarizer,
        );
      }
      state.conversation[memoryProperty] = memory;
    },
  };
}
