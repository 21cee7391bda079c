import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMORY_STATE_PROPERTY } from '../../src/memory';
import { turnStateConversationKey } from '../../src/storage';
import { PLANNER_HISTORY } from '../../src/teams/audience';
import { BOT_ID, personalConversation, users } from '../helpers/activities';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';

/**
 * On the embedded model the conversation state holds only what the embedded model reads (pending
 * questions, the last order action): no chat history and no conversation memory, which only a
 * language model reads. The state document stays small, and a turn that changes nothing the
 * model needs writes nothing.
 */
let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest({ ...freshKnowledgeIndex(), STREAMING: 'false' });
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

const stateOf = async (conversationId: string) => {
  const key = turnStateConversationKey('msteams', BOT_ID, conversationId);
  return (await t.bot.stores.storage.read([key]))[key];
};

describe('conversation state on the embedded model', () => {
  it('keeps the flow state it reads and no memory or planner history', async () => {
    const conv = personalConversation();
    await t.say(conv, 'how do I return an item?', users.alex);
    await t.say(conv, 'where is my order?', users.alex);
    const state = await stateOf(conv.id);
    expect(state?.pendingSlot).toMatchObject({ slot: 'orderId' });
    expect(Object.keys(state ?? {}).filter((k) => k.startsWith(MEMORY_STATE_PROPERTY))).toEqual([]);
    expect(Object.keys(state ?? {}).filter((k) => k.startsWith(PLANNER_HISTORY))).toEqual([]);
    // The pending question still works across turns.
    const answered = await t.say(conv, 'ORD-10421', users.alex);
    expect(JSON.stringify(answered.map((c) => c.activity))).toContain('ORD-10421');
    expect((await stateOf(conv.id))?.pendingSlot).toBeUndefined();
  });

  it('writes no state for a turn that changes nothing the model reads', async () => {
    const conv = personalConversation();
    await t.say(conv, 'status of ORD-10421', users.alex);
    const { eTag } = (await stateOf(conv.id)) ?? {};
    expect(eTag).toEqual(expect.any(String));
    // A greeting and a thank-you leave the flow state as it was: no state write.
    await t.say(conv, 'hi', users.alex);
    await t.say(conv, 'thanks!', users.alex);
    expect((await stateOf(conv.id))?.eTag).toBe(eTag);
  });
});
