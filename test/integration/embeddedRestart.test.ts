import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CosmosClient } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedReplies } from '../../src/planner/embeddedModel';
import { startEmbeddedCosmos } from '../../src/storage';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { message, personalConversation, type ConversationRef } from '../helpers/activities';
import { cardsOf, cardText, confirmDraftAction } from '../helpers/cards';

/**
 * Embedded mode (no COSMOS_ENDPOINT) keeps its data in EMBEDDED_DATA_DIR: a developer who
 * restarts `npm run dev` still has their tickets, transcript and conversation state, and a draft
 * card from before the restart can still be confirmed.
 */
let dataDir: string;
const running = new Set<BotUnderTest>();

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'embedded-restart-'));
});
afterAll(async () => {
  await Promise.all([...running].map((b) => b.stop()));
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<BotUnderTest> {
  const bot = await startBotUnderTest({ EMBEDDED_DATA_DIR: dataDir });
  running.add(bot);
  return bot;
}
async function stop(bot: BotUnderTest): Promise<void> {
  await bot.stop();
  running.delete(bot);
}

async function say(t: BotUnderTest, conv: ConversationRef, text: string) {
  const activity = message(t.connector.url, conv, text);
  const res = await t.post(activity);
  expect(res.status).toBe(200);
  const sent = t.connector.messages(conv.id).filter((c) => c.activityId === activity.id);
  return {
    id: activity.id,
    texts: sent.map((c) => String(c.activity.text ?? '')),
    cards: sent.flatMap(cardsOf),
  };
}

async function tickets(t: BotUnderTest) {
  const { resources } = await t.bot.stores.containers.tickets.items
    .query<{ id: string; status: string; ticketId?: string }>(
      "SELECT c.id, c.status, c.ticketId FROM c WHERE c.type = 'ticket'",
    )
    .fetchAll();
  return resources;
}

describe('the embedded Cosmos server on a data directory', () => {
  it('keeps tickets, transcript and state across a restart; an old draft card still confirms', async () => {
    const ticketConv = personalConversation();
    const orderConv = personalConversation();

    const a = await start();
    const confirmedDraft = await say(
      a,
      ticketConv,
      'please open a ticket: my laptop screen flickers, it is urgent',
    );
    const res = await a.post(confirmDraftAction(a.connector, ticketConv, confirmedDraft.id));
    expect(res.status).toBe(200);
    const firstNumber = /TKT-\d{6}/.exec(JSON.stringify(res.body))?.[0];
    expect(firstNumber).toBeDefined();
    // A second draft left unconfirmed, and a pending question.
    const oldDraft = await say(a, ticketConv, 'please open a ticket: the printer on floor 3 jams');
    expect(oldDraft.cards).toHaveLength(1);
    expect((await say(a, orderConv, 'where is my order?')).texts).toEqual([embeddedReplies.askOrderId]);
    const before = await tickets(a);
    expect(before).toHaveLength(2);
    const transcriptBefore = await a.bot.stores.transcripts.list(ticketConv.id);
    expect(transcriptBefore.length).toBeGreaterThan(0);
    await stop(a);

    const b = await start();
    // Same tickets (nothing lost, nothing duplicated by the replay), same transcript.
    expect(await tickets(b)).toEqual(expect.arrayContaining(before));
    expect(await tickets(b)).toHaveLength(2);
    const transcriptAfter = await b.bot.stores.transcripts.list(ticketConv.id);
    expect(transcriptAfter.map((e) => [e.kind, e.activityId])).toEqual(
      transcriptBefore.map((e) => [e.kind, e.activityId]),
    );
    // The pending question survived: the answer to it is the order card.
    const answered = await say(b, orderConv, 'ORD-10421');
    expect(answered.cards).toHaveLength(1);
    expect(cardText(answered.cards[0])).toContain('ORD-10421');

    // The draft card sent before the restart (its signature key is in Cosmos too) confirms now,
    // with the next ticket number, not a reused one.
    const oldConfirm = confirmDraftAction(a.connector, ticketConv, oldDraft.id);
    oldConfirm.serviceUrl = b.connector.url;
    const late = await b.post(oldConfirm);
    expect(late.status).toBe(200);
    const secondNumber = /TKT-\d{6}/.exec(JSON.stringify(late.body))?.[0];
    expect(secondNumber).toBeDefined();
    expect(secondNumber).not.toBe(firstNumber);
    const after = await tickets(b);
    expect(after).toHaveLength(2);
    expect(after.map((t) => t.ticketId).sort()).toEqual([firstNumber, secondNumber].sort());
    await stop(b);
  }, 300_000); // two bot start-ups (intent model training) and six turns: slow on a loaded machine
});

describe('the embedded write log after a crash', () => {
  async function openStores(dir: string) {
    const embedded = await startEmbeddedCosmos(0, '127.0.0.1', { tls: false, dataDir: dir });
    const client = new CosmosClient({
      endpoint: embedded.endpoint,
      key: 'any',
      connectionPolicy: { enableEndpointDiscovery: false },
    });
    const { container } = await client
      .database((await client.databases.createIfNotExists({ id: 'db' })).database.id)
      .containers.createIfNotExists({ id: 'c', partitionKey: { paths: ['/pk'] } });
    const ids = async () =>
      (await container.items.query<{ id: string }>('SELECT c.id FROM c').fetchAll()).resources
        .map((d) => d.id)
        .sort();
    return {
      container,
      ids,
      close: async () => {
        client.dispose();
        await embedded.close();
      },
    };
  }

  it('ignores a torn last line (an unacknowledged write) and keeps appending after it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'embedded-torn-'));
    try {
      const first = await openStores(dir);
      await first.container.items.create({ id: 'a', pk: 'p' });
      await first.container.items.upsert({ id: 'b', pk: 'p', v: 1 });
      await first.container.item('b', 'p').replace({ id: 'b', pk: 'p', v: 2 });
      await first.close();
      // A crash in the middle of an append: half a JSON line at the end of the log.
      const log = join(dir, 'log.jsonl');
      appendFileSync(
        log,
        '{"m":"POST","u":"/dbs/db/colls/c/docs","h":{"x-ms-documentdb-partitionkey":"[\\"p',
      );

      const second = await openStores(dir);
      expect(await second.ids()).toEqual(['a', 'b']);
      expect((await second.container.item('b', 'p').read()).resource).toMatchObject({ v: 2 });
      await second.container.items.create({ id: 'c', pk: 'p' });
      await second.container.item('a', 'p').delete();
      await second.close();
      expect(readFileSync(log, 'utf8')).not.toContain('[\\"p{');

      const third = await openStores(dir);
      expect(await third.ids()).toEqual(['b', 'c']);
      await third.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start on a log corrupted in the middle, naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'embedded-corrupt-'));
    try {
      const stores = await openStores(dir);
      await stores.container.items.create({ id: 'a', pk: 'p' });
      await stores.close();
      const log = join(dir, 'log.jsonl');
      const lines = readFileSync(log, 'utf8').split('\n');
      lines.splice(1, 0, 'not json');
      writeFileSync(log, lines.join('\n'));
      await expect(startEmbeddedCosmos(0, '127.0.0.1', { tls: false, dataDir: dir })).rejects.toThrow(
        /log\.jsonl is corrupt/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
