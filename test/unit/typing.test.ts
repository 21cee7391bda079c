import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withTyping } from '../../src/teams/typing';

/** Records what a turn sends, with the fake clock's time. */
class RecordingAdapter extends BotAdapter {
  sent: { type: string; at: number }[] = [];
  async sendActivities(_c: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    for (const a of activities) this.sent.push({ type: a.type ?? '', at: Date.now() });
    return activities.map((_, i) => ({ id: String(i) }));
  }
  async updateActivity(): Promise<void> {}
  async deleteActivity(): Promise<void> {}
  async continueConversation(_r: Partial<ConversationReference>, _l: (c: TurnContext) => Promise<void>) {}
}

function turn(type: string = ActivityTypes.Message) {
  const adapter = new RecordingAdapter();
  const context = new TurnContext(adapter, {
    type,
    id: 'a1',
    text: 'hi',
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1/',
    conversation: { id: 'c1', isGroup: false, conversationType: 'personal', name: '' },
    from: { id: 'u1', name: 'User' },
    recipient: { id: 'b1', name: 'Bot' },
  } as Partial<Activity>);
  return { adapter, context };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('withTyping', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends nothing for a turn that answers before the delay', async () => {
    const { adapter, context } = turn();
    const done = withTyping(context, async () => {
      await sleep(100);
      await context.sendActivity('quick answer');
    });
    await vi.advanceTimersByTimeAsync(5000);
    await done;
    expect(adapter.sent.map((s) => s.type)).toEqual(['message']);
  });

  it('shows typing after the delay, repeats it, and stops at the first message', async () => {
    const { adapter, context } = turn();
    const done = withTyping(
      context,
      async () => {
        await sleep(7000);
        await context.sendActivity('slow answer');
        await sleep(5000); // e.g. saving state after the reply: no indicator any more
      },
      { delayMs: 500, refreshMs: 3000 },
    );
    await vi.advanceTimersByTimeAsync(20_000);
    await done;
    expect(adapter.sent).toEqual([
      { type: 'typing', at: 500 },
      { type: 'typing', at: 3500 },
      { type: 'typing', at: 6500 },
      { type: 'message', at: 7000 },
    ]);
  });

  it('does not type for activities other than messages, and stops when the work fails', async () => {
    const invoke = turn(ActivityTypes.Invoke);
    const invoked = withTyping(invoke.context, () => sleep(1000), { delayMs: 0 });
    await vi.advanceTimersByTimeAsync(2000);
    await invoked;
    expect(invoke.adapter.sent).toEqual([]);

    const failing = turn();
    const done = withTyping(failing.context, async () => {
      await sleep(800);
      throw new Error('boom');
    });
    const settled = expect(done).rejects.toThrow('boom');
    await vi.advanceTimersByTimeAsync(10_000);
    await settled;
    expect(failing.adapter.sent.map((s) => s.type)).toEqual(['typing']);
  });
});
