import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { cardAction, message, personalConversation, users } from '../helpers/activities';

/** Card clicks that cannot be served still get an error card (not HTTP 501 not_implemented). */
let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest({ RATE_LIMIT_USER_PER_MIN: '1' });
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

describe('card-click failures', () => {
  it('a card click over the rate limit gets an error card as its invoke response', async () => {
    const conv = personalConversation();
    expect((await t.post(message(t.connector.url, conv, 'help'))).status).toBe(200);
    const res = await t.post(cardAction(t.connector.url, conv, 'ticket.confirm', { draftId: 'x', sig: 'y' }));
    expect(res.status).toBe(200);
    const body = res.body as { statusCode?: number; type?: string; value?: unknown };
    expect(body.statusCode).toBe(200);
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(body.value)).toMatch(/faster than I can answer/);
  });

  it('the rate-limit reply is in the language of the message (Chinese text), before any model ran', async () => {
    const conv = personalConversation(users.bea);
    expect((await t.post(message(t.connector.url, conv, '你好', { user: users.bea }))).status).toBe(200);
    const over = message(t.connector.url, conv, '查一下订单 ORD-10430', { user: users.bea });
    expect((await t.post(over)).status).toBe(200);
    const reply = t.connector.messages(conv.id).find((c) => c.activityId === over.id);
    expect(String(reply?.activity.text)).toBe('您发送消息的速度超过了我的回复速度。请等几秒钟再试。');
  });

  it('a card click from a zh-CN client over the limit gets a Chinese error card; English stays English', async () => {
    const conv = personalConversation(users.carl);
    expect((await t.post(message(t.connector.url, conv, 'help', { user: users.carl }))).status).toBe(200);
    const click = {
      ...cardAction(t.connector.url, conv, 'ticket.confirm', { draftId: 'x', sig: 'y' }, users.carl),
      locale: 'zh-CN',
    };
    const body = JSON.stringify((await t.post(click)).body);
    expect(body).toContain('您发送消息的速度超过了我的回复速度');
    expect(body).toContain('操作未成功');
    expect(body).not.toMatch(/faster than I can answer/);
  });
});
