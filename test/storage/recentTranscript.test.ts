import { describe, expect, it } from 'vitest';
import { recentTranscriptLines } from '../../src/storage/recentTranscript';
import type { TranscriptEntry } from '../../src/storage/transcriptStore';

const ALEX = 'alex-oid';
const BEA = 'bea-oid';
let clock = Date.parse('2026-01-01T10:00:00Z');
const entry = (activityId: string, kind: TranscriptEntry['kind'], user: string, text: string, extra = {}) =>
  ({
    conversationId: 'c1',
    activityId,
    kind,
    timestamp: new Date((clock += 1000)).toISOString(),
    userAadObjectId: user,
    text,
    ...extra,
  }) as TranscriptEntry;

const entries: TranscriptEntry[] = [
  entry('a1', 'user_message', ALEX, 'first question'),
  entry('a1', 'bot_reply', ALEX, 'first answer'),
  entry('b1', 'user_message', BEA, 'what is the hr policy'),
  entry('b1', 'bot_reply', BEA, 'restricted handbook text'),
  entry('a2', 'user_message', ALEX, 'show my orders'),
  entry('a2', 'tool_call', ALEX, '', { toolCall: { name: 'list_my_orders', arguments: {} } }),
  entry('a2', 'bot_reply', ALEX, '', {
    action: { verb: 'adaptive_card', data: [{ body: [{ type: 'TextBlock', text: 'Your orders' }] }] },
  }),
];
const store = { list: async () => entries };

describe('recentTranscriptLines', () => {
  it('keeps the last N turns of one member, user and bot lines, cards by their title', async () => {
    expect(await recentTranscriptLines(store, 'c1', 1, ALEX)).toEqual([
      { role: 'user', text: 'show my orders', at: entries[4]!.timestamp },
      { role: 'bot', text: '[card: Your orders]', at: entries[6]!.timestamp },
    ]);
    const two = await recentTranscriptLines(store, 'c1', 5, ALEX);
    expect(two.map((l) => l.text)).toEqual([
      'first question',
      'first answer',
      'show my orders',
      '[card: Your orders]',
    ]);
  });

  it('takes every member in a 1:1 chat (no member filter)', async () => {
    const all = await recentTranscriptLines(store, 'c1', 2);
    expect(all.map((l) => l.text)).toEqual([
      'what is the hr policy',
      'restricted handbook text',
      'show my orders',
      '[card: Your orders]',
    ]);
  });
});
