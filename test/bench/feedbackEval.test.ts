import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { feedbackMarkdown, loadFeedback, summarizeFeedback } from '../../bench/eval/feedbackEval';
import { freshKnowledgeIndex, startBotUnderTest } from '../helpers/bot';
import { feedbackInvoke, message, personalConversation, users } from '../helpers/activities';

/**
 * `npm run eval -- --feedback <dir>`: reactions given through the real server are read back from
 * the stopped bot's embedded data directory, with the turns they rate.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'feedback-eval-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('eval: user feedback from a data directory', () => {
  it('counts reactions and lists the worst-rated answers with question, answer, sources and model path', async () => {
    const t = await startBotUnderTest({ EMBEDDED_DATA_DIR: dataDir, ...freshKnowledgeIndex('fb-eval-') });
    try {
      const conv = personalConversation(users.alex);
      const ask = async (text: string) => {
        const activity = message(t.connector.url, conv, text, { user: users.alex });
        expect((await t.post(activity)).status).toBe(200);
        return t.connector
          .messages(conv.id)
          .filter((c) => c.activityId === activity.id)
          .at(-1)!;
      };
      const refunds = await ask('How long do card refunds take to appear on my statement?');
      const shipping = await ask('How much does express shipping cost?');
      const rate = (replyToId: string, reaction: 'like' | 'dislike', text?: string) =>
        t.post(feedbackInvoke(t.connector.url, conv, replyToId, reaction, users.alex, text));
      expect((await rate(refunds.responseId, 'like')).status).toBe(200);
      expect((await rate(shipping.responseId, 'dislike', 'Did not say the price')).status).toBe(200);
    } finally {
      await t.stop();
    }

    const summary = summarizeFeedback(await loadFeedback(dataDir), dataDir);
    expect(summary).toMatchObject({
      reactions: 2,
      likes: 1,
      dislikes: 1,
      withText: 1,
      answersRated: 2,
      members: 1,
    });
    expect(summary.byModelPath).toEqual({ embedded: { likes: 1, dislikes: 1 } });
    expect(summary.worst).toHaveLength(1);
    expect(summary.worst[0]).toMatchObject({
      score: -1,
      question: 'How much does express shipping cost?',
      modelPath: 'embedded',
      comments: ['Did not say the price'],
    });
    expect(summary.worst[0]!.answer).toBeTruthy();
    expect(summary.worst[0]!.sources.join(' ')).toMatch(/shipping/i);

    const md = feedbackMarkdown(summary).join('\n');
    expect(md).toContain('2 reactions (1 👍, 1 👎');
    expect(md).toMatch(
      /Worst-rated answers[\s\S]*How much does express shipping cost\?[\s\S]*Did not say the price/,
    );
    expect(feedbackMarkdown(undefined).join('\n')).toMatch(/--feedback/);
  }, 120_000); // starts a bot and runs turns: slow on a loaded machine

  it('names a missing data directory', async () => {
    await expect(loadFeedback(join(dataDir, 'nope'))).rejects.toThrow(/no such data directory/);
  });
});
