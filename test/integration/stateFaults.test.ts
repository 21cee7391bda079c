import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSampleKnowledgeIndexed } from '../../src/knowledge';
import { replies } from '../../src/replies';
import {
  createCosmosStores,
  startEmbeddedCosmos,
  type CosmosStores,
  type EmbeddedCosmos,
} from '../../src/storage';
import { message, personalConversation, type ConversationRef } from '../helpers/activities';
import {
  freePort,
  getJson,
  postActivity,
  PROJECT_ROOT,
  startBotProcess,
  tempDataDir,
  type BotProcess,
} from '../helpers/botProcess';
import { LocalConnector } from '../helpers/connector';

/**
 * "Stop the Cosmos server mid-conversation, send messages, start it again, continue."
 *
 * The bot is its own process (so "it stays up" means something) against a Cosmos-protocol
 * server this test owns on a fixed port. While that server is down every message gets the short
 * storage apology (HTTP 200, within Teams' 15 s), and /readyz says Cosmos is not ok. A NEW server
 * on the same port starts empty (the embedded server keeps data in memory only): the bot
 * re-creates the database and containers lazily and answers normally again.
 */
let cosmos: EmbeddedCosmos | undefined;
let cosmosPort: number;
let bot: BotProcess;
let connector: LocalConnector;
let data: ReturnType<typeof tempDataDir>;
const stores: CosmosStores[] = [];

beforeAll(async () => {
  cosmosPort = await freePort();
  cosmos = await startEmbeddedCosmos(cosmosPort);
  data = tempDataDir('state-faults-');
  const indexPath = `${data.dir}/knowledge-index.json`;
  await ensureSampleKnowledgeIndexed(indexPath, `${PROJECT_ROOT}/data/knowledge`);
  connector = await new LocalConnector().start();
  bot = await startBotProcess({
    env: {
      COSMOS_ENDPOINT: cosmos.endpoint,
      COSMOS_KEY: 'dummy',
      COSMOS_ALLOW_SELF_SIGNED: 'true',
      KNOWLEDGE_INDEX_PATH: indexPath,
    },
  });
}, 120_000);

afterAll(async () => {
  await bot?.stop();
  await Promise.all(stores.map((s) => s.close()));
  await connector?.stop();
  await cosmos?.close();
  data?.remove();
});

/** Sends one message and returns the HTTP status and the texts the bot sent in reply to it. */
async function say(conv: ConversationRef, text: string) {
  const activity = message(connector.url, conv, text);
  const res = await postActivity(bot.url, activity);
  const texts = connector
    .messages(conv.id)
    .filter((c) => c.activityId === activity.id)
    .map((c) => String(c.activity.text ?? ''));
  return { status: res.status, texts, id: activity.id };
}

async function readStores(): Promise<CosmosStores> {
  const s = await createCosmosStores({ endpoint: cosmos!.endpoint, key: 'dummy', allowSelfSignedCert: true });
  stores.push(s);
  return s;
}

describe('Cosmos stops mid-conversation and comes back', () => {
  it('apologises while Cosmos is down, reports not ready, stays up, and recovers on a new server', async () => {
    const conv = personalConversation();

    // 1. Normal turn.
    const first = await say(conv, 'How do I reset my password?');
    expect(first.status).toBe(200);
    expect(first.texts.join('\n')).toMatch(/self-service password reset/);
    expect((await getJson(`${bot.url}/readyz`)).status).toBe(200);

    // 2. Cosmos goes away.
    await cosmos!.close();
    cosmos = undefined;
    const down = [];
    for (const text of ['Are you still there?', 'How do I reset my password?', 'where is my order ORD-10421?']) {
      down.push(await say(conv, text));
    }
    // Two at once as well: each gets its own apology.
    down.push(...(await Promise.all([say(conv, 'help me please'), say(conv, 'What is the warranty?')])));
    for (const turn of down) {
      expect(turn.status).toBe(200);
      expect(turn.texts).toEqual([replies.storageUnavailable]);
    }
    const notReady = await getJson(`${bot.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(notReady.body.ready).toBe(false);
    expect(notReady.body.dependencies.cosmos.ok).toBe(false);
    expect(bot.exitCode()).toBeUndefined();
    expect((await getJson(`${bot.url}/healthz`)).status).toBe(200);

    // 3. A new, empty Cosmos server on the same port.
    cosmos = await startEmbeddedCosmos(cosmosPort);
    const back = await say(conv, 'How do I reset my password?');
    expect(back.status).toBe(200);
    expect(back.texts.join('\n')).toMatch(/self-service password reset/);
    expect(back.texts).not.toContain(replies.storageUnavailable);
    const ready = await getJson(`${bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body.dependencies.cosmos.ok).toBe(true);

    // 4. The conversation continues with state and transcript on the new server.
    const next = await say(conv, 'How long do card refunds take to appear on my statement?');
    expect(next.texts.join('\n')).toContain('5 to 10 business days');
    const transcript = await (await readStores()).transcripts.list(conv.id);
    expect(transcript.filter((e) => e.kind === 'user_message').map((e) => e.activityId)).toEqual([back.id, next.id]);
    expect(transcript.filter((e) => e.kind === 'bot_reply').map((e) => e.activityId)).toEqual([back.id, next.id]);
    expect(bot.exitCode()).toBeUndefined();
  });
});

describe('Cosmos hangs (accepts connections, never answers)', () => {
  it('apologises within the request timeout, reports not ready, and recovers when Cosmos answers again', async () => {
    const conv = personalConversation();
    cosmos ??= await startEmbeddedCosmos(cosmosPort);
    expect((await say(conv, 'How do I reset my password?')).texts.join('\n')).toMatch(/self-service password reset/);

    // Replace the server with a black hole on the same port: TCP connects, TLS never completes.
    await cosmos.close();
    cosmos = undefined;
    const held: net.Socket[] = [];
    const blackHole = net.createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(cosmosPort, '127.0.0.1', resolve));
    try {
      // Each message still gets its apology inside Teams' 15 s (postActivity's timeout).
      for (const text of ['How do I reset my password?', 'where is my order ORD-10421?']) {
        const turn = await say(conv, text);
        expect(turn.status).toBe(200);
        expect(turn.texts).toEqual([replies.storageUnavailable]);
      }
      const notReady = await getJson(`${bot.url}/readyz`);
      expect(notReady.status).toBe(503);
      expect(notReady.body.dependencies.cosmos.ok).toBe(false);
      expect(bot.exitCode()).toBeUndefined();
    } finally {
      held.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => blackHole.close(() => resolve()));
    }

    cosmos = await startEmbeddedCosmos(cosmosPort);
    expect((await say(conv, 'How do I reset my password?')).texts.join('\n')).toMatch(/self-service password reset/);
    expect((await getJson(`${bot.url}/readyz`)).status).toBe(200);
  });
});
