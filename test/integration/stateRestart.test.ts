import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrders } from '../../src/orders';
import { embeddedReplies } from '../../src/planner/embeddedModel';
import { replies } from '../../src/replies';
import {
  createCosmosStores,
  startEmbeddedCosmos,
  turnStateConversationKey,
  type CosmosStores,
  type EmbeddedCosmos,
} from '../../src/storage';
import {
  BOT_ID,
  cardAction,
  message,
  personalConversation,
  type ConversationRef,
} from '../helpers/activities';
import { postActivity, startBotProcess, indexedDataDir, type BotProcess } from '../helpers/botProcess';
import { cardsOf, cardText, findExecuteAction } from '../helpers/cards';
import { LocalConnector } from '../helpers/connector';

/**
 * A restart (deploy, crash, scale-in): process A holds a conversation, stops, and process B on
 * the same port and the same Cosmos continues it. Everything a conversation needs between turns
 * (pending questions, ticket drafts, transcript) must live in Cosmos, not in A's memory.
 */
let cosmos: EmbeddedCosmos;
let reader: CosmosStores;
let connector: LocalConnector;
let data: Awaited<ReturnType<typeof indexedDataDir>>;
let env: Record<string, string>;
const running = new Set<BotProcess>();

beforeAll(async () => {
  cosmos = await startEmbeddedCosmos();
  data = await indexedDataDir('state-restart-');
  connector = await new LocalConnector().start();
  reader = await createCosmosStores({ endpoint: cosmos.endpoint, key: 'dummy', allowSelfSignedCert: true });
  // With COSMOS_ENDPOINT set the bot does not seed sample orders (that is the embedded default):
  // provision them the way a real orders container would already hold them.
  await seedOrders(reader.containers.orders);
  env = {
    COSMOS_ENDPOINT: cosmos.endpoint,
    COSMOS_KEY: 'dummy',
    COSMOS_ALLOW_SELF_SIGNED: 'true',
    KNOWLEDGE_INDEX_PATH: data.indexPath,
    // Draft cards are HMAC-signed; both processes must share the key (README: set it for scale-out).
  };
}, 300_000);

afterAll(async () => {
  await Promise.all([...running].map((b) => b.stop()));
  await reader?.close();
  await connector?.stop();
  await cosmos?.close();
  data?.remove();
});

async function start(port?: number, extraEnv: Record<string, string> = {}): Promise<BotProcess> {
  const bot = await startBotProcess({ env: { ...env, ...extraEnv }, port });
  running.add(bot);
  return bot;
}
async function stop(bot: BotProcess): Promise<number | null> {
  const code = await bot.stop();
  running.delete(bot);
  return code;
}

/** Sends one message to `bot`; returns what the bot sent in reply to it. */
async function say(bot: BotProcess, conv: ConversationRef, text: string) {
  const activity = message(connector.url, conv, text);
  const res = await postActivity(bot.url, activity);
  expect(res.status).toBe(200);
  const sent = connector.messages(conv.id).filter((c) => c.activityId === activity.id);
  return {
    id: activity.id,
    texts: sent.map((c) => String(c.activity.text ?? '')),
    cards: sent.flatMap(cardsOf),
  };
}

function conversationState(conv: ConversationRef): Promise<Record<string, any> | undefined> {
  const key = turnStateConversationKey('msteams', BOT_ID, conv.id);
  return reader.storage.read([key]).then((items) => items[key]);
}

describe('a conversation continues on a new bot process after a restart', () => {
  it('keeps the pending question, ticket drafts and the transcript', async () => {
    const orderConv = personalConversation();
    const cancelConv = personalConversation();
    const ticketConv = personalConversation();

    // Process A: three conversations, each left waiting for the user.
    const a = await start();
    const asked = await say(a, orderConv, 'where is my order?');
    expect(asked.texts).toEqual([embeddedReplies.askOrderId]);
    expect((await say(a, cancelConv, 'where is my order?')).texts).toEqual([embeddedReplies.askOrderId]);
    const drafted = await say(
      a,
      ticketConv,
      'please open a ticket: my laptop screen flickers and goes black, it is urgent',
    );
    const confirm = findExecuteAction(drafted.cards[0], 'ticket.confirm');
    expect(confirm, 'draft card with a Confirm button').toBeDefined();

    // Graceful stop (SIGTERM): exit code 0, and the pending question is in Cosmos, not in A.
    expect(await stop(a)).toBe(0);
    expect((await conversationState(orderConv))?.pendingSlot).toMatchObject({ slot: 'orderId' });

    // Process B on the same port and the same Cosmos.
    const b = await start(a.port);

    // The answer to A's question: the order card for alex's own order.
    const answered = await say(b, orderConv, 'ORD-10421');
    expect(answered.texts).not.toContain(replies.storageUnavailable);
    expect(answered.cards).toHaveLength(1);
    expect(cardText(answered.cards[0])).toContain('ORD-10421');
    expect((await conversationState(orderConv))?.pendingSlot).toBeUndefined();

    // "cancel" only has something to cancel if B read A's pending question from Cosmos.
    expect((await say(b, cancelConv, 'cancel')).texts).toEqual([embeddedReplies.cancelled]);
    // A conversation that never had a question says so (the control for the line above).
    expect((await say(b, personalConversation(), 'cancel')).texts).toEqual([embeddedReplies.nothingToCancel]);

    // A draft made on A is confirmed on B: one ticket, the card refreshed with its number.
    const res = await postActivity(
      b.url,
      cardAction(connector.url, ticketConv, 'ticket.confirm', confirm!.data),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/TKT-\d{6}/);

    // The transcript holds the turns of both processes, each once.
    const transcript = await reader.transcripts.list(orderConv.id);
    expect(transcript.filter((e) => e.kind === 'user_message').map((e) => [e.activityId, e.text])).toEqual([
      [asked.id, 'where is my order?'],
      [answered.id, 'ORD-10421'],
    ]);
    const replyIds = transcript.filter((e) => e.kind === 'bot_reply').map((e) => e.activityId);
    expect(replyIds).toEqual([asked.id, answered.id]);
    expect(transcript.some((e) => e.kind === 'tool_call' && e.toolCall?.name === 'get_order_status')).toBe(
      true,
    );
  }, 420_000); // two process start-ups (each up to STARTUP_DEADLINE_MS) and seven turns
});

describe('a bot process killed in the middle of a turn', () => {
  // The dead process's conversation lease (default TTL 30 s) blocks the conversation until it
  // expires; then another process takes it over. Meanwhile every message still gets an answer.
  const LEASE_TTL_MS = 30_000;

  it('another process apologises while the dead turn holds the lease, then takes it over and answers', async () => {
    // An orders API that receives the request and never answers: the turn waits inside the lease.
    let orderRequested!: () => void;
    const requested = new Promise<void>((resolve) => (orderRequested = resolve));
    const hangingOrders = http.createServer((req) => {
      if (req.url?.startsWith('/orders/')) orderRequested();
    });
    await new Promise<void>((resolve) => hangingOrders.listen(0, '127.0.0.1', resolve));
    try {
      const ordersUrl = `http://127.0.0.1:${(hangingOrders.address() as AddressInfo).port}`;
      const [doomed, survivor] = await Promise.all([
        start(undefined, { ORDERS_API_URL: ordersUrl }),
        start(),
      ]);
      const conv = personalConversation();

      const inFlight = postActivity(
        doomed.url,
        message(connector.url, conv, 'where is my order ORD-10421?'),
      ).catch((err: Error) => err);
      await requested; // the turn holds the lease and waits for the orders API
      process.kill(doomed.pid, 'SIGKILL');
      expect(await inFlight).toBeInstanceOf(Error); // the connection died with the process
      running.delete(doomed);
      const killedAt = Date.now();

      // The survivor answers every message (HTTP 200, one reply each, within Teams' 15 s): the
      // apology while the lease is held, then a normal answer once it has expired.
      const answers: string[] = [];
      for (;;) {
        const { texts } = await say(survivor, conv, 'How do I reset my password?');
        expect(texts).toHaveLength(1);
        answers.push(texts[0]);
        if (texts[0] !== replies.storageUnavailable) break;
        expect(Date.now() - killedAt, `still locked: ${answers.length} apologies`).toBeLessThan(
          LEASE_TTL_MS + 20_000,
        );
      }
      expect(answers[0]).toBe(replies.storageUnavailable); // the dead turn's lease was respected
      expect(answers.at(-1)).toMatch(/self-service password reset/);

      // The conversation is usable again: the answered turn saved its state (the killed turn and
      // the apologies never held the lease, so they wrote none).
      const state = await conversationState(conv);
      expect(state?.firstMessageAt).toEqual(expect.any(String));
    } finally {
      hangingOrders.closeAllConnections();
      await new Promise<void>((resolve) => hangingOrders.close(() => resolve()));
    }
  }, 420_000); // two start-ups, then polling until the dead lease expires
});
