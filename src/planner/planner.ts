import path from 'node:path';
import {
  ActionPlanner,
  PromptManager,
  type DataSource,
  type PromptCompletionModel,
} from '@microsoft/teams-ai';
import type { TurnState } from '@microsoft/teams-ai';
import { projectRoot } from '../projectRoot';
import { promptTokenizer } from '../text/tokens';

/** The prompt folder: config.json (tools augmentation + knowledge data source), skprompt.txt, actions.json. */
export const PROMPTS_FOLDER = path.join(projectRoot(), 'src', 'prompts');
const DEFAULT_PROMPT = 'chat';

/**
 * The teams-ai ActionPlanner over our prompt folder. The model is either Azure OpenAI /
 * an OpenAI-compatible endpoint or the embedded intent model: both return the same tool calls.
 */
export function createPlanner<TState extends TurnState>(options: {
  model: PromptCompletionModel;
  dataSources: DataSource[];
  promptsFolder?: string;
  /** The informative update that opens a streamed answer (teams-ai sends it as the stream's first activity). */
  startStreamingMessage?: string;
  /**
   * Keep the prompt's chat history in conversation state (the prompt's `include_history`). False:
   * teams-ai keeps it in temp state for the turn only — for a model that never reads it. Default true.
   */
  keepHistory?: boolean;
}): ActionPlanner<TState> {
  const prompts = new PromptManager({ promptsFolder: options.promptsFolder ?? PROMPTS_FOLDER });
  for (const source of options.dataSources) prompts.addDataSource(source);
  const withoutHistory = async () => {
    // The template PromptManager loaded and cached, which the planner reads again by name.
    const template = await prompts.getPrompt(DEFAULT_PROMPT);
    template.config.completion.include_history = false;
    return template;
  };
  return new ActionPlanner<TState>({
    model: options.model,
    prompts,
    tokenizer: promptTokenizer,
    defaultPrompt: options.keepHistory === false ? withoutHistory : DEFAULT_PROMPT,
    ...(options.startStreamingMessage ? { startStreamingMessage: options.startStreamingMessage } : {}),
  });
}
