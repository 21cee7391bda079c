import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { groupChat, personalConversation } from '../helpers/activities';
import { shownText } from '../helpers/cards';

/** A Chinese turn gets Chinese refusals and shared-chat lines, and the thread still hears no status. */
let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest({ RATE_LIMIT_USER_PER_MIN: '10000' });
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

const HAN = /\p{Script=Han}/u;

describe('Chinese refusals and shared-chat lines', () => {
  it('cancelling a shipped order is refused in Chinese, with the return offer', async () => {
    const reply = shownText(await t.say(personalConversation(), '取消订单 ORD-10421'));
    expect(reply).toContain('无法再取消');
    expect(reply).toContain('退货');
    expect(reply).not.toMatch(/can no longer be cancelled/);
  });

  it('an order looked up in a group chat: a Chinese pointer to the 1:1 chat, no status', async () => {
    const calls = await t.say(groupChat(), 'ORD-10421 到哪了');
    const text = shownText(calls);
    expect(text).toMatch(/^ORD-10421:/);
    expect(text).toContain('1:1 聊天');
    expect(text).not.toMatch(/已发货|shipped/i);
  });

  it('a cancellation asked for in a group chat points to the 1:1 chat in Chinese', async () => {
    const text = shownText(await t.say(groupChat(), '取消订单 ORD-10422'));
    expect(text).toContain('要取消 ORD-10422');
    expect(text).toMatch(HAN);
    expect(text).not.toMatch(/ask me in a 1:1 chat/);
  });

  it('a Chinese question answered from an English-only document says so; one with a Chinese document does not', async () => {
    const fromEnglish = await t.say(personalConversation(), 'VPN 怎么连接?');
    expect(shownText(fromEnglish)).toMatch(/^以下答案来自英文文档/);
    expect(shownText(fromEnglish)).toContain('VPN');
    const fromChinese = shownText(await t.say(personalConversation(), '怎么退货?'));
    expect(fromChinese).toMatch(HAN);
    expect(fromChinese).not.toContain('英文文档');
  });
});
