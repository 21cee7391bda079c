import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { groupChat, personalConversation, users } from '../helpers/activities';
import type { ConnectorCall } from '../helpers/connector';

/**
 * Two questions for the documents in one message (issue #12: "two requests in one message both
 * handled"): both are answered, the second introduced as the other request, each sentence cited
 * with numbers that match the citation entities. Through the real server in embedded mode.
 */
let t: BotUnderTest;

beforeAll(async () => {
  t = await startBotUnderTest({
    ...freshKnowledgeIndex('kb-two-questions-'),
    RATE_LIMIT_USER_PER_MIN: '1000',
  });
}, 120_000);
afterAll(async () => {
  await t?.stop();
});
beforeEach(() => t.connector.reset());

const replyOf = (calls: ConnectorCall[]) => calls.find((c) => String(c.activity.text ?? '').trim())!.activity;
const citationsOf = (activity: ConnectorCall['activity']) =>
  (activity.entities ?? []).flatMap((e: any) => e.citation ?? []) as {
    position: number;
    appearance: { name: string };
  }[];

describe('two questions for the documents in one message', () => {
  it('a password question and a VPN question both get their answer, cited from the IT guide', async () => {
    const reply = replyOf(
      await t.say(
        personalConversation(users.bea),
        'how can I change my password, and do we need the vpn for outlook?',
        users.bea,
      ),
    );
    const text = String(reply.text);
    const [first, second] = text.split('About your other request:');
    expect(first).toMatch(/password/i);
    expect(first).not.toMatch(/VPN/);
    expect(second).toMatch(/work without VPN/);
    const markers = [...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    const positions = citationsOf(reply).map((c) => c.position);
    expect(new Set(markers)).toEqual(new Set(positions));
    expect(citationsOf(reply).every((c) => /IT support/i.test(c.appearance.name))).toBe(true);
  });

  it('questions on two documents: the return window and shipping abroad, each cited from its own document', async () => {
    const reply = replyOf(
      await t.say(personalConversation(), 'how long is the return window? also do you ship to france'),
    );
    const text = String(reply.text);
    const [first, second] = text.split('About your other request:');
    expect(first).toMatch(/within 30 days of delivery/);
    expect(second).toMatch(/International orders are shipped/);
    const names = citationsOf(reply).map((c) => c.appearance.name);
    expect(names.some((n) => /Returns/i.test(n))).toBe(true);
    expect(names.some((n) => /Shipping/i.test(n))).toBe(true);
    expect(names.length).toBe(new Set(citationsOf(reply).map((c) => c.position)).size);
  });

  it('in a group chat, the restricted answer is not posted for either question', async () => {
    // Bea (HR) asks about her leave and the return window where others read along.
    const conv = groupChat();
    const calls = await t.say(
      conv,
      'how many vacation days do I get and what is the return window?',
      users.bea,
    );
    const posted = calls.filter((c) => c.activity.conversation?.id === conv.id);
    expect(posted.length).toBeGreaterThan(0);
    for (const c of posted) expect(JSON.stringify(c.activity)).not.toMatch(/25 days of paid annual leave/);
  });
});
