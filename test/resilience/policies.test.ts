import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Storage, StoreItems } from 'botbuilder';
import type { PromptCompletionModel } from '@microsoft/teams-ai';
import type { PromptResponse } from '@microsoft/teams-ai/lib/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AzureKnowledgeSearch,
  KnowledgeInputError,
  KnowledgeUnavailableError,
  type KnowledgeChunk,
} from '../../src/knowledge';
import { LlmFailureError } from '../../src/planner/llmModel';
import { appendTurn, createLlmSummarizer, type ConversationMemory } from '../../src/memory';
import {
  ETagConflictError,
  StorageUnavailableError,
  type TranscriptEntry,
  type TranscriptStore,
} from '../../src/storage';
import { createMetrics } from '../../src/observability/metrics';
import {
  CircuitAwareTranscriptStore,
  CircuitBreakingModel,
  circuitBreakingCompletion,
  CircuitBreakingStorage,
  CircuitOpenError,
  createDependencyPolicies,
  createResilientFetch,
  DependencyPolicy,
  DependencyTimeoutError,
  isFailedModelResponse,
  isHttpFailure,
  isRetryableHttpFailure,
  isSearchFailure,
  ResilientKnowledgeSearch,
} from '../../src/resilience';
import { FakeAzureServices } from '../fakes/fakeAzureServices';
import { loadConfig } from '../../src/config';

const DEFAULT_RESILIENCE = loadConfig({}).resilience;

class Boom extends Error {}
const COOLDOWN_MS = 150;

function policy(overrides: Partial<ConstructorParameters<typeof DependencyPolicy>[0]> = {}) {
  const failures: string[] = [];
  const p = new DependencyPolicy({
    name: 'dep',
    isFailure: (e) => e instanceof Boom,
    breaker: { consecutiveFailures: 3, halfOpenAfterMs: COOLDOWN_MS },
    onFailure: (d) => failures.push(d),
    ...overrides,
  });
  return { p, failures };
}

describe('DependencyPolicy', () => {
  it('retries failures with backoff and returns the first success', async () => {
    const { p, failures } = policy({ retries: 2, retryBaseDelayMs: 1, retryMaxDelayMs: 5 });
    let calls = 0;
    const result = await p.execute(async () => {
      calls++;
      if (calls < 3) throw new Boom('transient');
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(failures).toEqual(['dep', 'dep']);
    expect(p.state()).toBe('closed');
  });

  it('does not retry or count errors that are not dependency failures', async () => {
    const { p, failures } = policy({ retries: 2, retryBaseDelayMs: 1 });
    let calls = 0;
    for (let i = 0; i < 5; i++) {
      await expect(
        p.execute(async () => {
          calls++;
          throw new TypeError('caller bug');
        }),
      ).rejects.toBeInstanceOf(TypeError);
    }
    expect(calls).toBe(5);
    expect(failures).toEqual([]);
    expect(p.state()).toBe('closed');
  });

  it('opens after consecutive failures, fails fast without calling, and closes by itself after the cooldown', async () => {
    const { p } = policy();
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Boom('down');
    };
    for (let i = 0; i < 3; i++) await expect(p.execute(failing)).rejects.toBeInstanceOf(Boom);
    expect(p.state()).toBe('open');
    expect(p.isOpen()).toBe(true);
    await expect(p.execute(failing)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(calls).toBe(3);

    await sleep(COOLDOWN_MS + 50);
    expect(p.isOpen()).toBe(false); // peekers may try again once the cooldown is over
    expect(await p.execute(async () => 'back')).toBe('back');
    expect(p.state()).toBe('closed');
  });

  it('re-opens when the half-open trial fails', async () => {
    const { p } = policy({ breaker: { consecutiveFailures: 1, halfOpenAfterMs: COOLDOWN_MS } });
    await expect(p.execute(async () => Promise.reject(new Boom('x')))).rejects.toBeInstanceOf(Boom);
    await sleep(COOLDOWN_MS + 50);
    await expect(p.execute(async () => Promise.reject(new Boom('still down')))).rejects.toBeInstanceOf(Boom);
    expect(p.state()).toBe('open');
    await expect(p.execute(async () => 'never called')).rejects.toBeInstanceOf(CircuitOpenError);
  });

  it('times an attempt out, aborts its signal and counts it', async () => {
    const { p, failures } = policy({ timeoutMs: 30 });
    let aborted = false;
    await expect(
      p.execute(
        (signal) =>
          new Promise((_resolve, reject) => {
            signal.addEventListener('abort', () => {
              aborted = true;
              reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
            });
          }),
      ),
    ).rejects.toBeInstanceOf(DependencyTimeoutError);
    expect(aborted).toBe(true);
    expect(failures).toEqual(['dep']);
  });

  it('treats failed results as failures without throwing them', async () => {
    const { p, failures } = policy({ isFailedResult: (r) => r === 'bad' });
    for (let i = 0; i < 3; i++) expect(await p.execute(async () => 'bad')).toBe('bad');
    expect(failures).toHaveLength(3);
    await expect(p.execute(async () => 'good')).rejects.toBeInstanceOf(CircuitOpenError);
  });

  it('rejects nonsense options', () => {
    expect(() => policy({ breaker: { consecutiveFailures: 0, halfOpenAfterMs: 10 } })).toThrow(
      /consecutiveFailures/,
    );
    expect(() => policy({ timeoutMs: -1 })).toThrow(/timeoutMs/);
    expect(() => policy({ retries: 1.5 })).toThrow(/retries/);
    expect(() => policy({ name: '' })).toThrow(/name/);
  });
});

describe('settings (read once by loadConfig)', () => {
  it('has defaults that fit Teams’ 15 s and reads overrides', () => {
    expect(DEFAULT_RESILIENCE).toEqual({
      llmTimeoutMs: 12_000,
      searchTimeoutMs: 4000,
      searchRetries: 2,
      ordersRetries: 2,
      breaker: { consecutiveFailures: 5, halfOpenAfterMs: 10_000 },
      webhookPollMs: 5000,
      cosmosEndpointDiscovery: true,
    });
    const s = loadConfig({
      LLM_TIMEOUT_MS: '2000',
      CIRCUIT_FAILURE_THRESHOLD: '2',
      CIRCUIT_HALF_OPEN_AFTER_MS: '500',
    }).resilience;
    expect(s.llmTimeoutMs).toBe(2000);
    expect(s.breaker).toEqual({ consecutiveFailures: 2, halfOpenAfterMs: 500 });
  });

  it('names the bad variable', () => {
    const resilience = (env: Record<string, string>) => loadConfig(env).resilience;
    expect(() => resilience({ LLM_TIMEOUT_MS: 'soon' })).toThrow(/LLM_TIMEOUT_MS/);
    expect(() => resilience({ CIRCUIT_FAILURE_THRESHOLD: '0' })).toThrow(/CIRCUIT_FAILURE_THRESHOLD/);
    expect(() => resilience({ COSMOS_ENDPOINT_DISCOVERY: 'maybe' })).toThrow(/COSMOS_ENDPOINT_DISCOVERY/);
    expect(resilience({ COSMOS_ENDPOINT_DISCOVERY: 'false' }).cosmosEndpointDiscovery).toBe(false);
  });
});

describe('metrics', () => {
  it('counts failed attempts per dependency and exports breaker states', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const policies = createDependencyPolicies(
      { ...DEFAULT_RESILIENCE, breaker: { consecutiveFailures: 1, halfOpenAfterMs: 60_000 } },
      metrics,
    );
    await expect(
      policies.cosmos.execute(() => Promise.reject(new StorageUnavailableError('down', 'op'))),
    ).rejects.toThrow();
    const text = await metrics.render();
    expect(text).toMatch(/bot_dependency_errors_total\{dependency="cosmos"\} 1/);
    expect(text).toMatch(/bot_circuit_state\{dependency="cosmos"\} 1/);
    expect(text).toMatch(/bot_circuit_state\{dependency="search"\} 0/);
    // A second bot on the same registry (tests) reuses the gauge and reports its own breakers.
    createDependencyPolicies(DEFAULT_RESILIENCE, metrics);
    expect(await metrics.render()).toMatch(/bot_circuit_state\{dependency="cosmos"\} 0/);
  });
});

describe('Search behind its policy (real SDK against a local Azure AI Search)', () => {
  const fake = new FakeAzureServices();
  const chunk = (id: string, content: string): KnowledgeChunk => ({
    id,
    content,
    title: 'Doc',
    headingPath: [],
    source: `kb/${id}.md`,
    groups: ['everyone'],
    contentHash: 'h',
    ordinal: 0,
  });
  let inner: AzureKnowledgeSearch;
  beforeAll(async () => {
    await fake.start();
    inner = new AzureKnowledgeSearch({
      endpoint: fake.endpoint,
      indexName: 'kb-resilience',
      apiKey: 'test-search-key',
      maxRetries: 0,
    });
    await inner.upsert([chunk('refunds', 'card refunds take 5 to 10 business days')]);
  });
  afterAll(async () => {
    await inner.close();
    await fake.stop();
  });
  const searches = () => fake.requestsTo('search.post.search').length;

  it('retries a 503 with jitter, opens after repeated failures, refuses without a request, recovers', async () => {
    const p = new DependencyPolicy({
      name: 'search',
      isFailure: isSearchFailure,
      timeoutMs: 2000,
      retries: 2,
      retryBaseDelayMs: 1,
      retryMaxDelayMs: 5,
      breaker: { consecutiveFailures: 2, halfOpenAfterMs: COOLDOWN_MS },
    });
    const search = new ResilientKnowledgeSearch(inner, p, 'azure-ai-search');

    fake.failNext = 1;
    let before = searches();
    const hits = await search.search('card refunds', { groups: ['everyone'] });
    expect(hits.map((h) => h.id)).toEqual(['refunds']);
    expect(searches() - before).toBe(2); // one 503, one retry

    fake.failNext = 100;
    before = searches();
    for (let i = 0; i < 2; i++) {
      await expect(search.search('card refunds', { groups: ['everyone'] })).rejects.toBeInstanceOf(
        KnowledgeUnavailableError,
      );
    }
    expect(searches() - before).toBe(6); // 2 calls x (1 + 2 retries)
    expect(p.state()).toBe('open');
    const open = await search.search('card refunds', { groups: ['everyone'] }).catch((e: unknown) => e);
    expect(open).toBeInstanceOf(KnowledgeUnavailableError);
    expect(String((open as Error).message)).toMatch(/circuit open/);
    expect(searches() - before).toBe(6); // nothing sent while open

    fake.failNext = 0;
    await sleep(COOLDOWN_MS + 50);
    expect((await search.search('card refunds', { groups: ['everyone'] })).length).toBe(1);
    expect(p.state()).toBe('closed');

    // Bad input is the caller's problem: not retried, never opens the circuit.
    before = searches();
    for (let i = 0; i < 3; i++) {
      await expect(search.search('', { groups: ['everyone'] })).rejects.toBeInstanceOf(KnowledgeInputError);
    }
    expect(searches()).toBe(before);
    expect(p.state()).toBe('closed');
  });
});

describe('model behind its breaker', () => {
  function stubModel(responses: Array<PromptResponse<string>>) {
    let calls = 0;
    const model: PromptCompletionModel = {
      completePrompt: async () => responses[Math.min(calls++, responses.length - 1)]!,
    };
    return { model, calls: () => calls };
  }
  // A turn's memory without an open stream (the breaker ends an open one with its apology).
  const memory = { getValue: () => undefined };
  const call = (m: PromptCompletionModel) =>
    m.completePrompt({} as never, memory as never, {} as never, {} as never, {} as never);

  it('counts error and rate_limited responses, then answers an error at once without calling the model', async () => {
    const failed: PromptResponse<string> = {
      status: 'rate_limited',
      input: undefined,
      error: new LlmFailureError('rate_limited'),
    };
    const stub = stubModel([failed]);
    const p = new DependencyPolicy({
      name: 'openai',
      isFailure: () => true,
      isFailedResult: isFailedModelResponse,
      breaker: { consecutiveFailures: 2, halfOpenAfterMs: 60_000 },
    });
    const model = new CircuitBreakingModel(stub.model, p);
    expect((await call(model)).status).toBe('rate_limited');
    expect((await call(model)).status).toBe('rate_limited');
    const refused = await call(model);
    expect(stub.calls()).toBe(2);
    expect(refused.status).toBe('error');
    expect(refused.error).toBeInstanceOf(LlmFailureError);
    expect((refused.error as LlmFailureError).kind).toBe('error');
  });

  it('does not count answers the model gave (too_long, success)', async () => {
    const stub = stubModel([
      { status: 'too_long', input: undefined },
      { status: 'success', input: undefined, message: { role: 'assistant', content: 'hi' } },
    ]);
    const p = new DependencyPolicy({
      name: 'openai',
      isFailure: () => true,
      isFailedResult: isFailedModelResponse,
      breaker: { consecutiveFailures: 1, halfOpenAfterMs: 60_000 },
    });
    const model = new CircuitBreakingModel(stub.model, p);
    expect((await call(model)).status).toBe('too_long');
    expect((await call(model)).status).toBe('success');
    expect(p.state()).toBe('closed');
  });
});

describe('memory summaries behind the model breaker', () => {
  it('counts summary failures, then refuses at once so appendTurn falls back to the extractive summary', async () => {
    const p = new DependencyPolicy({
      name: 'openai',
      isFailure: () => true,
      isFailedResult: isFailedModelResponse,
      breaker: { consecutiveFailures: 2, halfOpenAfterMs: 60_000 },
    });
    let calls = 0;
    const complete = circuitBreakingCompletion(async () => {
      calls++;
      throw new Error('503 from the model');
    }, p);
    const summarize = createLlmSummarizer(complete);
    const at = new Date().toISOString();
    const full: ConversationMemory = {
      turns: [
        { role: 'user', text: 'My order ORD-7781 arrived damaged.', at },
        { role: 'assistant', text: 'Sorry to hear that.', at },
      ],
      summary: '',
      summarizedTurns: 0,
    };
    const options = { windowTurns: 1, summarizeEvery: 1 };
    for (let i = 0; i < 3; i++) {
      const m = await appendTurn(full, { role: 'user', text: 'and now?', at }, options, summarize);
      expect(m.summary).toContain('ORD-7781'); // the extractive fallback kept it
    }
    expect(calls).toBe(2); // the third summary never reached the model
    expect(p.state()).toBe('open');
  });
});

describe('Cosmos stores behind the breaker', () => {
  class FlakyStorage implements Storage {
    calls = 0;
    error: Error | undefined;
    async read(): Promise<StoreItems> {
      this.calls++;
      if (this.error) throw this.error;
      return {};
    }
    async write(): Promise<void> {
      this.calls++;
      if (this.error) throw this.error;
    }
    async delete(): Promise<void> {
      this.calls++;
    }
  }

  it('refuses with StorageUnavailableError while open; ETag conflicts never open it', async () => {
    const p = new DependencyPolicy({
      name: 'cosmos',
      isFailure: (e) => e instanceof StorageUnavailableError,
      breaker: { consecutiveFailures: 2, halfOpenAfterMs: COOLDOWN_MS },
    });
    const inner = new FlakyStorage();
    const storage = new CircuitBreakingStorage(inner, p);
    inner.error = new ETagConflictError('k');
    for (let i = 0; i < 4; i++) await expect(storage.write({})).rejects.toBeInstanceOf(ETagConflictError);
    expect(p.state()).toBe('closed');

    inner.error = new StorageUnavailableError('down', 'state.read');
    for (let i = 0; i < 2; i++)
      await expect(storage.read(['k'])).rejects.toBeInstanceOf(StorageUnavailableError);
    const callsWhenOpened = inner.calls;
    const refused = await storage.read(['k']).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StorageUnavailableError);
    expect((refused as StorageUnavailableError).operation).toBe('state.read');
    expect(inner.calls).toBe(callsWhenOpened);

    // Transcript appends fail fast while open, and go through again after the cooldown.
    const appended: TranscriptEntry[] = [];
    const store: TranscriptStore = {
      append: async (e) => void appended.push(e),
      appendTurn: async (es) => void appended.push(...es),
      list: async () => appended,
    };
    const transcripts = new CircuitAwareTranscriptStore(store, p);
    const entry = {
      conversationId: 'c',
      activityId: 'a',
      kind: 'user_message',
      sequence: 0,
      timestamp: new Date().toISOString(),
    } as TranscriptEntry;
    await expect(transcripts.append(entry)).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(transcripts.appendTurn([entry])).rejects.toBeInstanceOf(StorageUnavailableError);
    await sleep(COOLDOWN_MS + 50);
    await transcripts.append(entry);
    await transcripts.appendTurn([entry, { ...entry, kind: 'bot_reply', sequence: 1 }]);
    expect(appended).toHaveLength(3);

    inner.error = undefined;
    expect(await storage.read(['k'])).toEqual({});
    expect(p.state()).toBe('closed');
  });
});

describe('REST dependencies through the resilient fetch (local HTTP server)', () => {
  let server: http.Server;
  let url = '';
  const statuses: number[] = [];
  let hits = 0;
  let hang = false;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits++;
      if (hang) return; // never answers
      const status = statuses.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/orders/ORD-1`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const ordersPolicy = () =>
    new DependencyPolicy({
      name: 'orders',
      isFailure: isHttpFailure,
      shouldRetry: isRetryableHttpFailure,
      retries: 2,
      retryBaseDelayMs: 1,
      retryMaxDelayMs: 5,
      breaker: { consecutiveFailures: 2, halfOpenAfterMs: 60_000 },
    });

  it('re-sends a 503 and hands the caller the final answer; 404 is an answer, not a failure', async () => {
    const f = createResilientFetch({ policy: ordersPolicy() });
    hits = 0;
    statuses.push(503, 502);
    const ok = await f(url);
    expect(ok.status).toBe(200);
    expect(hits).toBe(3);

    hits = 0;
    statuses.push(404);
    expect((await f(url)).status).toBe(404);
    expect(hits).toBe(1);

    hits = 0;
    statuses.push(503, 503, 503);
    const last = await f(url);
    expect(last.status).toBe(503);
    expect(hits).toBe(3);
  });

  it('opens after repeated failures and refuses without a request', async () => {
    const p = ordersPolicy();
    const f = createResilientFetch({ policy: p });
    statuses.push(...Array(6).fill(500));
    await f(url);
    await f(url);
    expect(p.state()).toBe('open');
    hits = 0;
    await expect(f(url)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(hits).toBe(0);
    statuses.length = 0;
  });

  it('does not re-send once the caller’s own timeout fired, and still counts it', async () => {
    const failures: string[] = [];
    const p = new DependencyPolicy({
      name: 'orders',
      isFailure: isHttpFailure,
      shouldRetry: isRetryableHttpFailure,
      retries: 2,
      retryBaseDelayMs: 1,
      breaker: { consecutiveFailures: 5, halfOpenAfterMs: 60_000 },
      onFailure: (d) => failures.push(d),
    });
    const f = createResilientFetch({ policy: p });
    hang = true;
    hits = 0;
    try {
      const err = await f(url, { signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
      expect((err as Error).name).toBe('TimeoutError');
      expect(hits).toBe(1);
      expect(failures).toEqual(['orders']);
    } finally {
      hang = false;
      server.closeAllConnections();
    }
  });
});
