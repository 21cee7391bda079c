import { MemoryStorage, TestAdapter, TurnContext, type Storage, type StoreItems } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { ConversationTurnState } from '../../src/teams/app';

/** MemoryStorage that records which keys each call touched. */
class RecordingStorage implements Storage {
  readonly inner = new MemoryStorage();
  readonly reads: string[][] = [];
  readonly writes: string[][] = [];
  async read(keys: string[]): Promise<StoreItems> {
    this.reads.push(keys);
    return this.inner.read(keys);
  }
  async write(changes: StoreItems): Promise<void> {
    this.writes.push(Object.keys(changes));
    return this.inner.write(changes);
  }
  async delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }
}

function context(): TurnContext {
  return new TurnContext(new TestAdapter(), {
    type: 'message',
    text: 'hi',
    channelId: 'msteams',
    conversation: { id: 'conv-1', isGroup: false, conversationType: 'personal', name: '' },
    from: { id: '29:u', name: 'User' },
    recipient: { id: '28:bot', name: 'Bot' },
  });
}

describe('ConversationTurnState', () => {
  it('reads and writes only the conversation scope; the user scope exists but is never stored', async () => {
    const storage = new RecordingStorage();
    const state = new ConversationTurnState();
    await state.load(context(), storage);
    expect(storage.reads).toEqual([['msteams/28:bot/conversations/conv-1']]);
    expect(state.user).toEqual({});

    state.conversation.welcomed = true;
    state.user.stray = 'not kept';
    await state.save(context(), storage);
    expect(storage.writes).toEqual([['msteams/28:bot/conversations/conv-1']]);

    const next = new ConversationTurnState();
    await next.load(context(), storage);
    expect(next.conversation.welcomed).toBe(true);
    expect(next.user).toEqual({});
  });
});
