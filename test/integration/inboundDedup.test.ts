import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Container } from '@azure/cosmos';
import {
  createCosmosStores,
  startEmbeddedCosmos,
  type CosmosStores,
  type EmbeddedCosmos,
} from '../../src/storage';
import { replies } from '../../src/replies';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { groupChat, message, personalConversation, type ConversationRef } from '../helpers/activities';
import { postActivity, startBotProcess, indexedDataDir, type BotProcess } from '../helpers/botProcess';
import { LocalConnector } from '../helpers/connector';
import { confirmDraftAction } from '../helpers/cards';

/**
 * Issue #14 item 9: Teams redelivers an activity when the bot did not answer in time. The same
 * activity (same conversation id and activity id) posted twice — one after the other, or at the
 * same moment, to one instance or to two instances on a shared Cosmos — is handled once: one
 * reply, one ticket draft; a retried card click still gets an invoke response.
 */

async function draftsIn(tickets: Container, conversationId: string): Promise<number> {
  const { resources } = await tickets.items
    .query({
      query: 'SELECT c.id FROM c WHERE c.conversationId = @c',
      parameters: [{ name: '@c', value: conversationId }],
    })
    .fetchAll();
  return resources.length;
}

const TICKET = 'open a ticket: my laptop will not boot since this morning';

describe('one instance (embedded store: in-process dedup)', () => {
  let t: BotUnderTest;
  beforeAll(async () => {
    t = await startBotUnderTest(freshKnowledgeIndex('dedup-'));
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const post = async (activity: unknown) => {
    const res = await t.post(activity);
    expect(res.status).toBe(200);
    return res;
  };
  const repliesTo = (conv: ConversationRef, activityId: string) =>
    t.connector.messages(conv.id).filter((c) => c.activityId === activityId);

  it('a message delivered twice in a row is answered once and drafts one ticket', async () => {
    const conv = personalConversation();
    const activity = message(t.connector.url, conv, TICKET);
    await post(activity);
    await post(activity);
    expect(repliesTo(conv, activity.id)).toHaveLength(1);
    expect(await draftsIn(t.bot.stores.containers.tickets, conv.id)).toBe(1);
  });

  it('delivered twice at the same moment: still one reply and one draft', async () => {
    const conv = groupChat();
    const activity = message(t.connector.url, conv, TICKET, { mention: true });
    await Promise.all([post(activity), post(activity), post(activity)]);
    expect(repliesTo(conv, activity.id)).toHaveLength(1);
    expect(await draftsIn(t.bot.stores.containers.tickets, conv.id)).toBe(1);
  });

  it('the duplicate is not written to the transcript a second time', async () => {
    const conv = personalConversation();
    const activity = message(t.connector.url, conv, 'How do I reset my password?');
    await post(activity);
    await post(activity);
    const entries = await t.bot.stores.transcripts.list(conv.id);
    expect(entries.filter((e) => e.kind === 'user_message')).toHaveLength(1);
    expect(entries.filter((e) => e.kind === 'bot_reply')).toHaveLength(1);
  });

  it('a retried card click gets the first click’s invoke response; another member gets a neutral card', async () => {
    const conv = personalConversation();
    const draft = message(t.connector.url, conv, TICKET);
    await post(draft);
    const click = confirmDraftAction(t.connector, conv, draft.id);
    const first = await post(click);
    const retry = await post(click);
    expect(JSON.stringify(first.body)).toMatch(/TKT-\d{6}/);
    expect(retry.body).toEqual(first.body);

    // The same activity id from someone else (never from Teams, but nothing personal may leak).
    const forged = { ...click, from: { id: '29:mallory', name: 'Mallory', aadObjectId: 'mallory' } };
    const other = await post(forged);
    expect(JSON.stringify(other.body)).not.toMatch(/TKT-\d{6}/);
    expect(JSON.stringify(other.body)).toContain(replies.alreadyHandled);
  });
});

describe('two instances on one shared Cosmos (marker in the leases container)', () => {
  let cosmos: EmbeddedCosmos;
  let reader: CosmosStores;
  let connector: LocalConnector;
  let data: Awaited<ReturnType<typeof indexedDataDir>>;
  let bots: BotProcess[] = [];

  beforeAll(async () => {
    cosmos = await startEmbeddedCosmos();
    data = await indexedDataDir('dedup-two-');
    connector = await new LocalConnector().start();
    const env = {
      COSMOS_ENDPOINT: cosmos.endpoint,
      COSMOS_KEY: 'dummy',
      COSMOS_ALLOW_SELF_SIGNED: 'true',
      KNOWLEDGE_INDEX_PATH: data.indexPath,
    };
    bots = await Promise.all([startBotProcess({ env }), startBotProcess({ env })]);
    reader = await createCosmosStores({ endpoint: cosmos.endpoint, key: 'dummy', allowSelfSignedCert: true });
  }, 400_000);

  afterAll(async () => {
    await Promise.all(bots.map((b) => b.stop()));
    await reader?.close();
    await connector?.stop();
    await cosmos?.close();
    data?.remove();
  });

  it('the same message posted to both at once: one reply, one draft in Cosmos', async () => {
    const conv = personalConversation();
    const activity = message(connector.url, conv, TICKET);
    const results = await Promise.all([
      postActivity(bots[0].url, activity),
      postActivity(bots[1].url, activity),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(connector.messages(conv.id).filter((c) => c.activityId === activity.id)).toHaveLength(1);
    expect(await draftsIn(reader.containers.tickets, conv.id)).toBe(1);
    // ...and a later retry to either instance changes nothing.
    expect((await postActivity(bots[1].url, activity)).status).toBe(200);
    expect(connector.messages(conv.id).filter((c) => c.activityId === activity.id)).toHaveLength(1);
    expect(await draftsIn(reader.containers.tickets, conv.id)).toBe(1);
    const entries = await reader.transcripts.list(conv.id);
    expect(entries.filter((e) => e.kind === 'user_message')).toHaveLength(1);
  });

  it('a card click retried on the other instance gets the same invoke response', async () => {
    const conv = personalConversation();
    const draft = message(connector.url, conv, TICKET);
    expect((await postActivity(bots[0].url, draft)).status).toBe(200);
    const click = confirmDraftAction(connector, conv, draft.id);
    const [a, b] = await Promise.all([postActivity(bots[0].url, click), postActivity(bots[1].url, click)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body).toMatch(/TKT-\d{6}/);
    expect(b.body).toBe(a.body);
  });
});
