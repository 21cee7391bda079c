import { describe, expect, it } from 'vitest';
import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { oncePerActivity } from '../../src/teams/inboundDedup';
import { InMemoryInboundActivityLog, type InboundActivityLog } from '../../src/storage';

function contextFor(activity: Partial<Activity>): TurnContext {
  return new TurnContext(new TestAdapter(), {
    type: 'message',
    id: 'act-1',
    conversation: { id: 'conv-1' } as Activity['conversation'],
    from: { id: '29:alex', name: 'Alex', aadObjectId: 'aad-alex' },
    ...activity,
  } as Activity);
}

const unreachable: InboundActivityLog = {
  find: () => Promise.reject(new Error('cosmos down')),
  record: () => Promise.reject(new Error('cosmos down')),
};

describe('oncePerActivity', () => {
  it('processes the activity when the log cannot be read or written (a duplicate beats a lost message)', async () => {
    let runs = 0;
    const run = async () => void runs++;
    expect(await oncePerActivity(unreachable, contextFor({}), run)).toBe('handled');
    expect(await oncePerActivity(unreachable, contextFor({}), run)).toBe('handled');
    expect(runs).toBe(2);
  });

  it('runs once per conversation and activity id; the same id in another conversation is another activity', async () => {
    const log = new InMemoryInboundActivityLog();
    let runs = 0;
    const run = async () => void runs++;
    expect(await oncePerActivity(log, contextFor({}), run)).toBe('handled');
    expect(await oncePerActivity(log, contextFor({}), run)).toBe('duplicate');
    const other = contextFor({ conversation: { id: 'conv-2' } as Activity['conversation'] });
    expect(await oncePerActivity(log, other, run)).toBe('handled');
    expect(runs).toBe(2);
  });

  it('a turn that failed leaves no marker, so the retry is processed', async () => {
    const log = new InMemoryInboundActivityLog();
    await expect(
      oncePerActivity(log, contextFor({}), async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    let runs = 0;
    expect(await oncePerActivity(log, contextFor({}), async () => void runs++)).toBe('handled');
    expect(runs).toBe(1);
  });
});
