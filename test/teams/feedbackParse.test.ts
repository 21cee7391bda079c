import { describe, expect, it } from 'vitest';
import { parseFeedback } from '../../src/teams/feedbackRoute';

describe('parseFeedback (the message/submitAction value Teams sends)', () => {
  const value = (reaction: string, feedback: unknown) => ({
    actionName: 'feedback',
    actionValue: { reaction, feedback },
  });

  it('reads the reaction and the text from the JSON string Teams sends', () => {
    expect(parseFeedback(value('like', '{"feedbackText":" Very helpful "}'), 'r1')).toEqual({
      reaction: 'like',
      text: 'Very helpful',
      replyToId: 'r1',
    });
    expect(parseFeedback(value('dislike', { feedbackText: 'wrong' }), 'r1')?.text).toBe('wrong');
    expect(parseFeedback(value('dislike', '{}'), 'r1')).toEqual({ reaction: 'dislike', replyToId: 'r1' });
    expect(parseFeedback(value('like', 'plain words'), 'r1')?.text).toBe('plain words');
  });

  it('refuses unknown reactions and a malformed answer id', () => {
    expect(parseFeedback(value('love', '{}'), 'r1')).toBeUndefined();
    expect(parseFeedback(undefined, 'r1')).toBeUndefined();
    expect(parseFeedback(value('like', '{}'), 42)).toBeUndefined();
    expect(parseFeedback(value('like', '{}'), 'x'.repeat(513))).toBeUndefined();
  });

  it('returns a missing answer id as absent (the Agents Playground sends none)', () => {
    expect(parseFeedback(value('like', '{}'), undefined)).toEqual({ reaction: 'like' });
    expect(parseFeedback(value('dislike', '{"feedbackText":"no"}'), '')).toEqual({
      reaction: 'dislike',
      text: 'no',
    });
  });
});
