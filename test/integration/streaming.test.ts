import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { groupChat, message, personalConversation, users, type ConversationRef } from '../helpers/activities';
import type { ConnectorCall } from '../helpers/connector';
import { cardsOf } from '../helpers/cards';
import { completion, startFakeOpenAi, streamed, toolCall, type FakeOpenAi } from '../fakes/fakeOpenAi';
import { replies } from '../../src/replies';
import { LlmFailureError, llmFailureMessage } from '../../src/planner/llmModel';

/**
 * Streamed answers through the real server: in a 1:1 chat the bot sends teams-ai's stream
 * (informative update, text updates with increasing streamSequence, final message with the
 * citations and the AI label), in a group chat whole messages only. Both model paths: an
 * OpenAI-compatible peer on loopback answering `stream: true` with Server-Sent Events, and the
 * embedded intent model.
 */

async function turn(t: BotUnderTest, conv: ConversationRef, text: string) {
  const activity = message(t.connector.url, conv, text, {
    user: users.alex,
    mention: conv.kind !== 'personal',
  });
  const res = await t.post(activity);
  expect(res.status).toBe(200);
  // Everything the bot sent for this message, typing activities included, in order.
  return t.connector.calls.filter((c) => c.conversationId === conv.id && c.activityId === activity.id);
}

const channelData = (c: ConnectorCall) => (c.activity.channelData ?? {}) as Record<string, any>;
const streamCalls = (calls: ConnectorCall[]) => calls.filter((c) => channelData(c).streamType);
const messageEntities = (c: ConnectorCall) =>
  ((c.activity.entities ?? []) as any[]).filter((e) => e.type === 'https://schema.org/Message');

/** The stream's wire protocol as Teams documents it; returns the final message. */
function expectWellFormedStream(calls: ConnectorCall[]): ConnectorCall {
  const stream = streamCalls(calls);
  expect(stream.length).toBeGreaterThanOrEqual(2);
  const [first, ...rest] = stream;
  expect(first.activity).toMatchObject({ type: 'typing', text: replies.streamSearching });
  expect(channelData(first)).toMatchObject({ streamType: 'informative', streamSequence: 1 });
  const final = stream.at(-1)!;
  expect(final.activity.type).toBe('message');
  expect(channelData(final).streamType).toBe('final');
  // Every later activity names the stream by the id the connector gave the first one.
  const streamId = channelData(rest[0]).streamId;
  expect(streamId).toMatch(/^reply-\d+$/);
  for (const c of rest) {
    expect(channelData(c).streamId).toBe(streamId);
    expect((c.activity.entities as any[]).find((e) => e.type === 'streaminfo')).toMatchObject({ streamId });
  }
  // Updates are numbered 1, 2, 3 … and each one extends the text shown before it.
  const updates = stream.slice(0, -1);
  expect(updates.map((c) => channelData(c).streamSequence)).toEqual(updates.map((_, i) => i + 1));
  const texts = updates.slice(1).map((c) => String(c.activity.text));
  texts.forEach((text, i) => i > 0 && expect(text.startsWith(texts[i - 1])).toBe(true));
  // Exactly one whole message: the final one.
  expect(calls.filter((c) => c.activity.type === 'message')).toEqual([final]);
  return final;
}

describe('streaming with a language model (OpenAI-compatible peer, stream: true)', () => {
  let llm: FakeOpenAi;
  let t: BotUnderTest;

  beforeAll(async () => {
    // The resilience settings are read from the process environment. Long enough for the slowest
    // scripted stream (about 3.5 s), short enough to test a timeout.
    vi.stubEnv('LLM_TIMEOUT_MS', '6000');
    llm = await startFakeOpenAi({ tls: false });
    t = await startBotUnderTest({
      OPENAI_BASE_URL: `${llm.url}/v1`,
      OPENAI_MODEL: 'gpt-test',
      OPENAI_API_KEY: 'test-key',
      ...freshKnowledgeIndex('stream-llm-'),
    });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await llm?.close();
    vi.unstubAllEnvs();
  });
  beforeEach(() => {
    llm.requests.length = 0;
  });

  it('streams a knowledge answer in a 1:1 chat: informative update, text updates, final with citations', async () => {
    const answer =
      'Refunds to a card take 5 to 10 business days after we receive the item [1]. Store credit is issued at once.';
    // About 3 s of writing, so the stream shows text before the answer is complete.
    llm.script(streamed(completion({ content: answer }), { chunkDelayMs: 250, chunkChars: 9 }));
    const conv = personalConversation(users.alex);
    const calls = await turn(t, conv, 'How long do card refunds take?');

    expect(llm.requests[0].body.stream).toBe(true);
    const final = expectWellFormedStream(calls);
    const textUpdates = streamCalls(calls).filter((c) => channelData(c).streamType === 'streaming');
    expect(textUpdates.length).toBeGreaterThanOrEqual(1);
    expect(textUpdates[0].activity.type).toBe('typing');
    expect(answer.startsWith(String(textUpdates[0].activity.text))).toBe(true);

    expect(final.activity.text).toBe(answer);
    const [entity] = messageEntities(final);
    expect(messageEntities(final)).toHaveLength(1);
    expect(entity.additionalType).toEqual(['AIGeneratedContent']);
    expect(entity.citation).toHaveLength(1);
    expect(entity.citation[0]).toMatchObject({ '@type': 'Claim', position: 1 });
    expect(entity.citation[0].appearance.name).toMatch(/return/i);

    // The transcript holds the final answer once, with its citation.
    const entries = await t.bot.stores.transcripts.list(conv.id);
    expect(entries.filter((e) => e.kind === 'bot_reply').map((e) => e.text)).toEqual([answer]);
    expect(entries.filter((e) => e.kind === 'citation')).toHaveLength(1);
  });

  it('still calls tools when streaming: streamed tool-call deltas run the tool, the card comes with the final', async () => {
    llm.script(
      streamed(
        completion({ tool_calls: [toolCall('call_s1', 'get_order_status', { orderId: 'ORD-10421' })] }),
        {
          chunkChars: 5,
        },
      ),
      streamed(completion({ content: 'Your order ORD-10421 has shipped.' })),
    );
    const conv = personalConversation(users.alex);
    const calls = await turn(t, conv, 'where is my order ORD-10421?');

    expect(llm.requests).toHaveLength(2);
    expect(llm.requests.every((r) => r.body.stream === true)).toBe(true);
    // The arguments arrived in pieces and were put back together before the tool ran.
    const assistant = llm.requests[1].body.messages.find((m) => m.role === 'assistant' && m.tool_calls);
    expect(assistant?.tool_calls?.[0]).toMatchObject({
      id: 'call_s1',
      function: { name: 'get_order_status', arguments: JSON.stringify({ orderId: 'ORD-10421' }) },
    });
    const toolMessage = llm.requests[1].body.messages.find((m) => m.role === 'tool');
    expect(toolMessage).toMatchObject({ tool_call_id: 'call_s1' });
    expect(String(toolMessage?.content)).toContain('ORD-10421');

    const final = expectWellFormedStream(calls);
    expect(final.activity.text).toBe('Your order ORD-10421 has shipped.');
    expect(JSON.stringify(cardsOf(final))).toContain('ORD-10421');
  });

  it('ends the stream clearly when the model fails mid-answer, and sends no second reply', async () => {
    const errorsBefore = await dependencyErrors(t, 'openai');
    llm.script(
      streamed(
        completion({
          content: 'Our opening hours are Monday to Friday, from nine to five, and on Saturdays',
        }),
        {
          chunkChars: 10,
          chunkDelayMs: 300,
          failAfterChunks: 6,
          failure: 'error',
        },
      ),
    );
    const conv = personalConversation(users.alex);
    const calls = await turn(t, conv, 'What are your opening hours?');

    const final = expectWellFormedStream(calls);
    const text = String(final.activity.text);
    expect(text.startsWith('Our opening hours are')).toBe(true);
    expect(text).not.toContain('Saturdays');
    expect(text.endsWith(llmFailureMessage(new LlmFailureError('error')))).toBe(true);
    // The failure is on record: the transcript has the ended answer, the metrics the model error.
    const entries = await t.bot.stores.transcripts.list(conv.id);
    expect(entries.filter((e) => e.kind === 'bot_reply').map((e) => e.text)).toEqual([text]);
    expect(await dependencyErrors(t, 'openai')).toBeGreaterThan(errorsBefore);
  });

  it('a dropped connection before any text still ends the stream with a sentence', async () => {
    llm.script(
      streamed(completion({ content: 'This answer never arrives.' }), {
        failAfterChunks: 1,
        failure: 'disconnect',
      }),
    );
    const calls = await turn(t, personalConversation(users.alex), 'What is the warranty on laptops?');
    const final = expectWellFormedStream(calls);
    expect(final.activity.text).toBe(llmFailureMessage(new LlmFailureError('error')));
  });

  it('a model that times out ends the stream with the apology, and nothing waits for it', async () => {
    llm.script({ ...streamed(completion({ content: 'Far too late.' })), delayMs: 20_000 });
    const started = Date.now();
    const calls = await turn(t, personalConversation(users.alex), 'What is the warranty on laptops?');
    const final = expectWellFormedStream(calls);
    expect(final.activity.text).toBe(llmFailureMessage(new LlmFailureError('error')));
    // The turn ended at the timeout (6 s) plus the stream's throttle, before the model answered (20 s).
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('a stream that stalls after some text is cut at the timeout and ends with the apology', async () => {
    llm.script(
      streamed(completion({ content: 'Laptops carry a two-year warranty, and accessories one year.' }), {
        chunkChars: 8,
        failAfterChunks: 4,
        failure: 'stall',
      }),
    );
    const calls = await turn(t, personalConversation(users.alex), 'What is the warranty on laptops?');
    const final = expectWellFormedStream(calls);
    const text = String(final.activity.text);
    expect(text.startsWith('Laptops carry')).toBe(true);
    expect(text).not.toContain('accessories');
    expect(text.endsWith(llmFailureMessage(new LlmFailureError('error')))).toBe(true);
  });

  it('the user stops the stream (Teams answers 403): the bot sends nothing more, the turn ends', async () => {
    llm.script(
      streamed(completion({ content: 'Laptops carry a two-year warranty, and accessories one year.' }), {
        chunkChars: 6,
        chunkDelayMs: 300,
      }),
    );
    // Teams refuses every update after the informative one, as after a press on Stop.
    t.connector.refuse = (a) =>
      a.channelData?.streamType && a.channelData.streamType !== 'informative' ? 403 : undefined;
    try {
      const calls = await turn(t, personalConversation(users.alex), 'What is the warranty on laptops?');
      const refusedAt = calls.findIndex(
        (c) => channelData(c).streamType === 'streaming' || channelData(c).streamType === 'final',
      );
      expect(refusedAt).toBeGreaterThan(0);
      // No apology as a new message, no further stream activity than the refused one(s).
      expect(calls.filter((c) => !channelData(c).streamType && c.activity.type === 'message')).toEqual([]);
    } finally {
      t.connector.refuse = undefined;
    }
  });

  it('does not stream in a group chat: one whole message, no stream activities', async () => {
    llm.script(completion({ content: 'Refunds to a card take 5 to 10 business days [1].' }));
    const calls = await turn(t, groupChat(), 'How long do card refunds take?');
    expect(llm.requests[0].body.stream).toBeUndefined();
    expect(streamCalls(calls)).toEqual([]);
    expect(calls.filter((c) => c.activity.type === 'typing' && c.activity.text)).toEqual([]);
    const messages = calls.filter((c) => c.activity.type === 'message');
    expect(messages).toHaveLength(1);
    expect(messageEntities(messages[0])[0].citation).toHaveLength(1);
  });
});

describe('streaming with the embedded model', () => {
  let t: BotUnderTest;

  beforeAll(async () => {
    t = await startBotUnderTest(freshKnowledgeIndex('stream-embedded-'));
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('streams a knowledge answer in a 1:1 chat: informative update while retrieving, final with citations', async () => {
    const conv = personalConversation(users.alex);
    const calls = await turn(t, conv, 'How do I return an item?');
    const final = expectWellFormedStream(calls);
    expect(String(final.activity.text)).toMatch(/return/i);
    expect(String(final.activity.text)).toMatch(/\[1\]/);
    const entities = messageEntities(final);
    expect(entities).toHaveLength(1);
    expect(entities[0].additionalType).toEqual(['AIGeneratedContent']);
    expect(entities[0].citation.length).toBeGreaterThanOrEqual(1);
    expect(entities[0].citation[0].appearance.name).toMatch(/return/i);

    const entries = await t.bot.stores.transcripts.list(conv.id);
    expect(entries.filter((e) => e.kind === 'bot_reply').map((e) => e.text)).toEqual([final.activity.text]);
  });

  it('does not stream in a group chat, nor order lookups (a card, as before)', async () => {
    const group = await turn(t, groupChat(), 'How do I return an item?');
    expect(streamCalls(group)).toEqual([]);
    expect(group.filter((c) => c.activity.type === 'message')).toHaveLength(1);

    const order = await turn(t, personalConversation(users.alex), 'where is my order ORD-10421?');
    expect(streamCalls(order)).toEqual([]);
    expect(JSON.stringify(order.flatMap((c) => cardsOf(c)))).toContain('ORD-10421');
  });
});

async function dependencyErrors(t: BotUnderTest, dependency: string): Promise<number> {
  const text = await (await fetch(`${t.bot.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`bot_dependency_errors_total{dependency="${dependency}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}
