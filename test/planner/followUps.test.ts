import { describe, expect, it } from 'vitest';
import { answerCacheKey } from '../../src/knowledge/answerCache';
import { FOLLOW_UP_WINDOW_MS, isFollowUp } from '../../src/knowledge/followUp';
import {
  answerWithFollowUp,
  type FollowUpTopic,
  type KnowledgeAnswerer,
  type KnowledgeReply,
} from '../../src/planner/knowledgeAnswerer';

/** An answerer that answers everything, recording the context it was given. */
function recording() {
  const calls: { question: string; previous?: string }[] = [];
  const inner: KnowledgeAnswerer = {
    retrieve: async () => [],
    answer: async (_user, question, _audience, previous) => {
      calls.push({ question, previous });
      return {
        kind: 'answer',
        text: `about ${previous ?? question}`,
        citations: [],
      } satisfies KnowledgeReply;
    },
  };
  return { calls, inner };
}

/** A conversation's follow-up state as the embedded model keeps it: the topic and when it was answered. */
function conversation(inner: KnowledgeAnswerer) {
  let topic: FollowUpTopic | undefined;
  return async (question: string, now = Date.now()) => {
    const r = await answerWithFollowUp(inner, 'u1', question, 'private', topic, now);
    if (r.topic) topic = { question: r.topic, at: new Date(now).toISOString() };
    return r.reply;
  };
}

describe('follow-up questions', () => {
  it('knows follow-up wording from a new question', () => {
    for (const q of [
      'and on Saturdays?',
      'What about Canada?',
      'what if it is broken too?',
      'same for gift cards',
    ])
      expect(isFollowUp(q), q).toBe(true);
    for (const q of ['how long do refunds take?', 'What is the return window for shoes?', ''])
      expect(isFollowUp(q), q).toBe(false);
  });

  it('passes the last answered question as context, and keeps the first topic', async () => {
    const { calls, inner } = recording();
    const ask = conversation(inner);
    await ask('how long does standard shipping take?');
    await ask('and to Canada?');
    await ask('and to Mexico?');
    expect(calls.slice(1)).toEqual([
      { question: 'and to Canada?', previous: 'how long does standard shipping take?' },
      { question: 'and to Mexico?', previous: 'how long does standard shipping take?' },
    ]);
  });

  it('gives no context to a new question or after the window, and falls back to the question alone', async () => {
    const { calls, inner } = recording();
    const ask = conversation(inner);
    const start = Date.now();
    await ask('how long do card refunds take?', start);
    await ask('can I return shoes?', start);
    expect(calls[1]).toEqual({ question: 'can I return shoes?', previous: undefined });
    await ask('and boots?', start + FOLLOW_UP_WINDOW_MS + 1);
    expect(calls[2]).toEqual({ question: 'and boots?', previous: undefined });
  });

  it('answers a follow-up alone when its context finds nothing', async () => {
    const calls: (string | undefined)[] = [];
    const ask = conversation({
      retrieve: async () => [],
      answer: async (_user, question, _audience, previous) => {
        calls.push(previous);
        return previous ? { kind: 'notFound' } : { kind: 'answer', text: question, citations: [] };
      },
    });
    await ask('how long do card refunds take?');
    expect(await ask('and for PayPal?')).toMatchObject({ kind: 'answer', text: 'and for PayPal?' });
    expect(calls).toEqual([undefined, 'how long do card refunds take?', undefined]);
  });

  it('keeps nothing when nothing was answered', async () => {
    const r = await answerWithFollowUp(
      { retrieve: async () => [], answer: async () => ({ kind: 'notFound' }) },
      'u1',
      'what is the meaning of life?',
      'private',
      undefined,
    );
    expect(r).toEqual({ reply: { kind: 'notFound' }, topic: undefined });
  });

  it('keys a cached follow-up answer with the question it leans on', () => {
    const base = {
      question: 'and on Sundays?',
      audience: 'private',
      groups: ['everyone'],
      indexVersion: 'v',
    };
    expect(answerCacheKey(base)).not.toBe(answerCacheKey({ ...base, previousQuestion: 'store hours?' }));
    expect(answerCacheKey({ ...base, previousQuestion: 'store hours?' })).not.toBe(
      answerCacheKey({ ...base, previousQuestion: 'phone support hours?' }),
    );
  });
});
