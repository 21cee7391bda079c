import https from 'node:https';
import { CosmosClient } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { startBot, type RunningBot } from '../../src/bot';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/storage';
import { message, personalConversation } from '../helpers/activities';
import { postActivity, startBotProcess, tempDataDir } from '../helpers/botProcess';
import { ensureSampleKnowledgeIndexed } from '../../src/knowledge';
import { confirmDraftAction } from '../helpers/cards';
import { LocalConnector } from '../helpers/connector';
import { WebhookReceiver } from '../fakes/webhookReceiver';

/**
 * Graceful shutdown of one bot (RunningBot.close, what SIGTERM runs): it stops accepting at once,
 * lets the turn in flight finish and deliver its reply, and leaves an undelivered ticket webhook
 * durable in the outbox, where the next instance picks it up and delivers it exactly once.
 * Cosmos is an external (embedded-protocol) server, so its data outlives the bot.
 */
const WEBHOOK_SECRET = 'shutdown-test-webhook-secret-0123';
let cosmos: EmbeddedCosmos;
let connector: LocalConnector;
let receiver: WebhookReceiver;
let data: ReturnType<typeof tempDataDir>;
const bots: RunningBot[] = [];

beforeAll(async () => {
  cosmos = await startEmbeddedCosmos(0, '127.0.0.1');
  connector = await new LocalConnector().start();
  receiver = await new WebhookReceiver().start();
  receiver.up = false;
  data = tempDataDir('shutdown-');
}, 60_000);

afterAll(async () => {
  for (const b of bots) await b.close(1000).catch(() => undefined);
  await connector?.stop();
  await receiver?.stop();
  await cosmos?.close();
  data?.remove();
});

async function start(): Promise<RunningBot> {
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    COSMOS_ENDPOINT: cosmos.endpoint,
    COSMOS_KEY: 'dummy',
    COSMOS_ALLOW_SELF_SIGNED: 'true',
    KNOWLEDGE_INDEX_PATH: `${data.dir}/index.json`,
    TICKETS_WEBHOOK_URL: receiver.url,
    TICKETS_WEBHOOK_SECRET: WEBHOOK_SECRET,
    CARD_SIGNING_SECRET: 'shutdown-test-card-secret-0123456789',
    TICKETS_WEBHOOK_POLL_MS: '200',
  });
  const bot = await startBot(config);
  bots.push(bot);
  return bot;
}

async function outboxEntries(): Promise<Array<{ status: string; idempotencyKey: string; body: string }>> {
  const client = new CosmosClient({
    endpoint: cosmos.endpoint,
    key: 'dummy',
    agent: new https.Agent({ rejectUnauthorized: false }),
  });
  try {
    const { resources } = await client
      .database('teamsbot')
      .container('outbox')
      .items.query('SELECT * FROM c WHERE c.type = "outbox"')
      .fetchAll();
    return resources;
  } finally {
    client.dispose();
  }
}

describe('graceful shutdown', () => {
  it('finishes the turn in flight, refuses new requests, and leaves the outbox durable for the next instance', async () => {
    const bot = await start();
    const conv = personalConversation();

    // A ticket confirmed while the webhook receiver is down: its delivery waits in the outbox.
    const draft = message(
      connector.url,
      conv,
      'please open a ticket: my laptop screen flickers and goes black',
    );
    expect((await postActivity(bot.url, draft)).status).toBe(200);
    const confirmed = await postActivity(bot.url, confirmDraftAction(connector, conv, draft.id));
    expect(confirmed.status).toBe(200);
    const ticketId = /TKT-\d{6}/.exec(confirmed.body)?.[0];
    expect(ticketId).toBeDefined();
    await expect.poll(async () => (await outboxEntries()).length, { timeout: 10_000 }).toBe(1);

    // A turn in flight: the connector holds the bot's replies for 1.5 s.
    connector.replyDelayMs = 1500;
    const question = message(connector.url, conv, 'How do I reset my password?');
    const inFlight = postActivity(bot.url, question);
    await expect.poll(() => connector.heldRequests(), { timeout: 10_000 }).toBeGreaterThan(0);

    const closing = bot.close(10_000);
    // New requests are refused while the old turn is finishing.
    const refused = await postActivity(bot.url, message(connector.url, conv, 'are you there?'), 3000).then(
      (r) => r.status,
      (err: Error) => err.name,
    );
    expect(refused).not.toBe(200);
    expect(connector.heldRequests()).toBeGreaterThan(0); // the first turn is still waiting on its reply

    const answered = await inFlight;
    expect(answered.status).toBe(200);
    await closing;
    connector.replyDelayMs = 0;
    const reply = connector.messages(conv.id).filter((c) => c.activityId === question.id);
    expect(reply.map((c) => String(c.activity.text)).join('\n')).toMatch(/self-service password reset/);

    // The undelivered webhook is still in the outbox after shutdown, pending.
    const left = await outboxEntries();
    expect(left).toHaveLength(1);
    expect(left[0].status).toBe('pending');
    expect(left[0].body).toContain(ticketId!);
    expect(receiver.countsByKey().size).toBe(0);

    // The next instance delivers it once the receiver is back: exactly once.
    receiver.up = true;
    const next = await start();
    await expect
      .poll(() => receiver.countsByKey().get(left[0].idempotencyKey) ?? 0, { timeout: 20_000, interval: 200 })
      .toBe(1);
    await expect.poll(async () => (await outboxEntries())[0]?.status, { timeout: 5000 }).toBe('delivered');
    await next.close(5000);
    expect([...receiver.countsByKey().values()]).toEqual([1]);
    // The in-flight answer is streamed (1:1 chat): four held connector calls and teams-ai's 1.5 s
    // pauses between stream updates make it about 6 s on its own.
  }, 60_000);
});

describe('SIGTERM to the bot process (npx tsx src/index.ts)', () => {
  it('answers the turn in flight, then exits 0', async () => {
    const indexPath = `${data.dir}/process-index.json`;
    await ensureSampleKnowledgeIndexed(indexPath);
    const proc = await startBotProcess({
      env: {
        COSMOS_ENDPOINT: cosmos.endpoint,
        COSMOS_KEY: 'dummy',
        COSMOS_ALLOW_SELF_SIGNED: 'true',
        KNOWLEDGE_INDEX_PATH: indexPath,
      },
    });
    const conv = personalConversation();
    connector.replyDelayMs = 1500;
    try {
      const question = message(connector.url, conv, 'How do I reset my password?');
      const inFlight = postActivity(proc.url, question);
      await expect.poll(() => connector.heldRequests(), { timeout: 15_000 }).toBeGreaterThan(0);
      const exited = proc.stop(15_000);
      const answered = await inFlight;
      expect(answered.status).toBe(200);
      expect(await exited).toBe(0);
      const reply = connector.messages(conv.id).filter((c) => c.activityId === question.id);
      expect(reply.map((c) => String(c.activity.text)).join('\n')).toMatch(/self-service password reset/);
      expect(proc.tail()).not.toMatch(/unhandled rejection/);
    } finally {
      connector.replyDelayMs = 0;
      await proc.stop(1000);
    }
  }, 300_000); // a process start-up (deadline STARTUP_DEADLINE_MS) and a turn
});
