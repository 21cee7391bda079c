import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { cardAction, message, personalConversation } from '../helpers/activities';

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
});
