import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
  startBotProcess,
  indexedDataDir,
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
 * re-creates the database and containers lazily and answers normally again once its Cosmos
 * circuit breaker lets a trial call through.
 */
// The breaker opens after 5 consecutive Cosmos failures and waits CIRCUIT_HALF_OPEN_AFTER_MS
// (default 10 s) before a trial call; 1 s keeps this test short with the same behaviour.
const HALF_OPEN_AFTER_MS = 1000;
const PASSWORD_ANSWER = /self-service password reset/;

let cosmos: EmbeddedCosmos | undefined;
let cosmosPort: number;
let bot: BotProcess;
let connector: LocalConnector;
let data: Awaited<ReturnType<typeof indexedDataDir>>;
const stores: CosmosStores[] = [];

beforeAll(async () => {
  cosmosPort = await freePort();
  cosmos = await startEmbeddedCosmos(cosmosPort);
  data = await indexedDataDir('state-faults-');
  connector = await new LocalConnector().start();
  bot = await startBotProcess({
    env: {
      COSMOS_ENDPOINT: cosmos.endpoint,
      COSMOS_KEY: 'dummy',
      COSMOS_ALLOW_SELF_SIGNED: 'true',
      KNOWLEDGE_INDEX_PATH: data.indexPath,
      CIRCUIT_HALF_OPEN_AFTER_MS: String(HALF_OPEN_AFTER_MS),
    },
  });
}, 400_000);

afterEach(() => {
  // A failed Cosmos write must never surface as an unhandled rejection: without the process
  // entry's handler, Node would exit on it.
  expect(
    bot.output().filter((line) => /unhandled rejection|PromiseRejectionHandledWarning/i.test(line)),
  ).toEqual([]);
});

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

/**
 * After an outage: sends `text` until the answer matches `expected`. Every answer before it must be
 * the storage apology (one reply, HTTP 200); gives up after the breaker's wait plus 15 s.
 */
async function untilAnswered(conv: ConversationRef, text: string, expected: RegExp) {
  const deadline = Date.now() + HALF_OPEN_AFTER_MS + 15_000;
  let apologies = 0;
  for (;;) {
    const turn = await say(conv, text);
    expect(turn.status).toBe(200);
    expect(turn.texts, bot.tail()).toHaveLength(1);
    if (expected.test(turn.texts[0])) return { ...turn, apologies };
    expect(turn.texts[0], bot.tail()).toBe(replies.storageUnavailable);
    apologies++;
    expect(Date.now(), `still apologising after ${apologies} tries:\n${bot.tail()}`).toBeLessThan(deadline);
    await new Promise((r) => setTimeout(r, 200));
  }
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
    expect(first.texts.join('\n')).toMatch(PASSWORD_ANSWER);
    expect((await getJson(`${bot.url}/readyz`)).status).toBe(200);

    // 2. Cosmos goes away. Every message gets exactly the apology (the breaker opens on the way).
    await cosmos!.close();
    cosmos = undefined;
    const down = [];
    for (const text of [
      'Are you still there?',
      'How do I reset my password?',
      'where is my order ORD-10421?',
    ]) {
      down.push(await say(conv, text));
    }
    down.push(...(await Promise.all([say(conv, 'help me please'), say(conv, 'What is the warranty?')])));
    down.push(await say(conv, 'How do I reset my password?'));
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

    // 3. A new, empty Cosmos server on the same port: the conversation continues.
    cosmos = await startEmbeddedCosmos(cosmosPort);
    const back = await untilAnswered(conv, 'How do I reset my password?', PASSWORD_ANSWER);
    const ready = await getJson(`${bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body.dependencies.cosmos.ok).toBe(true);

    // 4. Later turns answer at once, with state and transcript on the new server.
    const next = await say(conv, 'How long do card refunds take to appear on my statement?');
    expect(next.texts.join('\n')).toContain('5 to 10 business days');
    const transcript = await (await readStores()).transcripts.list(conv.id);
    for (const id of [back.id, next.id]) {
      expect(transcript.filter((e) => e.activityId === id && e.kind === 'user_message')).toHaveLength(1);
      expect(transcript.filter((e) => e.activityId === id && e.kind === 'bot_reply')).toHaveLength(1);
    }
    expect(bot.exitCode()).toBeUndefined();
  });
});

describe('Cosmos hangs (accepts connections, never answers)', () => {
  it('apologises within the request timeout, reports not ready, and recovers when Cosmos answers again', async () => {
    const conv = personalConversation();
    cosmos ??= await startEmbeddedCosmos(cosmosPort);
    await untilAnswered(conv, 'How do I reset my password?', PASSWORD_ANSWER);

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
    await untilAnswered(conv, 'How do I reset my password?', PASSWORD_ANSWER);
    expect((await getJson(`${bot.url}/readyz`)).status).toBe(200);
  });
});
