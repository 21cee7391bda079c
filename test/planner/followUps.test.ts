import { afterEach, describe, expect, it, vi } from 'vitest';
import { answerCacheKey } from '../../src/knowledge/answerCache';
import { FOLLOW_UP_WINDOW_MS, isFollowUp } from '../../src/knowledge/followUp';
import {
  withFollowUps,
  type KnowledgeAnswerer,
  type KnowledgeReply,
} from '../../src/planner/knowledgeAnswerer';

/** An answerer that answers everything but `unanswered`, recording the context it was given. */
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
  return { calls, answerer: withFollowUps(inner) };
}

afterEach(() => {
  vi.useRealTimers();
});

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

  it('passes the last answered question of the same asker as context, and keeps the first topic', async () => {
    const { calls, answerer } = recording();
    await answerer.answer('u1', 'how long does standard shipping take?');
    await answerer.answer('u2', 'what is the return window?');
    await answerer.answer('u1', 'and to Canada?');
    await answerer.answer('u1', 'and to Mexico?');
    expect(calls.slice(2)).toEqual([
      { question: 'and to Canada?', previous: 'how long does standard shipping take?' },
      { question: 'and to Mexico?', previous: 'how long does standard shipping take?' },
    ]);
  });

  it('gives no context to a new question or after the window, and falls back to the question alone', async () => {
    vi.useFakeTimers();
    const { calls, answerer } = recording();
    await answerer.answer('u1', 'how long do card refunds take?');
    await answerer.answer('u1', 'can I return shoes?');
    expect(calls[1]).toEqual({ question: 'can I return shoes?', previous: undefined });
    vi.setSystemTime(Date.now() + FOLLOW_UP_WINDOW_MS + 1);
    await answerer.answer('u1', 'and boots?');
    expect(calls[2]).toEqual({ question: 'and boots?', previous: undefined });
  });

  it('answers a follow-up alone when its context finds nothing', async () => {
    const calls: (string | undefined)[] = [];
    const answerer = withFollowUps<KnowledgeAnswerer>({
      retrieve: async () => [],
      answer: async (_user, question, _audience, previous) => {
        calls.push(previous);
        return previous ? { kind: 'notFound' } : { kind: 'answer', text: question, citations: [] };
      },
    });
    await answerer.answer('u3', 'how long do card refunds take?');
    expect(await answerer.answer('u3', 'and for PayPal?')).toMatchObject({
      kind: 'answer',
      text: 'and for PayPal?',
    });
    expect(calls).toEqual([undefined, 'how long do card refunds take?', undefined]);
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
