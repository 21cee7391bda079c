import { DefaultAzureCredential, getBearerTokenProvider, type TokenCredential } from '@azure/identity';
import OpenAI, { AzureOpenAI, type ClientOptions } from 'openai';
import type { AppConfig } from '../config';
import { AZURE_OPENAI_SCOPE, modelClientOptions } from './llmModel';

/** One plain chat completion (system + user → text), for side tasks such as memory summaries. */
type ChatCompletion = (system: string, user: string) => Promise<string>;

interface ChatCompletionOptions {
  /** Bound on one call including its retries, in ms: `LLM_TIMEOUT_MS` (config `resilience.llmTimeoutMs`). */
  timeoutMs: number;
  credential?: TokenCredential;
  /** Longest answer (default 300 tokens). */
  maxTokens?: number;
}

/**
 * A direct chat-completions call on the same endpoint, identity, retry policy and timeout as the
 * planner's model, without the planner's prompt, tools and history.
 */
export function createChatCompletion(
  llm: Exclude<AppConfig['llm'], { mode: 'embedded' }>,
  options: ChatCompletionOptions,
): ChatCompletion {
  const clientOptions: ClientOptions = modelClientOptions(options.timeoutMs);
  const client =
    llm.mode === 'azure'
      ? new AzureOpenAI({
          ...clientOptions,
          endpoint: llm.endpoint,
          deployment: llm.deployment,
          apiVersion: llm.apiVersion,
          ...(llm.apiKey
            ? { apiKey: llm.apiKey }
            : {
                azureADTokenProvider: getBearerTokenProvider(
                  options.credential ?? new DefaultAzureCredential(),
                  AZURE_OPENAI_SCOPE,
                ),
              }),
        })
      : new OpenAI({ ...clientOptions, baseURL: llm.baseUrl, apiKey: llm.apiKey ?? 'no-key' });
  const model = llm.mode === 'azure' ? llm.deployment : llm.model;

  return async (system, user) => {
    const result = await client.chat.completions.create({
      model,
      temperature: 0,
      max_tokens: options.maxTokens ?? 300,
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: user },
      ],
    });
    return result.choices[0]?.message?.content?.trim() ?? '';
  };
}
