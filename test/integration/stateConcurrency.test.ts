import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeMemory, MEMORY_STATE_PROPERTY } from '../../src/memory';
import {
  containersFile,
  createCosmosStores,
  startEmbeddedCosmos,
  turnStateConversationKey,
  type CosmosStores,
  type EmbeddedCosmos,
  type TranscriptEntry,
} from '../../src/storage';
import { BOT_ID, message, personalConversation } from '../helpers/activities';
import { postActivity, startBotProcess, indexedDataDir, type BotProcess } from '../helpers/botProcess';
import { LocalConnector } from '../helpers/connector';
import { completion, startFakeOpenAi, type FakeOpenAi } from '../fakes/fakeOpenAi';

/**
 * "Two bot server processes sharing one Cosmos server; 50 messages into one conversation sent
 * concurrently, alternating between the two: afterwards every user message and every reply is in
 * the transcript, none twice, and the conversation state is consistent."
 *
 * The processes are the real entry (src/index.ts) against one Cosmos-protocol server owned by
 * this test; state, leases and transcripts all go through it, so the per-conversation lease is
 * the only thing keeping the two processes' read-modify-write of the conversation state apart.
 * The bots run on their language-model path (a local OpenAI-compatible server): that is where the
 * conversation memory lives, which every turn appends to — the witness of no lost update.
 */
const MESSAGES = 50;
const WINDOW_TURNS = 10; // MEMORY_WINDOW_TURNS default: user and assistant messages each count one

let cosmos: EmbeddedCosmos;
let reader: CosmosStores;
let connector: LocalConnector;
let data: Awaited<ReturnType<typeof indexedDataDir>>;
let bots: BotProcess[] = [];
let llm: FakeOpenAi;

beforeAll(async () => {
  cosmos = await startEmbeddedCosmos();
  data = await indexedDataDir('state-concurrency-');
  connector = await new LocalConnector().start();
  llm = await startFakeOpenAi({ tls: false });
  // Every chat request (answers and memory summaries) gets the same plain answer.
  const answer = completion({ content: 'To reset your password, use the self-service password reset page.' });
  llm.script(...Array.from({ length: 4 * MESSAGES }, () => answer));
  const env = {
    OPENAI_BASE_URL: `${llm.url}/v1`,
    OPENAI_MODEL: 'gpt-test',
    OPENAI_API_KEY: 'test-key',
    COSMOS_ENDPOINT: cosmos.endpoint,
    COSMOS_KEY: 'dummy',
    COSMOS_ALLOW_SELF_SIGNED: 'true',
    KNOWLEDGE_INDEX_PATH: data.indexPath,
    MEMORY_WINDOW_TURNS: String(WINDOW_TURNS),
    // 50 messages from one user within a second is the point of this test, not abuse.
    RATE_LIMIT_USER_PER_MIN: '10000',
    // Whole replies: a streamed answer holds its turn for at least 3 s (teams-ai waits 1.5 s after
    // each stream update), so 50 queued turns of one chat could not all finish within Teams' 15 s.
    STREAMING: 'false',
  };
  bots = await Promise.all([startBotProcess({ env }), startBotProcess({ env })]);
  reader = await createCosmosStores({ endpoint: cosmos.endpoint, key: 'dummy', allowSelfSignedCert: true });
}, 400_000);

afterAll(async () => {
  await Promise.all(bots.map((b) => b.stop()));
  await reader?.close();
  await connector?.stop();
  await cosmos?.close();
  await llm?.close();
  data?.remove();
});

describe('two bot processes, one Cosmos, one conversation', () => {
  it(`${MESSAGES} concurrent messages alternating between the processes: each answered once, all recorded, no lost state update`, async () => {
    const conv = personalConversation();
    const activities = Array.from({ length: MESSAGES }, (_, i) =>
      message(connector.url, conv, `How do I reset my password? #${i + 1}`),
    );
    // Each POST must be answered within Teams' 15 s (postActivity's timeout), queue included.
    const results = await Promise.all(activities.map((a, i) => postActivity(bots[i % 2].url, a)));
    const failures = results.map((r, i) => ({ i, status: r.status })).filter((r) => r.status !== 200);
    expect(failures, bots.map((b) => b.tail()).join('\n')).toEqual([]);

    // At the connector: exactly one message per inbound activity, a reply to it, never the apology.
    const sent = connector.messages(conv.id);
    const repliesPer = countBy(sent.map((c) => String(c.activity.replyToId)));
    for (const a of activities) expect(repliesPer.get(a.id), `replies to ${a.text}`).toBe(1);
    expect(sent).toHaveLength(MESSAGES);
    for (const c of sent) expect(String(c.activity.text)).toMatch(/password/i);

    // In the transcript: every user message and every reply exactly once.
    const transcript = await reader.transcripts.list(conv.id);
    const userEntries = transcript.filter((e) => e.kind === 'user_message');
    const replyEntries = transcript.filter((e) => e.kind === 'bot_reply');
    expect(userEntries).toHaveLength(MESSAGES);
    expect(replyEntries).toHaveLength(MESSAGES);
    expect(new Set(userEntries.map((e) => e.text))).toEqual(new Set(activities.map((a) => a.text)));
    expect(new Set(userEntries.map((e) => e.activityId))).toEqual(new Set(activities.map((a) => a.id)));
    expect(new Set(replyEntries.map((e) => e.activityId))).toEqual(new Set(activities.map((a) => a.id)));
    for (const e of replyEntries) expect(e.text).toMatch(/password/i);

    // Conversation state: every turn appended one user and one assistant message to the memory,
    // so window + summarised count must be exactly 2 x 50 (a lost update would make it smaller).
    const key = turnStateConversationKey('msteams', BOT_ID, conv.id);
    const stored = (await reader.storage.read([key]))[key];
    expect(stored, 'conversation state document').toBeDefined();
    const memory = normalizeMemory(stored[MEMORY_STATE_PROPERTY]);
    expect(memory.summarizedTurns + memory.turns.length).toBe(2 * MESSAGES);
    expect(memory.turns).toHaveLength(WINDOW_TURNS);
    expect(memory.summary.length).toBeGreaterThan(0);
    // The window alternates user / assistant, in the order the turns ran (timestamps never go back).
    memory.turns.forEach((t, i) => expect(t.role).toBe(i % 2 === 0 ? 'user' : 'assistant'));
    const times = memory.turns.map((t) => Date.parse(t.at));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    // ...and holds exactly the user messages of the last turns that ran, going by the replies'
    // times in the transcript (turns are serialised, so their replies are milliseconds apart).
    const lastTurns = lastAnswered(replyEntries, userEntries, WINDOW_TURNS / 2);
    expect(new Set(memory.turns.filter((t) => t.role === 'user').map((t) => t.text))).toEqual(
      new Set(lastTurns),
    );
  });
});

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** The user texts of the `n` turns whose replies were recorded last. */
function lastAnswered(replies: TranscriptEntry[], users: TranscriptEntry[], n: number): string[] {
  const textOf = new Map(users.map((u) => [u.activityId, u.text ?? '']));
  return [...replies]
    .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp))
    .slice(-n)
    .map((r) => textOf.get(r.activityId) ?? '');
}

describe('instances starting at the same time against an empty Cosmos account', () => {
  // Scale-out or a first deployment with key auth: every instance creates the database and
  // containers if they are missing. Losing that race (409) must not stop an instance.
  it('all come up and share one database and its containers', async () => {
    for (let round = 0; round < 3; round++) {
      const fresh = await startEmbeddedCosmos();
      const starting = Array.from({ length: 4 }, () =>
        createCosmosStores({ endpoint: fresh.endpoint, key: 'dummy', allowSelfSignedCert: true }),
      );
      const results = await Promise.allSettled(starting);
      try {
        expect(
          results
            .filter((r) => r.status === 'rejected')
            .map((r) => String((r as PromiseRejectedResult).reason)),
        ).toEqual([]);
        const stores = results.map((r) => (r as PromiseFulfilledResult<CosmosStores>).value);
        expect(await stores[0].health()).toEqual({ ok: true });
        const { resources } = await stores[0].database.containers.readAll().fetchAll();
        expect(resources.map((c) => c.id).sort()).toEqual(
          containersFile.containers.map((c) => c.name).sort(),
        );
      } finally {
        await Promise.all(results.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
        await fresh.close();
      }
    }
  });
});
