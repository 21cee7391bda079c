import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replies } from '../../src/replies';
import {
  createCosmosStores,
  startEmbeddedCosmos,
  type CosmosStores,
  type EmbeddedCosmos,
  type TranscriptEntry,
} from '../../src/storage';
import { message, personalConversation, type ConversationRef } from '../helpers/activities';
import {
  indexedDataDir,
  postActivity,
  startBotProcess,
  tempDataDir,
  type BotProcess,
} from '../helpers/botProcess';
import { LocalConnector } from '../helpers/connector';
import { startThrottlingProxy } from '../storage/throttlingProxy';

/**
 * Issue #14 item 8: after a Cosmos outage, turns that were answered were missing from the audit
 * transcript. The bot (its own process) talks to a Cosmos-protocol server through a fault proxy
 * that fails either only the transcript writes (state still works: the user gets a normal answer)
 * or every request (the user gets the storage apology). After recovery every turn is in the stored
 * transcript exactly once — also when the process restarted while Cosmos was still failing.
 */
type Faults = 'none' | 'transcripts' | 'all';
let faults: Faults = 'none';

let cosmos: EmbeddedCosmos;
let proxy: Awaited<ReturnType<typeof startThrottlingProxy>>;
let reader: CosmosStores;
let connector: LocalConnector;
let data: Awaited<ReturnType<typeof indexedDataDir>>;
const spool = tempDataDir('transcript-spool-');
const bots: BotProcess[] = [];

async function startBot(): Promise<BotProcess> {
  const bot = await startBotProcess({
    env: {
      COSMOS_ENDPOINT: proxy.endpoint,
      COSMOS_KEY: 'dummy',
      COSMOS_ALLOW_SELF_SIGNED: 'true',
      COSMOS_ENDPOINT_DISCOVERY: 'false',
      KNOWLEDGE_INDEX_PATH: data.indexPath,
      TRANSCRIPT_SPOOL_DIR: spool.dir,
      TRANSCRIPT_SPOOL_DRAIN_MS: '200',
      CIRCUIT_HALF_OPEN_AFTER_MS: '300',
      RATE_LIMIT_USER_PER_MIN: '10000',
    },
  });
  bots.push(bot);
  return bot;
}

beforeAll(async () => {
  cosmos = await startEmbeddedCosmos();
  proxy = await startThrottlingProxy(
    cosmos.endpoint,
    (method, url) =>
      faults === 'all' ||
      (faults === 'transcripts' && method === 'POST' && url.includes('/colls/transcripts/')),
    Number.POSITIVE_INFINITY,
    503,
  );
  data = await indexedDataDir('transcript-spool-kb-');
  connector = await new LocalConnector().start();
  reader = await createCosmosStores({ endpoint: cosmos.endpoint, key: 'dummy', allowSelfSignedCert: true });
}, 120_000);

afterAll(async () => {
  faults = 'none';
  await Promise.all(bots.map((b) => b.stop()));
  await reader?.close();
  await proxy?.close();
  await connector?.stop();
  await cosmos?.close();
  data?.remove();
  spool.remove();
});

/** Posts one message; returns the activity and the text the bot answered it with. */
async function turn(bot: BotProcess, conv: ConversationRef, text: string) {
  const activity = message(connector.url, conv, text);
  const res = await postActivity(bot.url, activity);
  expect(res.status).toBe(200);
  const answer = connector
    .messages(conv.id)
    .filter((c) => c.activityId === activity.id)
    .map((c) => String(c.activity.text ?? ''))
    .join('\n');
  return { activity, answer };
}

/** Waits (polling the store) until `count` user messages of the conversation are stored. */
async function storedTranscript(conv: ConversationRef, count: number): Promise<TranscriptEntry[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const entries = await reader.transcripts.list(conv.id);
    if (entries.filter((e) => e.kind === 'user_message').length >= count || Date.now() > deadline)
      return entries;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

function expectEachOnce(entries: TranscriptEntry[], activityIds: string[]) {
  for (const kind of ['user_message', 'bot_reply'] as const) {
    const per = countBy(entries.filter((e) => e.kind === kind).map((e) => e.activityId));
    expect(new Set(per.keys()), kind).toEqual(new Set(activityIds));
    for (const [id, n] of per) expect(n, `${kind} of ${id}`).toBe(1);
  }
}

describe('transcript entries survive a Cosmos outage', () => {
  it('N turns while transcript writes fail, then all of Cosmos, then recovery: the store holds each turn exactly once', async () => {
    const bot = await startBot();
    const conv = personalConversation();
    const ids: string[] = [];

    faults = 'transcripts'; // state works, transcript writes fail: the user gets a normal answer
    for (let i = 1; i <= 4; i++) {
      const { activity, answer } = await turn(bot, conv, `How do I reset my password? #${i}`);
      expect(answer).toMatch(/password/i);
      ids.push(activity.id);
    }
    faults = 'all'; // Cosmos down: the storage apology
    for (let i = 5; i <= 7; i++) {
      const { activity, answer } = await turn(bot, conv, `How do I reset my password? #${i}`);
      expect(answer).toBe(replies.storageUnavailable);
      ids.push(activity.id);
    }
    expect(readdirSync(spool.dir).filter((f) => f.endsWith('.json')).length).toBeGreaterThanOrEqual(7);

    faults = 'none'; // recovered: the spool drains by itself, without another turn
    expectEachOnce(await storedTranscript(conv, ids.length), ids);
    // Turns after recovery are answered and stored, and the spool is emptied into the store.
    for (let i = 8; i <= 10; i++) {
      const { activity, answer } = await turn(bot, conv, `How do I reset my password? #${i}`);
      expect(answer).toMatch(/password/i);
      ids.push(activity.id);
    }
    const entries = await storedTranscript(conv, ids.length);
    expectEachOnce(entries, ids);
    const answered = entries.filter((e) => e.kind === 'bot_reply' && ids.slice(0, 4).includes(e.activityId));
    for (const e of answered) expect(e.text).toMatch(/password/i);
    await waitForEmptySpool();
    await bot.stop(); // the restart test below must be drained by its own processes only
  }, 300_000);

  it('spooled entries survive a restart while Cosmos is still failing and reach the store once', async () => {
    const first = await startBot();
    const conv = personalConversation();
    const ids: string[] = [];
    faults = 'transcripts';
    for (let i = 1; i <= 3; i++) {
      const { activity, answer } = await turn(first, conv, `How do I reset my password? #${i}`);
      expect(answer).toMatch(/password/i);
      ids.push(activity.id);
    }
    await first.stop(); // SIGTERM: its last drain fails, the files stay
    expect(readdirSync(spool.dir).filter((f) => f.endsWith('.json')).length).toBeGreaterThanOrEqual(3);
    expect((await reader.transcripts.list(conv.id)).length).toBe(0);

    const second = await startBot();
    expect(second.url).toBeTruthy();
    faults = 'none';
    const entries = await storedTranscript(conv, ids.length);
    expectEachOnce(entries, ids);
    await waitForEmptySpool();
  }, 300_000);
});

async function waitForEmptySpool(): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (readdirSync(spool.dir).some((f) => f.endsWith('.json'))) {
    if (Date.now() > deadline) throw new Error(`spool not drained: ${readdirSync(spool.dir).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
