import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CosmosStores,
  type TranscriptEntry,
  transcriptEntryId,
  transcriptTurnId,
} from '../../src/storage';
import { embeddedWithClients } from './cosmosHelpers';

let env: Awaited<ReturnType<typeof embeddedWithClients>>;
let a: CosmosStores;
let b: CosmosStores;
beforeAll(async () => {
  env = await embeddedWithClients(2, { transcriptTtlDays: 30 });
  [a, b] = env.clients;
});
afterAll(async () => {
  await env?.close();
});

const base = { userAadObjectId: '00000000-0000-0000-0000-0000000000aa', tenantId: 'tenant-1' };

function turn(conversationId: string, activityId: string, at: number): TranscriptEntry[] {
  const ts = (ms: number) => new Date(at + ms).toISOString();
  return [
    {
      ...base,
      conversationId,
      activityId,
      kind: 'user_message',
      timestamp: ts(0),
      text: 'where is order 42?',
    },
    {
      ...base,
      conversationId,
      activityId,
      kind: 'tool_call',
      sequence: 0,
      timestamp: ts(5),
      toolCall: { name: 'get_order_status', arguments: { orderId: '42' }, result: { status: 'shipped' } },
    },
    {
      ...base,
      conversationId,
      activityId,
      kind: 'citation',
      timestamp: ts(5),
      citations: [{ title: 'Shipping policy', url: 'https://example.test/kb/shipping' }],
    },
    {
      ...base,
      conversationId,
      activityId: `${activityId}-reply`,
      kind: 'bot_reply',
      timestamp: ts(9),
      text: 'It shipped.',
    },
  ];
}

describe('CosmosTranscriptStore', () => {
  it('appends every kind and lists them in conversation order with all fields', async () => {
    const conv = 'a:1on1-ordering';
    const t0 = Date.parse('2025-01-01T10:00:00.000Z');
    const entries = [...turn(conv, 'act-1', t0), ...turn(conv, 'act-2', t0 + 60_000)];
    // Append in scrambled order, from two instances: order comes from the data, not the write order.
    await Promise.all([...entries].reverse().map((e, i) => (i % 2 ? a : b).transcripts.append(e)));
    const listed = await a.transcripts.list(conv);
    expect(listed.map((e) => `${e.activityId}:${e.kind}`)).toEqual([
      'act-1:user_message',
      'act-1:tool_call',
      'act-1:citation',
      'act-1-reply:bot_reply',
      'act-2:user_message',
      'act-2:tool_call',
      'act-2:citation',
      'act-2-reply:bot_reply',
    ]);
    expect(listed[1]).toMatchObject({
      conversationId: conv,
      userAadObjectId: base.userAadObjectId,
      tenantId: 'tenant-1',
      toolCall: { name: 'get_order_status', arguments: { orderId: '42' }, result: { status: 'shipped' } },
    });
    expect(listed[0]).not.toHaveProperty('pk');
    expect(listed[0]).not.toHaveProperty('_etag');
  });

  it('is idempotent: retried appends (same activity, kind, sequence) are stored once', async () => {
    const conv = 'a:1on1-retries';
    const entry: TranscriptEntry = {
      ...base,
      conversationId: conv,
      activityId: 'act-retry',
      kind: 'card_action',
      timestamp: new Date().toISOString(),
      action: { verb: 'approve', data: { ticket: 'T-1' } },
    };
    await a.transcripts.append(entry);
    await Promise.all([
      a.transcripts.append(entry),
      b.transcripts.append(entry),
      b.transcripts.append(entry),
    ]);
    // A second tool call of the same turn (sequence 1) is a distinct entry.
    await a.transcripts.append({
      ...entry,
      kind: 'tool_call',
      sequence: 0,
      toolCall: { name: 'x', arguments: {} },
    });
    await a.transcripts.append({
      ...entry,
      kind: 'tool_call',
      sequence: 1,
      toolCall: { name: 'y', arguments: {} },
    });
    const listed = await b.transcripts.list(conv);
    expect(listed.map((e) => `${e.kind}:${e.sequence}`)).toEqual([
      'card_action:0',
      'tool_call:0',
      'tool_call:1',
    ]);
  });

  it('writes a whole turn as one document, idempotently, and lists its entries in order', async () => {
    const conv = 'a:1on1-turn-documents';
    const t0 = Date.parse('2025-03-01T10:00:00.000Z');
    // The recorder gives every entry of a turn the inbound activity id and a running sequence.
    const entries = (activityId: string, at: number) =>
      turn(conv, activityId, at).map((e, sequence) => ({ ...e, activityId, sequence }));
    await a.transcripts.appendTurn(entries('act-1', t0));
    // Teams retries the same activity on two instances: still one document for it.
    await Promise.all([
      a.transcripts.appendTurn(entries('act-1', t0)),
      b.transcripts.appendTurn(entries('act-1', t0)),
    ]);
    await b.transcripts.appendTurn(entries('act-2', t0 + 60_000));
    await a.transcripts.append({ ...entries('act-3', t0 + 120_000)[0]! }); // single entries mix in

    const docs = await a.containers.transcripts.items
      .query({
        query: 'SELECT * FROM c WHERE c.conversationId = @c',
        parameters: [{ name: '@c', value: conv }],
      })
      .fetchAll();
    expect(docs.resources).toHaveLength(3);
    const turnDoc = docs.resources.find(
      (d) => d.id === transcriptTurnId({ conversationId: conv, activityId: 'act-1' }),
    );
    expect(turnDoc?.entries).toHaveLength(4);
    expect(turnDoc?.ttl).toBe(30 * 86400);

    const listed = await b.transcripts.list(conv);
    expect(listed.map((e) => `${e.activityId}:${e.kind}`)).toEqual([
      'act-1:user_message',
      'act-1:tool_call',
      'act-1:citation',
      'act-1:bot_reply',
      'act-2:user_message',
      'act-2:tool_call',
      'act-2:citation',
      'act-2:bot_reply',
      'act-3:user_message',
    ]);
    expect(listed[1]).toMatchObject({
      conversationId: conv,
      tenantId: 'tenant-1',
      toolCall: { name: 'get_order_status', arguments: { orderId: '42' }, result: { status: 'shipped' } },
    });
    expect(listed[0]).not.toHaveProperty('pk');
    expect(listed[0]).not.toHaveProperty('entries');
  });

  it('keeps what a turn shares once per document and lists every entry whole, old documents too', async () => {
    const conv = 'a:1on1-lean-turns';
    const t0 = Date.parse('2025-03-02T10:00:00.000Z');
    const entries = (activityId: string, at: number) =>
      turn(conv, activityId, at).map((e, sequence) => ({ ...e, activityId, sequence }));
    const first = entries('act-1', t0).map((e) =>
      e.kind === 'bot_reply' ? { ...e, replyActivityId: 'reply-lean' } : e,
    );
    await a.transcripts.appendTurn(first);
    // A second member in the same turn (not what the recorder writes, but allowed): members stay per entry.
    const mixed = entries('act-2', t0 + 1000).map((e, i) =>
      i === 3 ? { ...e, userAadObjectId: '00000000-0000-0000-0000-0000000000bb' } : e,
    );
    await a.transcripts.appendTurn(mixed);
    // A turn document as written before the shared fields moved up: every entry carries them.
    const old = entries('act-0', t0 - 1000);
    await a.containers.transcripts.items.create({
      id: transcriptTurnId({ conversationId: conv, activityId: 'act-0' }),
      pk: conv,
      conversationId: conv,
      activityId: 'act-0',
      timestamp: old[0]!.timestamp,
      entries: old,
    });

    const raw = async (activityId: string) =>
      (
        await a.containers.transcripts
          .item(transcriptTurnId({ conversationId: conv, activityId }), conv)
          .read()
      ).resource;
    const lean = await raw('act-1');
    expect(lean).toMatchObject({ conversationId: conv, activityId: 'act-1', ...base });
    for (const entry of lean.entries) {
      for (const field of ['conversationId', 'activityId', 'userAadObjectId', 'tenantId'])
        expect(entry).not.toHaveProperty(field);
    }
    const mixedDoc = await raw('act-2');
    expect(mixedDoc).not.toHaveProperty('userAadObjectId');
    expect(mixedDoc.tenantId).toBe('tenant-1');
    expect(mixedDoc.entries.map((e: TranscriptEntry) => e.userAadObjectId)).toEqual([
      base.userAadObjectId,
      base.userAadObjectId,
      base.userAadObjectId,
      '00000000-0000-0000-0000-0000000000bb',
    ]);

    // What list and findTurnByReply give back is what was appended, whichever way it was stored.
    const listed = await b.transcripts.list(conv);
    expect(listed).toEqual([...old, ...first, ...mixed]);
    expect(await b.transcripts.findTurnByReply(conv, 'reply-lean')).toEqual({
      conversationId: conv,
      activityId: 'act-1',
      entries: first,
    });
  });

  it('refuses a "turn" whose entries belong to different activities, and splits a turn too big for one item', async () => {
    const conv = 'a:1on1-turn-split';
    const [first, second] = turn(conv, 'act-x', Date.now());
    await expect(a.transcripts.appendTurn([first!, { ...second!, activityId: 'other' }])).rejects.toThrow(
      /one turn/,
    );
    const huge = (sequence: number): TranscriptEntry => ({
      ...first!,
      kind: 'tool_call',
      sequence,
      toolCall: { name: 'search', arguments: {}, result: 'r'.repeat(250 * 1024) },
    });
    // Eight 250 KB results: 2 MB in one item would pass Cosmos' limit, so one item per entry.
    await a.transcripts.appendTurn(Array.from({ length: 8 }, (_, i) => huge(i)));
    expect(await a.transcripts.list(conv)).toHaveLength(8);
  });

  it('finds the turn that sent a reply, also when it was split, and keeps one reaction per member and answer', async () => {
    const conv = 'a:1on1-feedback';
    const at = Date.parse('2025-03-02T10:00:00.000Z');
    const entries = turn(conv, 'act-f', at).map((e, sequence) => ({
      ...e,
      activityId: 'act-f',
      sequence,
      ...(e.kind === 'bot_reply' ? { replyActivityId: 'reply-f', feedbackLoop: true } : {}),
    }));
    await a.transcripts.appendTurn(entries);
    const found = await b.transcripts.findTurnByReply(conv, 'reply-f');
    expect(found?.activityId).toBe('act-f');
    expect(found?.entries.map((e) => e.kind)).toEqual(['user_message', 'tool_call', 'citation', 'bot_reply']);
    expect(await b.transcripts.findTurnByReply(conv, 'reply-other')).toBeUndefined();
    expect(await b.transcripts.findTurnByReply('a:another-conversation', 'reply-f')).toBeUndefined();

    // A turn too big for one document: its entries are gathered from their own documents.
    const big = entries.map((e) =>
      e.kind === 'tool_call'
        ? {
            ...e,
            activityId: 'act-big',
            toolCall: { name: 'search', arguments: {}, result: 'r'.repeat(250 * 1024) },
          }
        : {
            ...e,
            activityId: 'act-big',
            ...(e.kind === 'bot_reply' ? { replyActivityId: 'reply-big' } : {}),
          },
    );
    const bigTurn = [...big, ...[1, 2, 3, 4, 5, 6].map((i) => ({ ...big[1]!, sequence: 10 + i }))];
    await a.transcripts.appendTurn(bigTurn);
    expect((await b.transcripts.findTurnByReply(conv, 'reply-big'))?.entries).toHaveLength(bigTurn.length);

    const reaction = (reaction: 'like' | 'dislike', user: string, at: string) => ({
      conversationId: conv,
      activityId: 'act-f',
      kind: 'feedback' as const,
      timestamp: at,
      userAadObjectId: user,
      feedback: { reaction, replyActivityId: 'reply-f', firstAt: at, text: 'x'.repeat(3000) },
    });
    expect(await a.transcripts.saveFeedback(reaction('like', 'u1', '2025-03-02T10:01:00.000Z'))).toEqual({
      updated: false,
    });
    expect(await b.transcripts.saveFeedback(reaction('dislike', 'u1', '2025-03-02T10:02:00.000Z'))).toEqual({
      updated: true,
    });
    await a.transcripts.saveFeedback(reaction('like', 'u2', '2025-03-02T10:03:00.000Z'));
    const stored = (await a.transcripts.list(conv)).filter((e) => e.kind === 'feedback');
    expect(stored.map((e) => [e.userAadObjectId, e.feedback?.reaction])).toEqual([
      ['u1', 'dislike'],
      ['u2', 'like'],
    ]);
    expect(stored[0]!.feedback).toMatchObject({ firstAt: '2025-03-02T10:01:00.000Z' });
    expect(stored[0]!.feedback!.text).toHaveLength(2000);
    const records = (await a.transcripts.listFeedback()).filter((r) => r.feedback.conversationId === conv);
    expect(records).toHaveLength(2);
    expect(records[0]!.turn?.entries.find((e) => e.kind === 'user_message')?.text).toBe('where is order 42?');
  });

  it('stores the per-item ttl from transcriptTtlDays in the container document', async () => {
    const entry: TranscriptEntry = {
      conversationId: 'a:ttl',
      activityId: 'act-ttl',
      kind: 'system',
      timestamp: new Date().toISOString(),
      text: 'reset',
    };
    await a.transcripts.append(entry);
    const { resource } = await a.containers.transcripts.item(transcriptEntryId(entry), 'a:ttl').read();
    expect(resource?.ttl).toBe(30 * 86400);
  });

  it('keeps channel threads apart by default and together with includeThreads', async () => {
    const root = '19:channel@thread.tacv2';
    const thread = `${root};messageid=1700000000001`;
    const at = new Date('2025-02-01T00:00:00Z').toISOString();
    await a.transcripts.append({
      conversationId: root,
      activityId: 'r1',
      kind: 'user_message',
      timestamp: at,
      text: 'root',
    });
    await a.transcripts.append({
      conversationId: thread,
      activityId: 't1',
      kind: 'user_message',
      timestamp: at,
      text: 'reply',
    });
    expect((await a.transcripts.list(root)).map((e) => e.text)).toEqual(['root']);
    expect((await a.transcripts.list(thread)).map((e) => e.text)).toEqual(['reply']);
    expect((await a.transcripts.list(thread, { includeThreads: true })).map((e) => e.text).sort()).toEqual([
      'reply',
      'root',
    ]);
  });

  it('handles conversation ids longer than 255 characters', async () => {
    const conv = `19:${'x'.repeat(600)}@thread.v2;messageid=1`;
    const at = new Date().toISOString();
    await a.transcripts.append({
      conversationId: conv,
      activityId: 'long-1',
      kind: 'user_message',
      timestamp: at,
      text: 'hi',
    });
    expect((await b.transcripts.list(conv)).map((e) => e.text)).toEqual(['hi']);
  });

  it('truncates oversized tool results instead of failing the append', async () => {
    const conv = 'a:big';
    await a.transcripts.append({
      conversationId: conv,
      activityId: 'big-1',
      kind: 'tool_call',
      timestamp: new Date().toISOString(),
      toolCall: { name: 'search', arguments: {}, result: 'r'.repeat(600 * 1024) },
    });
    const [stored] = await a.transcripts.list(conv);
    expect(stored.truncated).toBe(true);
    expect(JSON.stringify(stored).length).toBeLessThan(300 * 1024);
  });

  it('rejects malformed entries with a clear error and lists unknown conversations as empty', async () => {
    const ok: TranscriptEntry = {
      conversationId: 'c',
      activityId: 'a',
      kind: 'system',
      timestamp: new Date().toISOString(),
    };
    await expect(a.transcripts.append({ ...ok, kind: 'nope' as never })).rejects.toThrow(
      /kind must be one of/,
    );
    await expect(a.transcripts.append({ ...ok, activityId: '' })).rejects.toThrow(/activityId/);
    await expect(a.transcripts.append({ ...ok, timestamp: 'yesterday' })).rejects.toThrow(/timestamp/);
    await expect(a.transcripts.append({ ...ok, sequence: -1 })).rejects.toThrow(/sequence/);
    await expect(a.transcripts.list('')).rejects.toThrow(/conversationId/);
    expect(await a.transcripts.list('a:never-used')).toEqual([]);
  });
});
