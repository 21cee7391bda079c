import { Agent as HttpsAgent } from 'node:https';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import {
  ActionPlanner,
  AI,
  PromptManager,
  type Application,
  type TeamsAdapter,
  type DataSource,
  type PredictedSayCommand,
  type PromptCompletionModel,
} from '@microsoft/teams-ai';
import { MemoryStorage, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppConfig } from '../../src/config';
import {
  createKnowledgeSearch,
  ingestFolder,
  NO_SENSITIVITY_LABELS,
  type KnowledgeSearch,
} from '../../src/knowledge';
import { createPlanner, PROMPTS_FOLDER } from '../../src/planner/planner';
import { KNOWLEDGE_HEADER, KnowledgeDataSource } from '../../src/planner/knowledgeDataSource';
import {
  AZURE_OPENAI_SCOPE,
  createLlmModel,
  LlmFailureError,
  llmFailureKind,
  llmFailureMessage,
  type LlmModelOptions,
} from '../../src/planner/llmModel';
import { replies as botReplies } from '../../src/replies';
import { sayWithCitations } from '../../src/teams/aiRoutes';
import { createTeamsApp, type BotTurnState } from '../../src/teams/app';
import { describeTurnError } from '../../src/teams/describeError';
import { logger } from '../../src/observability/logger';
import { apiError, completion, startFakeOpenAi, toolCall, type FakeOpenAi } from '../fakes/fakeOpenAi';
import { SAMPLE_GROUPS } from '../helpers/sampleGroups';

/** The failure kind the bot names when the model stayed throttled past its retries. */
const isThrottled = (outcome: unknown) => llmFailureKind(outcome) === 'rate_limited';

/**
 * The real path of an LLM turn: teams-ai AI → ActionPlanner (tools augmentation, PromptManager on a
 * prompt folder with the project's actions.json) → OpenAIModel → openai client → our retrying fetch
 * → a local chat-completions server that replies from a script.
 */

const ACTIONS_JSON = join(__dirname, '..', '..', 'src', 'prompts', 'chat', 'actions.json');
const SYSTEM_PROMPT = 'You are the Contoso service assistant. Use the tools for orders and tickets.';
const FAST_RETRY: LlmModelOptions = {
  maxRetries: 2,
  retry: { baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 1000 },
};

let promptsDir: string;
let actions: Array<{ name: string; description: string; parameters: unknown }>;

async function writePrompt(name: string, config: object) {
  const folder = join(promptsDir, name);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'config.json'), JSON.stringify(config));
  await writeFile(join(folder, 'skprompt.txt'), SYSTEM_PROMPT);
  await writeFile(join(folder, 'actions.json'), JSON.stringify(actions));
}

beforeAll(async () => {
  actions = JSON.parse(await readFile(ACTIONS_JSON, 'utf8'));
  promptsDir = await mkdtemp(join(tmpdir(), 'llm-prompts-'));
  const completionConfig = {
    model: undefined,
    max_tokens: 300,
    temperature: 0,
    max_input_tokens: 6000,
    include_history: true,
    include_input: true,
  };
  await writePrompt('chat', {
    schema: 1.1,
    description: 'test chat',
    type: 'completion',
    completion: completionConfig,
    augmentation: { augmentation_type: 'tools' },
  });
  await writePrompt('chatKnowledge', {
    schema: 1.1,
    description: 'test chat with knowledge',
    type: 'completion',
    completion: completionConfig,
    augmentation: { augmentation_type: 'tools', data_sources: { knowledge: 800 } },
  });
});

afterAll(async () => {
  await rm(promptsDir, { recursive: true, force: true });
});

function testPlanner(model: PromptCompletionModel, opts: { prompt?: string; dataSource?: DataSource }) {
  const prompts = new PromptManager({ promptsFolder: promptsDir });
  if (opts.dataSource) prompts.addDataSource(opts.dataSource);
  return new ActionPlanner<BotTurnState>({ model, prompts, defaultPrompt: opts.prompt ?? 'chat' });
}

interface Harness {
  actionCalls: Array<{ name: string; params: unknown }>;
  /** What reached the production error route (app.error → describeTurnError). */
  failures: unknown[];
  say(text: string, from?: Partial<Activity['from']>): Promise<Partial<Activity>[]>;
}

/**
 * The production turn around the planner: the teams-ai Application of src/teams/app.ts (its
 * message route, app.error and the failure reply), the production SAY action with citations
 * (src/teams/aiRoutes.ts) and the production error-to-sentence mapping (src/teams/describeError.ts).
 * Only the two tools are test doubles.
 */
function harness(
  model: PromptCompletionModel,
  opts: { prompt?: string; dataSource?: DataSource; projectPrompt?: boolean } = {},
): Harness {
  const planner = opts.projectPrompt
    ? createPlanner<BotTurnState>({ model, dataSources: opts.dataSource ? [opts.dataSource] : [] })
    : testPlanner(model, opts);
  const actionCalls: Harness['actionCalls'] = [];
  const failures: unknown[] = [];
  const storage = new MemoryStorage();
  const adapter: TestAdapter = new TestAdapter(async (context) => {
    await app.run(context);
  });
  const app: Application<BotTurnState> = createTeamsApp({
    adapter: adapter as unknown as TeamsAdapter,
    storage,
    maxMessageChars: 4000,
    planner,
    describeError: (error) => {
      failures.push(error);
      return describeTurnError(error);
    },
  });
  app.ai.action('get_order_status', async (_ctx: TurnContext, _state: BotTurnState, params: unknown) => {
    actionCalls.push({ name: 'get_order_status', params });
    return JSON.stringify({ orderId: 'ORD-10421', status: 'shipped', carrier: 'DHL' });
  });
  app.ai.action('list_my_orders', async (_ctx: TurnContext, _state: BotTurnState, params: unknown) => {
    actionCalls.push({ name: 'list_my_orders', params });
    return JSON.stringify({ orders: [] });
  });
  app.ai.action<PredictedSayCommand>(AI.SayCommandActionName, sayWithCitations(NO_SENSITIVITY_LABELS));
  return {
    actionCalls,
    failures,
    async say(text, from = {}) {
      const before = adapter.activeQueue.length;
      await adapter.processActivity({
        type: 'message',
        text,
        from: { id: 'user-1', name: 'User', ...from },
      } as Partial<Activity>);
      return adapter.activeQueue.slice(before).filter((a) => a.type === 'message');
    },
  };
}

const azure = (url: string, apiKey?: string): AppConfig['llm'] => ({
  mode: 'azure',
  endpoint: url,
  deployment: 'gpt-4o-test',
  apiVersion: '2024-10-21',
  apiKey,
});

let fake: FakeOpenAi;
afterEach(async () => {
  await fake?.close();
});

describe('Azure OpenAI through the ActionPlanner', () => {
  it('sends tools from actions.json, runs the tool call, and sends its result back with the matching id', async () => {
    fake = await startFakeOpenAi({ tls: true });
    fake.script(
      completion({ tool_calls: [toolCall('call_abc', 'get_order_status', { orderId: 'ORD-10421' })] }),
      completion({ content: 'Your order ORD-10421 has shipped with DHL.' }),
    );
    const model = createLlmModel(azure(fake.url, 'test-key'), {
      ...FAST_RETRY,
      httpAgent: new HttpsAgent({ ca: fake.ca }),
    });
    const h = harness(model);

    const replies = await h.say('Where is my order ORD-10421?');

    expect(replies.map((r) => r.text)).toEqual(['Your order ORD-10421 has shipped with DHL.']);
    expect(h.actionCalls).toEqual([{ name: 'get_order_status', params: { orderId: 'ORD-10421' } }]);
    expect(fake.requests).toHaveLength(2);

    const [first, second] = fake.requests;
    expect(first!.path).toBe('/openai/deployments/gpt-4o-test/chat/completions');
    expect(first!.query.get('api-version')).toBe('2024-10-21');
    expect(first!.headers['api-key']).toBe('test-key');
    expect(first!.headers.authorization).toBeUndefined();
    expect(first!.body.tools).toEqual(
      actions.map((a) => ({
        type: 'function',
        function: { name: a.name, description: a.description, parameters: a.parameters },
      })),
    );
    expect(first!.body.tool_choice).toBe('auto');
    expect(first!.body.messages[0]).toEqual({ role: 'system', content: SYSTEM_PROMPT });
    expect(first!.body.messages.at(-1)).toEqual({ role: 'user', content: 'Where is my order ORD-10421?' });

    const assistant = second!.body.messages.find((m) => m.role === 'assistant');
    expect(assistant?.tool_calls).toEqual([
      toolCall('call_abc', 'get_order_status', { orderId: 'ORD-10421' }),
    ]);
    const tool = second!.body.messages.find((m) => m.role === 'tool');
    expect(tool).toEqual({
      role: 'tool',
      tool_call_id: 'call_abc',
      content: JSON.stringify({ orderId: 'ORD-10421', status: 'shipped', carrier: 'DHL' }),
    });
    expect(second!.body.messages.indexOf(assistant!)).toBeLessThan(second!.body.messages.indexOf(tool!));
    expect(fake.pending()).toBe(0);
  });

  it('authenticates with an Entra ID token for the Cognitive Services scope when no key is set', async () => {
    fake = await startFakeOpenAi({ tls: true });
    fake.script(completion({ content: 'Hello!' }));
    const scopes: string[] = [];
    const credential: TokenCredential = {
      async getToken(scope: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
        scopes.push(...[scope].flat());
        return { token: 'entra-token-1', expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    const model = createLlmModel(azure(fake.url), {
      ...FAST_RETRY,
      credential,
      httpAgent: new HttpsAgent({ ca: fake.ca }),
    });

    const replies = await harness(model).say('hi');

    expect(replies.map((r) => r.text)).toEqual(['Hello!']);
    expect(scopes).toEqual([AZURE_OPENAI_SCOPE]);
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer entra-token-1');
    expect(fake.requests[0]!.headers['api-key']).toBeUndefined();
  });
});

describe('OpenAI-compatible endpoint', () => {
  it('posts to {baseUrl}/chat/completions with the model name and a bearer key', async () => {
    fake = await startFakeOpenAi();
    fake.script(
      completion({ tool_calls: [toolCall('t1', 'list_my_orders', {})] }),
      completion({ content: 'You have no orders yet.' }),
    );
    const model = createLlmModel(
      { mode: 'openai-compatible', baseUrl: `${fake.url}/v1`, apiKey: 'sk-test', model: 'llama-test' },
      FAST_RETRY,
    );
    const h = harness(model);

    const replies = await h.say('show my orders');

    expect(replies.map((r) => r.text)).toEqual(['You have no orders yet.']);
    expect(h.actionCalls).toEqual([{ name: 'list_my_orders', params: {} }]);
    expect(fake.requests.map((r) => r.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions']);
    expect(fake.requests[0]!.body.model).toBe('llama-test');
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer sk-test');
    expect(fake.requests[1]!.body.messages.find((m) => m.role === 'tool')).toMatchObject({
      tool_call_id: 't1',
    });
  });

  it('sends no Authorization header when no key is configured', async () => {
    fake = await startFakeOpenAi();
    fake.script(completion({ content: 'ok' }));
    const model = createLlmModel(
      { mode: 'openai-compatible', baseUrl: `${fake.url}/v1`, model: 'local' },
      FAST_RETRY,
    );
    await harness(model).say('hi');
    expect(fake.requests[0]!.headers.authorization).toBeUndefined();
  });
});

describe('throttling and failures', () => {
  const localModel = (options: LlmModelOptions = FAST_RETRY) =>
    createLlmModel(
      { mode: 'openai-compatible', baseUrl: `${fake.url}/v1`, apiKey: 'k', model: 'm' },
      options,
    );

  it('waits out a 429 with Retry-After and then answers', async () => {
    fake = await startFakeOpenAi();
    fake.script(
      apiError(429, '429', 'Rate limit reached', { 'retry-after': '1', 'retry-after-ms': '15' }),
      completion({ content: 'Answered after the throttle.' }),
    );
    const h = harness(localModel());

    const replies = await h.say('hello');

    expect(replies.map((r) => r.text)).toEqual(['Answered after the throttle.']);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.body).toEqual(fake.requests[0]!.body);
    expect(h.failures).toEqual([]);
  });

  it('a 429 that outlasts the retries becomes the friendly busy message, not a crash', async () => {
    fake = await startFakeOpenAi();
    const throttled = apiError(429, '429', 'Rate limit reached', { 'retry-after-ms': '5' });
    fake.script(throttled, throttled, throttled);
    const h = harness(localModel());

    const replies = await h.say('hello');

    expect(fake.requests).toHaveLength(3); // first attempt + maxRetries 2
    expect(replies.map((r) => r.text)).toEqual([
      'The assistant is busy right now, please try again in a minute.',
    ]);
    expect(h.failures).toHaveLength(1);
    expect(h.failures[0]).toBeInstanceOf(LlmFailureError);
    expect(isThrottled(h.failures[0])).toBe(true);
  });

  it('does not sit out a Retry-After longer than a turn allows', async () => {
    fake = await startFakeOpenAi();
    fake.script(apiError(429, '429', 'Rate limit reached', { 'retry-after': '120' }));
    const h = harness(localModel());

    const replies = await h.say('hello');

    expect(fake.requests).toHaveLength(1);
    expect(isThrottled(h.failures[0])).toBe(true);
    expect(replies.map((r) => r.text)).toEqual([llmFailureMessage(h.failures[0])]);
  });

  it('retries a 500 and then answers', async () => {
    fake = await startFakeOpenAi();
    fake.script(apiError(500, 'InternalServerError', 'boom'), completion({ content: 'Recovered.' }));
    const replies = await harness(localModel()).say('hello');
    expect(replies.map((r) => r.text)).toEqual(['Recovered.']);
    expect(fake.requests).toHaveLength(2);
  });

  it('a persistent 5xx or a 400 ends as a generic error outcome', async () => {
    fake = await startFakeOpenAi();
    const down = apiError(503, 'ServiceUnavailable', 'down');
    fake.script(down, down, down, apiError(400, 'BadRequest', 'invalid tools'));
    const h = harness(localModel());

    const first = await h.say('hello');
    const second = await h.say('hello again');

    expect(fake.requests).toHaveLength(4); // 3 attempts, then the 400 is not retried
    expect(h.failures.map((f) => (f as LlmFailureError).kind)).toEqual(['error', 'error']);
    expect([...first, ...second].map((r) => r.text)).toEqual([
      llmFailureMessage(h.failures[0]),
      llmFailureMessage(h.failures[1]),
    ]);
    expect(first[0]!.text).toMatch(/try again/);
  });

  it('a model that does not answer in time ends as an error outcome', async () => {
    fake = await startFakeOpenAi();
    fake.script({ ...completion({ content: 'too late' }), delayMs: 2000 });
    const h = harness(localModel({ maxRetries: 0, requestTimeoutMs: 150 }));

    const replies = await h.say('hello');

    expect((h.failures[0] as LlmFailureError).kind).toBe('error');
    expect(replies.map((r) => r.text)).toEqual([llmFailureMessage(h.failures[0])]);
  });
});

describe('bugs are not model failures', () => {
  it("a TypeError while the prompt renders is logged as 'turn failed' with its stack, not 'turn degraded'", async () => {
    fake = await startFakeOpenAi();
    const model = createLlmModel(
      { mode: 'openai-compatible', baseUrl: `${fake.url}/v1`, apiKey: 'k', model: 'm' },
      FAST_RETRY,
    );
    const broken: DataSource = {
      name: 'knowledge',
      renderData: async () => {
        const hit = undefined as unknown as { text: string };
        return { output: hit.text, length: 0, tooLong: false };
      },
    };
    const errors = vi.spyOn(logger, 'error');
    const warnings = vi.spyOn(logger, 'warn');
    try {
      const replies = await harness(model, { prompt: 'chatKnowledge', dataSource: broken }).say('hello');

      expect(replies.map((r) => r.text)).toEqual([botReplies.turnFailed]);
      expect(fake.requests).toHaveLength(0);
      const failed = errors.mock.calls.find((c) => c[1] === 'turn failed');
      expect(failed, 'turn failed logged').toBeDefined();
      const err = (failed![0] as { err: Error }).err;
      expect(err).toBeInstanceOf(TypeError);
      expect(err.stack).toContain('renderData');
      expect(warnings.mock.calls.some((c) => c[1] === 'turn degraded')).toBe(false);
    } finally {
      errors.mockRestore();
      warnings.mockRestore();
    }
  });

  it("a model failure is 'turn degraded' (a warning), with the failure sentence", async () => {
    fake = await startFakeOpenAi();
    fake.script(apiError(400, 'BadRequest', 'invalid tools'));
    const model = createLlmModel(
      { mode: 'openai-compatible', baseUrl: `${fake.url}/v1`, apiKey: 'k', model: 'm' },
      FAST_RETRY,
    );
    const warnings = vi.spyOn(logger, 'warn');
    try {
      const replies = await harness(model).say('hello');
      expect(replies.map((r) => r.text)).toEqual([llmFailureMessage(new LlmFailureError('error'))]);
      expect(warnings.mock.calls.some((c) => c[1] === 'turn degraded')).toBe(true);
    } finally {
      warnings.mockRestore();
    }
  });
});

describe('knowledge data source in the LLM prompt', () => {
  let kbDir: string;
  let search: KnowledgeSearch;

  beforeAll(async () => {
    kbDir = await mkdtemp(join(tmpdir(), 'llm-kb-'));
    await mkdir(join(kbDir, 'kb', 'hr'), { recursive: true });
    await writeFile(
      join(kbDir, 'kb', 'shipping.md'),
      '---\ntitle: Shipping policy\n---\n# Shipping\n\nStandard orders ship within 2 business days of payment.\n',
    );
    await writeFile(
      join(kbDir, 'kb', 'hr', 'leave.md'),
      `---\ntitle: Leave policy\ngroups: [${SAMPLE_GROUPS.hr}]\n---\n# Annual leave\n\nEmployees receive 25 days of paid annual leave per calendar year.\n`,
    );
    search = createKnowledgeSearch({ indexPath: join(kbDir, 'index.json') });
    const summary = await ingestFolder(join(kbDir, 'kb'), search, { sourceRoot: kbDir });
    expect(summary.failed).toEqual([]);
  });

  afterAll(async () => {
    await search.close();
    await rm(kbDir, { recursive: true, force: true });
  });

  it('puts fenced passages in the system message and the reply cites them as Teams citations', async () => {
    fake = await startFakeOpenAi();
    fake.script(completion({ content: 'Standard orders ship within 2 business days [1].' }));
    const model = createLlmModel(
      { mode: 'openai-compatible', baseUrl: `${fake.url}/v1`, apiKey: 'k', model: 'm' },
      FAST_RETRY,
    );
    const dataSource = new KnowledgeDataSource({ search, groupsOf: async () => [], top: 3 });
    const h = harness(model, { prompt: 'chatKnowledge', dataSource });

    const replies = await h.say('How fast do standard orders ship?', { aadObjectId: 'aad-user-1' });

    const system = fake.requests[0]!.body.messages[0]!;
    expect(system.role).toBe('system');
    expect(system.content).toContain(SYSTEM_PROMPT);
    expect(system.content).toMatch(
      /<source index="1" title="Shipping policy" source="kb\/shipping.md">\n[\s\S]*2 business days[\s\S]*<\/source>/,
    );
    expect(system.content).not.toContain('25 days of paid annual leave');

    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toBe('Standard orders ship within 2 business days [1].');
    const entity = replies[0]!.entities![0] as unknown as {
      citation: Array<{ position: number; appearance: { name: string; abstract: string } }>;
    };
    expect(entity.citation).toHaveLength(1);
    expect(entity.citation[0]).toMatchObject({ position: 1, appearance: { name: 'Shipping policy' } });
    expect(entity.citation[0]!.appearance.abstract).toContain('2 business days');
  });
  it("works with the project prompt folder (src/prompts/chat) and the lead's createPlanner", async () => {
    fake = await startFakeOpenAi();
    fake.script(
      completion({ tool_calls: [toolCall('call_1', 'get_order_status', { orderId: 'ORD-10421' })] }),
      completion({ content: 'It shipped.' }),
    );
    const model = createLlmModel(
      { mode: 'openai-compatible', baseUrl: `${fake.url}/v1`, apiKey: 'k', model: 'm' },
      FAST_RETRY,
    );
    const dataSource = new KnowledgeDataSource({ search, groupsOf: async () => [], top: 3 });
    const h = harness(model, { projectPrompt: true, dataSource });

    const replies = await h.say('Where is ORD-10421? Also how fast do standard orders ship?');

    expect(replies.map((r) => r.text)).toEqual(['It shipped.']);
    const projectActions = JSON.parse(
      await readFile(join(PROMPTS_FOLDER, 'chat', 'actions.json'), 'utf8'),
    ) as typeof actions;
    expect(fake.requests[0]!.body.tools!.map((t) => t.function.name)).toEqual(
      projectActions.map((a) => a.name),
    );
    const [system] = fake.requests[0]!.body.messages;
    expect(system!.role).toBe('system');
    expect(system!.content).toContain(KNOWLEDGE_HEADER);
    expect(system!.content).toContain('2 business days');
    // The second call (after the tool) still carries the passages although AI.run cleared temp.input.
    expect(fake.requests[1]!.body.messages[0]!.content).toContain('2 business days');
    expect(fake.requests[1]!.body.messages.find((m) => m.role === 'tool')).toMatchObject({
      tool_call_id: 'call_1',
    });
  });
});
