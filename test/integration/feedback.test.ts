import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import {
  feedbackInvoke,
  groupChat,
  message,
  personalConversation,
  users,
  type ConversationRef,
  type TestUser,
} from '../helpers/activities';
import type { ConnectorCall } from '../helpers/connector';

/**
 * Thumbs up/down under AI answers and sensitivity labels, through the real server (embedded model):
 * the answer carries `channelData.feedbackLoopEnabled`, a feedback invoke is stored with the
 * answered turn's transcript (read back from the store), a second click replaces the first, only
 * someone who could see the answer may rate it, and `bot_feedback_total` counts the reactions.
 */
let t: BotUnderTest;

beforeAll(async () => {
  t = await startBotUnderTest(freshKnowledgeIndex('feedback-kb-'));
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

const REFUND_QUESTION = 'How long do card refunds take to appear on my statement?';
const LEAVE_QUESTION = 'How many days of annual leave do I get per year?';

async function ask(conv: ConversationRef, text: string, user: TestUser = users.alex) {
  const activity = message(t.connector.url, conv, text, { user, mention: conv.kind !== 'personal' });
  expect((await t.post(activity)).status).toBe(200);
  const sent = t.connector.messages(conv.id).filter((c) => c.activityId === activity.id);
  const answer = sent.at(-1) as ConnectorCall;
  const entity = (answer.activity.entities ?? []).find((e: any) => e.type === 'https://schema.org/Message');
  return { activity, answer, entity };
}

async function rate(
  conv: ConversationRef,
  replyToId: string,
  reaction: 'like' | 'dislike',
  user: TestUser = users.alex,
  text?: string,
) {
  return t.post(feedbackInvoke(t.connector.url, conv, replyToId, reaction, user, text));
}

async function feedbackCount(reaction: 'like' | 'dislike'): Promise<number> {
  const body = await (await fetch(`${t.bot.url}/metrics`)).text();
  const m = new RegExp(`^bot_feedback_total\\{reaction="${reaction}"\\} (\\d+)`, 'm').exec(body);
  return m ? Number(m[1]) : 0;
}

async function feedbackEntries(conv: ConversationRef) {
  return (await t.bot.stores.transcripts.list(conv.id)).filter((e) => e.kind === 'feedback');
}

describe('feedback loop', () => {
  it('turns the feedback buttons on for an AI answer', async () => {
    const conv = personalConversation(users.alex);
    const { answer, entity } = await ask(conv, REFUND_QUESTION);
    expect(answer.activity.text).toContain('5 to 10 business days');
    expect(answer.activity.channelData?.feedbackLoopEnabled).toBe(true);
    expect(entity.additionalType).toContain('AIGeneratedContent');
  });

  it('stores a reaction with the answered turn, updates it on a second click and counts both', async () => {
    const conv = personalConversation(users.alex);
    const { activity, answer } = await ask(conv, REFUND_QUESTION);
    const likesBefore = await feedbackCount('like');
    const dislikesBefore = await feedbackCount('dislike');

    const first = await rate(conv, answer.responseId, 'like', users.alex, 'Clear and quick');
    expect(first.status).toBe(200);
    let stored = await feedbackEntries(conv);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      kind: 'feedback',
      activityId: activity.id,
      userAadObjectId: users.alex.aadObjectId,
      feedback: { reaction: 'like', text: 'Clear and quick', replyActivityId: answer.responseId },
    });
    const firstAt = stored[0]!.feedback!.firstAt;

    // The entry links to the whole turn: question, answer, cited sources and model path.
    const turn = await t.bot.stores.transcripts.findTurnByReply(conv.id, answer.responseId);
    expect(turn?.activityId).toBe(activity.id);
    const kinds = turn!.entries.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['user_message', 'bot_reply', 'citation']));
    expect(turn!.entries.find((e) => e.kind === 'user_message')?.text).toBe(REFUND_QUESTION);
    expect(turn!.entries.find((e) => e.kind === 'bot_reply')).toMatchObject({
      replyActivityId: answer.responseId,
      modelPath: 'embedded',
      feedbackLoop: true,
      text: answer.activity.text,
    });
    expect(turn!.entries.find((e) => e.kind === 'citation')?.citations?.[0]?.title).toMatch(/return/i);

    const second = await rate(conv, answer.responseId, 'dislike');
    expect(second.status).toBe(200);
    stored = await feedbackEntries(conv);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.feedback).toMatchObject({ reaction: 'dislike', firstAt });
    expect(stored[0]!.feedback!.text).toBeUndefined();

    expect(await feedbackCount('like')).toBe(likesBefore + 1);
    expect(await feedbackCount('dislike')).toBe(dislikesBefore + 1);

    const all = await t.bot.stores.transcripts.listFeedback();
    const record = all.find((r) => r.feedback.feedback.replyActivityId === answer.responseId);
    expect(record?.turn?.entries.some((e) => e.kind === 'user_message' && e.text === REFUND_QUESTION)).toBe(
      true,
    );
  });

  it("refuses a stranger's reaction in someone else's 1:1 chat and stores nothing", async () => {
    const conv = personalConversation(users.alex);
    const { answer } = await ask(conv, REFUND_QUESTION);
    const dislikesBefore = await feedbackCount('dislike');
    const res = await rate(conv, answer.responseId, 'dislike', users.bea);
    expect(res.status).toBe(403);
    expect(await feedbackEntries(conv)).toHaveLength(0);
    expect(await feedbackCount('dislike')).toBe(dislikesBefore);
  });

  it('refuses a reaction on an activity that is no stored AI answer, and malformed feedback', async () => {
    const conv = personalConversation(users.alex);
    await ask(conv, REFUND_QUESTION);
    expect((await rate(conv, 'reply-does-not-exist', 'like')).status).toBe(404);
    const bad = feedbackInvoke(t.connector.url, conv, 'reply-1', 'like');
    (bad.value.actionValue as { reaction: string }).reaction = 'love';
    expect((await t.post(bad)).status).toBe(400);
    expect(await feedbackEntries(conv)).toHaveLength(0);
  });

  it("without replyToId (as the Agents Playground sends it) rates the 1:1 chat's latest answer, marked inferred", async () => {
    const conv = personalConversation(users.alex);
    const { answer: older } = await ask(conv, REFUND_QUESTION);
    const { activity, answer: latest } = await ask(conv, 'What are your opening hours?');
    expect(latest.activity.channelData?.feedbackLoopEnabled).toBe(true);
    // An order card afterwards offers no buttons, so it is not the one rated.
    await ask(conv, 'where is my order ORD-10421?');
    const likesBefore = await feedbackCount('like');

    const invoke = feedbackInvoke(t.connector.url, conv, '', 'like', users.alex, 'helpful');
    delete (invoke as { replyToId?: string }).replyToId;
    expect((await t.post(invoke)).status).toBe(200);

    const stored = await feedbackEntries(conv);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      activityId: activity.id,
      userAadObjectId: users.alex.aadObjectId,
      feedback: {
        reaction: 'like',
        text: 'helpful',
        replyActivityId: latest.responseId,
        answerInferred: true,
      },
    });
    expect(stored[0]!.feedback!.replyActivityId).not.toBe(older.responseId);
    expect(await feedbackCount('like')).toBe(likesBefore + 1);
    // Still only the asker: someone else's click without an id is refused.
    const stranger = feedbackInvoke(t.connector.url, conv, '', 'dislike', users.bea);
    delete (stranger as { replyToId?: string }).replyToId;
    expect((await t.post(stranger)).status).toBe(403);
  });

  it('without replyToId refuses in a shared conversation (which answer is ambiguous) and in a chat with no answer', async () => {
    const group = groupChat();
    t.connector.setMembers(group.id, [users.alex]);
    await ask(group, REFUND_QUESTION, users.alex);
    const inGroup = feedbackInvoke(t.connector.url, group, '', 'like', users.alex);
    delete (inGroup as { replyToId?: string }).replyToId;
    expect((await t.post(inGroup)).status).toBe(400);
    expect(await feedbackEntries(group)).toHaveLength(0);

    const empty = personalConversation(users.alex);
    const inEmpty = feedbackInvoke(t.connector.url, empty, '', 'like', users.alex);
    delete (inEmpty as { replyToId?: string }).replyToId;
    expect((await t.post(inEmpty)).status).toBe(404);
  });

  it('in a group chat accepts members of the roster and refuses anyone else', async () => {
    const conv = groupChat();
    t.connector.setMembers(conv.id, [users.alex, users.dana]);
    const { answer } = await ask(conv, REFUND_QUESTION, users.alex);
    expect(answer.activity.channelData?.feedbackLoopEnabled).toBe(true);

    expect((await rate(conv, answer.responseId, 'like', users.dana)).status).toBe(200);
    expect((await rate(conv, answer.responseId, 'dislike', users.bea)).status).toBe(403);
    const stored = await feedbackEntries(conv);
    expect(stored.map((e) => [e.userAadObjectId, e.feedback?.reaction])).toEqual([
      [users.dana.aadObjectId, 'like'],
    ]);
  });
});

describe('sensitivity labels', () => {
  it('labels an HR answer (1:1 with an HR user) on the message and on the citation', async () => {
    const conv = personalConversation(users.bea);
    const { answer, entity } = await ask(conv, LEAVE_QUESTION, users.bea);
    expect(answer.activity.text).toContain('25 days');
    expect(entity.usageInfo).toMatchObject({
      type: 'https://schema.org/Message',
      '@type': 'CreativeWork',
      name: 'Confidential – HR',
    });
    expect(entity.citation[0].appearance.usageInfo?.name).toBe('Confidential – HR');
    // The transcript keeps which label the cited source carried.
    const turn = await t.bot.stores.transcripts.findTurnByReply(conv.id, answer.responseId);
    expect(turn!.entries.find((e) => e.kind === 'citation')?.citations?.[0]?.sensitivity).toBe(
      'Confidential – HR',
    );
  });

  it('puts no label on an answer from a public document', async () => {
    const conv = personalConversation(users.bea);
    const { entity } = await ask(conv, REFUND_QUESTION, users.bea);
    expect(entity.citation.length).toBeGreaterThan(0);
    expect(entity.usageInfo).toBeUndefined();
    expect(entity.citation.every((c: any) => c.appearance.usageInfo === undefined)).toBe(true);
  });
});
