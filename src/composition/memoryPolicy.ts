import type { TurnContext } from 'botbuilder';
import type { BotTurnState } from '../teams/app';
import { memberScoped } from '../teams/audience';
import { noteTurnIntent } from '../observability/turnOutcome';
import { createMemorySummarizer } from '../planner/memorySummarizer';
import { appendTurn, normalizeMemory, renderMemory, MEMORY_STATE_PROPERTY } from '../memory';
import type { BotServices } from './services';

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
