import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/storage';
import {
  channelThread,
  message,
  personalConversation,
  type ConversationRef,
  type TestUser,
} from '../helpers/activities';
import {
  getJson,
  postActivity,
  startBotProcess,
  indexedDataDir,
  type BotProcess,
} from '../helpers/botProcess';
import { LocalConnector } from '../helpers/connector';

/**
 * Load run on loopback: 2,000 turns from 50 simulated users, each with a 1:1 chat and @mentions
 * in 10 shared channel threads, against the bot as its own process (Cosmos in this process, so
 * stored data does not count as bot memory). Every request answered without a 5xx, every message
 * got a reply, no unhandled rejection, and the bot's resident memory (old space capped at 384 MB)
 * after the run is within 30 % of what it was after a 300-turn warm-up (a leak of ~50 KB per turn
 * or more fails). Throughput is printed,
 * not asserted (timing belongs in benchmarks: `npm run bench:turns`).
 */
const USERS = 50;
const TURNS = 2000;
const WARM_UP_TURNS = 300;
const QUESTIONS = [
  'How do I reset my password?',
  'where is my order ORD-10421?',
  'What is the return policy?',
  'help',
  'hello',
  'How long do card refunds take to appear on my statement?',
  'show me all my orders',
];

let cosmos: EmbeddedCosmos;
let connector: LocalConnector;
let bot: BotProcess;
let data: Awaited<ReturnType<typeof indexedDataDir>>;

beforeAll(async () => {
  cosmos = await startEmbeddedCosmos(0, '127.0.0.1');
  connector = await new LocalConnector().start();
  data = await indexedDataDir('load-');
  bot = await startBotProcess({
    env: {
      COSMOS_ENDPOINT: cosmos.endpoint,
      COSMOS_KEY: 'dummy',
      COSMOS_ALLOW_SELF_SIGNED: 'true',
      KNOWLEDGE_INDEX_PATH: data.indexPath,
      RATE_LIMIT_USER_PER_MIN: '100000',
      RATE_LIMIT_TENANT_PER_MIN: '10000000',
      LOG_LEVEL: 'error',
      // With a cap V8 collects instead of growing the heap lazily (uncapped, RSS climbs to ~600 MB
      // and plateaus there), so RSS tracks live memory; a leak grows it and ends in an OOM exit.
      NODE_OPTIONS: '--max-old-space-size=384',
    },
  });
}, 120_000);

afterAll(async () => {
  await bot?.stop();
  await connector?.stop();
  await cosmos?.close();
  data?.remove();
});

function rssKb(pid: number): number {
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error('no VmRSS');
  return Number(match[1]);
}

describe('load', () => {
  it('2,000 turns from 50 users in 1:1 chats and channels: no 5xx, every message answered, memory flat', async () => {
    const users: TestUser[] = Array.from({ length: USERS }, (_, i) => ({
      id: `29:load-${i}`,
      aadObjectId: randomUUID(),
      name: `Load User ${i}`,
    }));
    const personal = users.map((u) => personalConversation(u));
    const channels = Array.from({ length: 10 }, () => channelThread());
    const statuses = new Map<number, number>();
    const sent: Array<{ id: string; conv: string }> = [];
    let next = 0;
    let rssAfterWarmUp = 0;
    const samples: number[] = [];

    const worker = async (u: number) => {
      for (let n = 0; ; n++) {
        const turn = next++;
        if (turn >= TURNS) return;
        if (turn === WARM_UP_TURNS) rssAfterWarmUp = rssKb(bot.pid);
        if (turn > WARM_UP_TURNS && turn % 250 === 0) samples.push(rssKb(bot.pid));
        const inChannel = n % 3 === 2;
        const conv: ConversationRef = inChannel ? channels[(u + n) % channels.length] : personal[u];
        const activity = message(connector.url, conv, QUESTIONS[(u + n) % QUESTIONS.length], {
          user: users[u],
          mention: inChannel,
        });
        const res = await postActivity(bot.url, activity, 30_000);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        sent.push({ id: activity.id, conv: conv.id });
      }
    };
    const started = Date.now();
    await Promise.all(users.map((_, u) => worker(u)));
    const seconds = (Date.now() - started) / 1000;
    const rssAfter = rssKb(bot.pid);

    console.log(
      `load: ${TURNS} turns in ${seconds.toFixed(1)} s (${(TURNS / seconds).toFixed(0)} turns/s), RSS after warm-up ${Math.round(rssAfterWarmUp / 1024)} MB, samples ${samples.map((s) => Math.round(s / 1024)).join('/')} MB, after ${Math.round(rssAfter / 1024)} MB`,
    );
    expect(Object.fromEntries(statuses)).toEqual({ 200: TURNS });
    const answered = new Set(
      connector
        .messages()
        .filter((c) => c.activity.type === 'message')
        .map((c) => c.activityId),
    );
    const unanswered = sent.filter((s) => !answered.has(s.id));
    expect(unanswered).toHaveLength(0);
    expect(bot.exitCode()).toBeUndefined();
    expect(bot.tail()).not.toMatch(/unhandled rejection|uncaught/i);
    expect((await getJson(`${bot.url}/readyz`)).status).toBe(200);
    expect(rssAfterWarmUp).toBeGreaterThan(0);
    expect(rssAfter).toBeLessThan(rssAfterWarmUp * 1.3);
  }, 600_000); // a deadline: 2,000 turns take minutes when the 2-core machine is shared
});
