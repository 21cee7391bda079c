import {
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { createTurnPipeline, turnServices, type TurnPipelineDeps } from '../../../src/teams/pipeline';
import { createMetrics } from '../../../src/observability/metrics';
import { readTurnOutcome } from '../../../src/observability/turnOutcome';
import { InMemoryInboundActivityLog, InProcessConversationLease } from '../../../src/storage';
import type { ProactiveMessenger } from '../../../src/teams/proactive';

/** Records what a turn sends. */
class RecordingAdapter extends BotAdapter {
  sent: Partial<Activity>[] = [];
  async sendActivities(_c: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    this.sent.push(...activities);
    return activities.map((_, i) => ({ id: String(i) }));
  }
  async updateActivity(): Promise<void> {}
  async deleteActivity(): Promise<void> {}
  async continueConversation(_r: Partial<ConversationReference>, _l: (c: TurnContext) => Promise<void>) {}
}

function deps(allowed = true): TurnPipelineDeps & { consumed: number; written: number } {
  const d = {
    consumed: 0,
    written: 0,
    metrics: createMetrics({ defaultMetrics: false }),
    limiter: {
      consume: async () => {
        d.consumed++;
        return allowed ? { allowed: true } : { allowed: false, scope: 'user' as const };
      },
      close: async () => undefined,
    },
    transcripts: {
      append: async () => undefined,
      appendTurn: async () => {
        d.written++;
      },
      list: async () => [],
    },
    modelPath: 'embedded' as const,
    leases: new InProcessConversationLease(),
    inbound: new InMemoryInboundActivityLog(),
    groups: { groupsOf: async () => ['g1'] },
    proactive: {} as ProactiveMessenger,
  };
  return d as unknown as TurnPipelineDeps & { consumed: number; written: number };
}

function context(activity: Partial<Activity> = {}) {
  const adapter = new RecordingAdapter();
  const ctx = new TurnContext(adapter, {
    type: 'message',
    id: 'a1',
    text: 'hi',
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1/',
    conversation: { id: 'c1', isGroup: false, conversationType: 'personal', name: '' },
    from: { id: 'u1', name: 'User', aadObjectId: 'aad-1' },
    recipient: { id: 'b1', name: 'Bot' },
    ...activity,
  } as Partial<Activity>);
  return { adapter, ctx };
}

describe('the turn pipeline', () => {
  it('runs its botbuilder Middleware steps in this order', () => {
    const pipeline = createTurnPipeline(deps(), async () => undefined);
    expect(pipeline.steps.map((s) => s.name)).toEqual([
      'metrics',
      'inFlight',
      'addressedToBot',
      'rateLimit',
      'transcript',
      'storageApology',
      'typing',
      'conversationLease',
      'oncePerActivity',
      'turnServices',
    ]);
    for (const step of pipeline.steps) expect(typeof step.onTurn).toBe('function');
  });

  it('hands the app typed turn services, and counts the turn in flight while it runs', async () => {
    const d = deps();
    let seen: string[] | undefined;
    let inFlightDuringTurn = 0;
    const pipeline = createTurnPipeline(d, async (c) => {
      inFlightDuringTurn = pipeline.inFlight.size;
      seen = await turnServices(c)?.groups();
    });
    const { ctx } = context();
    await pipeline.onTurn(ctx);
    expect(seen).toEqual(['g1']);
    expect(inFlightDuringTurn).toBe(1);
    expect(pipeline.inFlight.size).toBe(0);
    expect(d.written).toBe(1);
  });

  it('stops before the rate limiter for a channel message without an @mention', async () => {
    const d = deps();
    let ran = false;
    const pipeline = createTurnPipeline(d, async () => {
      ran = true;
    });
    const { ctx } = context({
      conversation: { id: 'c1', isGroup: true, conversationType: 'channel', name: '' },
    });
    await pipeline.onTurn(ctx);
    expect(ran).toBe(false);
    expect(d.consumed).toBe(0);
    expect(readTurnOutcome(ctx)).toBe('ignored');
  });

  it('answers a rate-limited turn itself, without a transcript or the app', async () => {
    const d = deps(false);
    let ran = false;
    const pipeline = createTurnPipeline(d, async () => {
      ran = true;
    });
    const { ctx, adapter } = context();
    await pipeline.onTurn(ctx);
    expect(ran).toBe(false);
    expect(readTurnOutcome(ctx)).toBe('rate_limited');
    expect(adapter.sent.length).toBe(1);
    expect(d.written).toBe(0);
  });

  it('runs a redelivered activity once', async () => {
    const d = deps();
    let runs = 0;
    const pipeline = createTurnPipeline(d, async () => {
      runs++;
    });
    await pipeline.onTurn(context().ctx);
    const again = context().ctx;
    await pipeline.onTurn(again);
    expect(runs).toBe(1);
    expect(readTurnOutcome(again)).toBe('duplicate');
  });
});
