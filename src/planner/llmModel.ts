import type { Agent } from 'node:http';
import { ANSWER_LANGUAGE_KEY, INPUT_KEY } from './memoryKeys';
import { DefaultAzureCredential, getBearerTokenProvider, type TokenCredential } from '@azure/identity';
import {
  OpenAIModel,
  type AzureOpenAIModelOptions,
  type Memory,
  type OpenAIModelOptions,
} from '@microsoft/teams-ai';
// teams-ai 1.7 does not re-export its `types` folder from the package root.
import type { PromptResponse, PromptResponseStatus } from '@microsoft/teams-ai/lib/types';
import type { TurnContext } from 'botbuilder';
import type { ClientOptions } from 'openai';
import type { AppConfig } from '../config';
import { logger } from '../observability/logger';
import { translator } from '../text/i18n';
import { turnLanguage } from '../text/language';
import nodeFetch from 'node-fetch';
import { createModelRequestPolicy, type ModelRetrySettings } from '../resilience/modelRequests';
import { createResilientFetch } from '../resilience/resilientFetch';
import { withStreamIdleTimeout } from './streamIdleTimeout';
import { tellInStream } from './streaming';
import type { CompletePromptArgs } from './modelDecorator';
import { AppError, isBug, type ErrorCode } from '../errors';

/**
 * The Azure OpenAI / OpenAI-compatible model behind the ActionPlanner: a teams-ai `OpenAIModel`
 * whose failures carry a typed `LlmFailureError`, so a throttled or failed model call reaches the
 * Teams layer as a catchable outcome with a friendly sentence, never as a crash.
 */

export interface LlmModelOptions {
  /** Entra ID credential for Azure OpenAI when no API key is configured (default DefaultAzureCredential). */
  credential?: TokenCredential;
  /** Re-sends after the first attempt on 429/408/5xx/connection errors (default 3). */
  maxRetries?: number;
  /** Fine-tuning of the backoff (base/max delay, longest Retry-After honoured). */
  retry?: Omit<ModelRetrySettings, 'maxRetries'>;
  /** Bound on one model call including its retries, in ms (default 30000). */
  requestTimeoutMs?: number;
  /** teams-ai prints prompts and responses to the console; for local debugging only (default false). */
  logRequests?: boolean;
  /** HTTP agent for the model endpoint (custom CA, proxy). */
  httpAgent?: Agent;
  /** Stream the completion (Server-Sent Events); see ConversationStreamingModel for 1:1 chats only. */
  stream?: boolean;
}

/** Token audience of Azure OpenAI (Cognitive Services) for Entra ID auth. */
export const AZURE_OPENAI_SCOPE = 'https://cognitiveservices.azure.com/.default';
const DEFAULT_TIMEOUT_MS = 30_000;

type LlmFailureKind = Exclude<PromptResponseStatus, 'success'>;

/** The catalogue code of each failure kind (src/errors.ts). */
const LLM_FAILURE_CODES: Record<LlmFailureKind, ErrorCode> = {
  rate_limited: 'LLM_RATE_LIMITED',
  too_long: 'LLM_TOO_LONG',
  invalid_response: 'LLM_INVALID_RESPONSE',
  error: 'LLM_ERROR',
};

/** A model call that did not produce a usable answer; `kind` says why. ActionPlanner throws it from `AI.run`. */
export class LlmFailureError extends AppError {
  readonly kind: LlmFailureKind;
  constructor(kind: LlmFailureKind, cause?: unknown) {
    super(
      LLM_FAILURE_CODES[kind],
      `Model call failed (${kind})${cause instanceof Error ? `: ${cause.message}` : ''}`,
      { cause },
    );
    this.kind = kind;
  }
}

/**
 * OpenAIModel whose non-success responses carry an `LlmFailureError`. ActionPlanner throws
 * `response.error` and drops `response.status`, so the kind has to travel inside the error.
 */
class ResilientOpenAIModel extends OpenAIModel {
  override async completePrompt(...args: CompletePromptArgs): Promise<PromptResponse<string>> {
    const [context, memory] = args;
    let response: PromptResponse<string>;
    // A Chinese turn (src/text/language.ts) gets a line in the system prompt: answer in Chinese.
    // English turns get none, so their prompt is as it always was.
    const language = turnLanguage(String(memory.getValue(INPUT_KEY) ?? ''), context.activity.locale);
    memory.setValue(
      ANSWER_LANGUAGE_KEY,
      language === 'en' ? '' : translator(language).t('llm.answerLanguage'),
    );
    try {
      response = await super.completePrompt(...args);
    } catch (err) {
      // A defect (TypeError, …) is not a model failure: it reaches app.error as it is and is
      // logged as `turn failed` with its stack.
      if (isBug(err)) throw err;
      // Prompt rendering (a data source, a template) failed before any model call.
      logger.error({ err }, 'model prompt could not be rendered');
      return failedResponse(context, memory, err);
    }
    if (response.status === 'success') return response;
    logger.warn({ status: response.status, error: response.error?.message }, 'model call failed');
    // Streaming (1:1 chat): teams-ai ends the stream with whatever text had arrived; the reason
    // goes into that final message, so the user sees a clear ending instead of a cut-off answer.
    const error = new LlmFailureError(response.status, response.error);
    tellInStream(context, memory, llmFailureMessage(error));
    return { ...response, error };
  }
}

/**
 * The 'error' response for a model call that threw (`cause`); a streamed answer (1:1 chat) ends
 * with the apology instead of an empty final message.
 */
export function failedResponse(context: TurnContext, memory: Memory, cause: unknown): PromptResponse<string> {
  const error = new LlmFailureError('error', cause);
  tellInStream(context, memory, llmFailureMessage(error));
  return { status: 'error', input: undefined, error };
}

/** Builds the model for `AppConfig['llm']` (azure or openai-compatible). Throws Error on unusable settings. */
export function createLlmModel(llm: AppConfig['llm'], options: LlmModelOptions = {}): ResilientOpenAIModel {
  const timeout = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeout) || timeout < 1)
    throw new RangeError(`requestTimeoutMs must be a positive integer, got ${String(timeout)}`);
  const clientOptions: ClientOptions = {
    ...modelClientOptions(timeout, { ...options.retry, maxRetries: options.maxRetries }),
    ...(options.httpAgent ? { httpAgent: options.httpAgent } : {}),
  };
  const common = {
    useSystemMessages: true,
    logRequests: options.logRequests ?? false,
    stream: options.stream ?? false,
  };

  switch (llm.mode) {
    case 'azure': {
      const endpoint = requireUrl(llm.endpoint, 'azure endpoint', ['https:']);
      const deployment = requireText(llm.deployment, 'azure deployment');
      const apiVersion = requireText(llm.apiVersion, 'azure apiVersion');
      const auth: Pick<AzureOpenAIModelOptions, 'azureApiKey' | 'azureADTokenProvider'> = llm.apiKey
        ? { azureApiKey: llm.apiKey }
        : {
            azureADTokenProvider: getBearerTokenProvider(
              options.credential ?? new DefaultAzureCredential(),
              AZURE_OPENAI_SCOPE,
            ),
          };
      const azureOptions: AzureOpenAIModelOptions = {
        ...common,
        ...auth,
        azureEndpoint: endpoint,
        azureDefaultDeployment: deployment,
        azureApiVersion: apiVersion,
        clientOptions,
      };
      return new ResilientOpenAIModel(azureOptions);
    }
    case 'openai-compatible': {
      const baseUrl = requireUrl(llm.baseUrl, 'openai-compatible baseUrl', ['https:', 'http:']);
      const openAiOptions: OpenAIModelOptions = {
        ...common,
        // Local OpenAI-compatible servers often take no key; the client insists on one, so a
        // placeholder is given and the Authorization header is removed from every request.
        apiKey: llm.apiKey ?? 'no-key',
        defaultModel: requireText(llm.model, 'openai-compatible model'),
        endpoint: baseUrl,
        clientOptions: llm.apiKey
          ? clientOptions
          : { ...clientOptions, defaultHeaders: { Authorization: null } },
      };
      return new ResilientOpenAIModel(openAiOptions);
    }
    default:
      throw new Error(
        `createLlmModel: llm mode '${(llm as { mode: string }).mode}' has no remote model; use the embedded intent model`,
      );
  }
}

/**
 * The openai client settings shared by the planner's model and the side-task completions: its own
 * retries off (they run in the resilient fetch under the model request policy, Retry-After
 * honoured), `timeoutMs` bounding each call including those retries, and a streamed answer cut
 * once `timeoutMs` pass without a byte. node-fetch is the transport the openai client itself uses
 * on Node, so `httpAgent` (custom CA, proxy) keeps working.
 */
export function modelClientOptions(timeoutMs: number, retry: ModelRetrySettings = {}): ClientOptions {
  if (retry.maxRetries !== undefined && (!Number.isInteger(retry.maxRetries) || retry.maxRetries < 0))
    throw new RangeError(`maxRetries must be a non-negative integer, got ${String(retry.maxRetries)}`);
  const fetch = createResilientFetch({ policy: createModelRequestPolicy(retry), fetch: nodeFetch });
  return {
    maxRetries: 0,
    timeout: timeoutMs,
    fetch: withStreamIdleTimeout(fetch, timeoutMs) as unknown as ClientOptions['fetch'],
  };
}

function requireText(value: string | undefined, what: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new Error(`createLlmModel: ${what} is required`);
  return value.trim();
}

function requireUrl(value: string | undefined, what: string, protocols: string[]): string {
  const text = requireText(value, what);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`createLlmModel: ${what} is not a valid URL`);
  }
  if (!protocols.includes(url.protocol))
    throw new Error(`createLlmModel: ${what} must use ${protocols.join(' or ')} (got ${url.protocol})`);
  return text.replace(/\/+$/, '');
}

const FAILURE_MESSAGES: Record<LlmFailureKind, string> = {
  rate_limited: 'The assistant is busy right now, please try again in a minute.',
  too_long:
    'That conversation has grown too long for me to handle. Please shorten your message or start a new conversation.',
  invalid_response: "I couldn't put together a proper answer to that. Please rephrase it and try again.",
  error: 'Something went wrong while I was working on that. Please try again in a moment.',
};

/** The failure kind of a PromptResponse or a thrown error; undefined for a success or an unrelated value. */
export function llmFailureKind(outcome: unknown): LlmFailureKind | undefined {
  if (outcome instanceof LlmFailureError) return outcome.kind;
  // Any other Error is a bug in our code (or a library's), not a model failure: it must be logged
  // as 'turn failed' (error), not 'turn degraded'. Model failures always arrive as LlmFailureError.
  if (outcome instanceof Error) return undefined;
  if (typeof outcome === 'object' && outcome !== null && 'status' in outcome) {
    const status = (outcome as PromptResponse).status;
    if (status === 'success') return undefined;
    if (status in FAILURE_MESSAGES) return status;
    return 'error';
  }
  return undefined;
}

/** One friendly sentence for the user per failure kind (a generic one for any other error). */
export function llmFailureMessage(outcome: unknown): string {
  return FAILURE_MESSAGES[llmFailureKind(outcome) ?? 'error'];
}
