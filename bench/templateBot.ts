/**
 * The peer a Teams developer would build instead of this bot, for bench:turns: the teams-ai v1
 * `Application` as the Teams Toolkit templates set it up, on the same restify stack and process
 * model as the real server.
 *   TEMPLATE_STORAGE=memory   MemoryStorage (the "basic bot" template)
 *   TEMPLATE_STORAGE=cosmos   botbuilder-azure CosmosDbPartitionedStorage against the embedded
 *                             Cosmos-protocol server on a worker thread, placed as the bot places it
 *   TEMPLATE_COSMOS_DATA_DIR  with cosmos: keep its data there, durable as the bot's embedded store
 *   TEMPLATE_OPENAI_URL=…     plus ActionPlanner + OpenAIModel against that OpenAI-compatible
 *                             endpoint (the "AI chat bot" template); otherwise the echo-with-count
 *                             handler of the basic template
 *
 *   PORT=0 HOST=127.0.0.1 node --import tsx bench/templateBot.ts
 * Prints one JSON line {"url": "..."} on stdout once listening; serves GET /metrics (the embedded
 * Cosmos server's operation counts, as the bot does); exits on SIGTERM.
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ActivityTypes, MemoryStorage, type Storage, type TurnContext } from 'botbuilder';
import { CosmosClient } from '@azure/cosmos';
import { CosmosDbPartitionedStorage } from 'botbuilder-azure';
import {
  ActionPlanner,
  Application,
  OpenAIModel,
  PromptManager,
  TeamsAdapter,
  TurnState,
} from '@microsoft/teams-ai';
import restify from 'restify';
import { createMetrics, observeEmbeddedCosmos } from '../src/observability/metrics';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../src/storage/embeddedCosmos';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 0);
const storageKind = process.env.TEMPLATE_STORAGE ?? 'memory';
const openAiUrl = process.env.TEMPLATE_OPENAI_URL;

async function createStorage(): Promise<{ storage: Storage; cosmos?: EmbeddedCosmos }> {
  if (storageKind === 'memory') return { storage: new MemoryStorage() };
  if (storageKind !== 'cosmos')
    throw new Error(`TEMPLATE_STORAGE must be memory or cosmos, got ${storageKind}`);
  // Durable like the bot's embedded store (TEMPLATE_COSMOS_DATA_DIR: the same write log, fdatasync'd).
  const cosmos = await startEmbeddedCosmos(0, '127.0.0.1', {
    tls: false,
    dataDir: process.env.TEMPLATE_COSMOS_DATA_DIR,
  });
  // Provisioning, as Bicep does for the real thing: the storage creates its container, not the database.
  await new CosmosClient({
    endpoint: cosmos.endpoint,
    key: 'embedded',
    connectionPolicy: { enableEndpointDiscovery: false },
  }).databases.createIfNotExists({ id: 'template' });
  const storage = new CosmosDbPartitionedStorage({
    cosmosDbEndpoint: cosmos.endpoint,
    authKey: 'embedded-cosmos-accepts-any-key',
    databaseId: 'template',
    containerId: 'state',
    compatibilityMode: false,
    cosmosClientOptions: { connectionPolicy: { enableEndpointDiscovery: false } },
  });
  return { storage, cosmos };
}

type TemplateState = TurnState<{ count?: number }>;

function createApplication(storage: Storage, adapter: TeamsAdapter): Application<TemplateState> {
  if (!openAiUrl) {
    const app = new Application<TemplateState>({ storage, adapter });
    app.activity(ActivityTypes.Message, async (context: TurnContext, state: TemplateState) => {
      const count = (Number(state.conversation.count) || 0) + 1;
      state.conversation.count = count;
      await context.sendActivity(`[${count}] you said: ${context.activity.text ?? ''}`);
    });
    return app;
  }
  const model = new OpenAIModel({ apiKey: 'bench', defaultModel: 'gpt-4o-mini', endpoint: openAiUrl });
  const prompts = new PromptManager({ promptsFolder: join(__dirname, 'templatePrompts') });
  const planner = new ActionPlanner({ model, prompts, defaultPrompt: 'chat' });
  return new Application<TemplateState>({ storage, adapter, ai: { planner } });
}

async function main(): Promise<void> {
  const { storage, cosmos } = await createStorage();
  // No app id: channel authentication off, as the bot runs locally (same as the floor bot).
  const adapter = new TeamsAdapter({});
  const app = createApplication(storage, adapter);
  const metrics = createMetrics({ defaultMetrics: false });
  if (cosmos) observeEmbeddedCosmos(metrics, cosmos);

  const server = restify.createServer({ name: 'template-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false, rejectUnknown: true }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, async (context) => {
      await app.run(context);
    });
  });
  server.get('/healthz', async (_req, res) => {
    res.json(200, { status: 'ok' });
  });
  server.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', metrics.contentType);
    res.end(await metrics.render());
  });
  server.listen(port, host, () => {
    const address = server.address() as AddressInfo;
    process.stdout.write(`${JSON.stringify({ url: `http://${address.address}:${address.port}` })}\n`);
  });
  const stop = () =>
    server.close(() => {
      void (cosmos?.close() ?? Promise.resolve()).finally(() => process.exit(0));
    });
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`template bot failed: ${(err as Error).message}\n`);
  process.exit(1);
});
