import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendTurn, emptyMemory, normalizeMemory } from '../../src/memory';
import { type CosmosStores, createCosmosStores, resetConversation } from '../../src/storage';

let stores: CosmosStores;
beforeAll(async () => {
  stores = await createCosmosStores({ database: 'reset' });
});
afterAll(async () => {
  await stores?.close();
});

describe('reset', () => {
  it('clears conversation state and memory but keeps the transcript (and records the reset)', async () => {
    const conversationId = 'a:reset-me';
    const key = `msteams/28:bot/conversations/${conversationId}`;
    const userKey = 'msteams/28:bot/users/29:u';
    const memory = await appendTurn(emptyMemory(), {
      role: 'user',
      text: 'remember ORD-1',
      at: new Date().toISOString(),
    });
    await stores.storage.write({
      [key]: { memory, lastIntent: 'order_status' },
      [userKey]: { locale: 'en' },
    });
    await stores.transcripts.append({
      conversationId,
      activityId: 'm1',
      kind: 'user_message',
      timestamp: new Date(Date.now() - 1000).toISOString(),
      text: 'remember ORD-1',
    });

    await resetConversation(stores.storage, {
      conversationStateKey: key,
      transcript: { store: stores.transcripts, conversationId, activityId: 'reset-1' },
    });

    const items = await stores.storage.read([key, userKey]);
    expect(items[key]).toBeUndefined();
    expect(normalizeMemory(items[key]?.memory)).toEqual(emptyMemory());
    expect(items[userKey].locale).toBe('en'); // user scope is not conversation state
    const transcript = await stores.transcripts.list(conversationId);
    expect(transcript.map((e) => e.kind)).toEqual(['user_message', 'system']);
    expect(transcript[0].text).toBe('remember ORD-1');
  });
});
