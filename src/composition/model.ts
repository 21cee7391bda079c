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
    return new EmbeddedIntentModel(await createLanguageIntentModels(), answerer, { stream, ownOrders });
  }
  const options = { credential, requestTimeoutMs: config.resilience.llmTimeoutMs };
  const llm = new ConversationStreamingModel(
    createLlmModel(config.llm, { ...options, stream: true }),
    createLlmModel(config.llm, options),
    stream,
  );
  return new CircuitBreakingModel(llm, policies.model);
}
