import { OpenAIModel } from '@microsoft/teams-ai';
import { describe, expect, it } from 'vitest';
import {
  createLlmModel,
  llmFailureKind,
  LlmFailureError,
  llmFailureMessage,
} from '../../src/planner/llmModel';

/** The failure kind the bot names when the model stayed throttled past its retries. */
const isThrottled = (outcome: unknown) => llmFailureKind(outcome) === 'rate_limited';

const credential = { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 60_000 }) };

describe('createLlmModel', () => {
  it('builds an OpenAIModel with system messages for both modes', () => {
    const azure = createLlmModel(
      {
        mode: 'azure',
        endpoint: 'https://contoso.openai.azure.com/',
        deployment: 'gpt-4o',
        apiVersion: '2024-10-21',
      },
      { credential },
    );
    expect(azure).toBeInstanceOf(OpenAIModel);
    expect(azure.options).toMatchObject({
      useSystemMessages: true,
      azureEndpoint: 'https://contoso.openai.azure.com',
      azureDefaultDeployment: 'gpt-4o',
      azureApiVersion: '2024-10-21',
    });
    expect('azureADTokenProvider' in azure.options && typeof azure.options.azureADTokenProvider).toBe(
      'function',
    );
    expect('azureApiKey' in azure.options && azure.options.azureApiKey).toBeFalsy();

    const keyed = createLlmModel({
      mode: 'azure',
      endpoint: 'https://x.openai.azure.com',
      deployment: 'd',
      apiVersion: 'v',
      apiKey: 'k',
    });
    expect(keyed.options).toMatchObject({ azureApiKey: 'k' });
    expect('azureADTokenProvider' in keyed.options && keyed.options.azureADTokenProvider).toBeFalsy();

    const compatible = createLlmModel({
      mode: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:11434/v1/',
      model: 'llama3',
    });
    expect(compatible.options).toMatchObject({
      useSystemMessages: true,
      defaultModel: 'llama3',
      endpoint: 'http://127.0.0.1:11434/v1',
    });
    expect(compatible.options.clientOptions).toMatchObject({
      maxRetries: 0,
      timeout: 30_000,
      defaultHeaders: { Authorization: null },
    });
  });

  it('rejects unusable settings with a clear message and never echoes the key', () => {
    const bad =
      (llm: Parameters<typeof createLlmModel>[0], options?: Parameters<typeof createLlmModel>[1]) => () =>
        createLlmModel(llm, options);
    expect(
      bad({
        mode: 'azure',
        endpoint: 'http://x.openai.azure.com',
        deployment: 'd',
        apiVersion: 'v',
        apiKey: 'secret-key',
      }),
    ).toThrow(/azure endpoint must use https:/);
    expect(
      bad({ mode: 'azure', endpoint: 'not a url', deployment: 'd', apiVersion: 'v', apiKey: 'secret-key' }),
    ).toThrow(/not a valid URL/);
    expect(
      bad({ mode: 'azure', endpoint: 'https://x', deployment: ' ', apiVersion: 'v', apiKey: 'secret-key' }),
    ).toThrow(/deployment is required/);
    expect(bad({ mode: 'openai-compatible', baseUrl: 'ftp://x', model: 'm' })).toThrow(/baseUrl must use/);
    expect(bad({ mode: 'openai-compatible', baseUrl: 'http://x/v1', model: '' })).toThrow(
      /model is required/,
    );
    expect(bad({ mode: 'embedded' })).toThrow(/embedded/);
    expect(
      bad({ mode: 'openai-compatible', baseUrl: 'http://x/v1', model: 'm' }, { maxRetries: -1 }),
    ).toThrow(/maxRetries/);
    expect(
      bad({ mode: 'openai-compatible', baseUrl: 'http://x/v1', model: 'm' }, { requestTimeoutMs: 0 }),
    ).toThrow(/requestTimeoutMs/);
    const thrown = (() => {
      try {
        createLlmModel({
          mode: 'azure',
          endpoint: 'http://x',
          deployment: 'd',
          apiVersion: 'v',
          apiKey: 'secret-key',
        });
      } catch (err) {
        return err as Error;
      }
      return undefined;
    })();
    expect(thrown?.message).toMatch(/https/);
    expect(thrown?.message).not.toContain('secret-key');
  });
});

describe('failure outcomes', () => {
  it('classifies PromptResponses and thrown errors', () => {
    expect(llmFailureKind({ status: 'success' })).toBeUndefined();
    expect(llmFailureKind({ status: 'rate_limited' })).toBe('rate_limited');
    expect(llmFailureKind({ status: 'too_long' })).toBe('too_long');
    expect(llmFailureKind({ status: 'something-new' })).toBe('error');
    expect(llmFailureKind(new LlmFailureError('invalid_response'))).toBe('invalid_response');
    // An internal bug is not a model failure (it must be logged as 'turn failed', not 'turn degraded').
    expect(llmFailureKind(new Error('other'))).toBeUndefined();
    expect(
      llmFailureKind(new TypeError("Cannot read properties of undefined (reading 'x')")),
    ).toBeUndefined();
    expect(llmFailureKind(Object.assign(new Error('HTTP 500'), { status: 'rate_limited' }))).toBeUndefined();
    expect(llmFailureKind('nope')).toBeUndefined();
    expect(isThrottled(new LlmFailureError('rate_limited'))).toBe(true);
    expect(isThrottled({ status: 'rate_limited' })).toBe(true);
    expect(isThrottled(new LlmFailureError('error'))).toBe(false);
  });

  it('has one friendly sentence per kind', () => {
    expect(llmFailureMessage({ status: 'rate_limited' })).toBe(
      'The assistant is busy right now, please try again in a minute.',
    );
    const sentences = new Set(
      ['rate_limited', 'too_long', 'invalid_response', 'error'].map((kind) =>
        llmFailureMessage(new LlmFailureError(kind as never)),
      ),
    );
    expect(sentences.size).toBe(4);
    for (const s of sentences) expect(s).toMatch(/^[A-Z].*\.$/);
    expect(llmFailureMessage(new TypeError('bug'))).toBe(llmFailureMessage(new LlmFailureError('error')));
  });

  it('keeps the original error as the cause', () => {
    const cause = new Error('The chat completion API returned a rate limit error.');
    const err = new LlmFailureError('rate_limited', cause);
    expect(err.cause).toBe(cause);
    expect(err.message).toContain('rate_limited');
    expect(err.name).toBe('LlmFailureError');
  });
});
