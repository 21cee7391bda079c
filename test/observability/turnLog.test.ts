import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { message, personalConversation, users } from '../helpers/activities';
import { logger } from '../../src/observability/logger';
import { correlationFields } from '../../src/observability/correlation';

/** One log line per turn through the real server: outcome, intent, tools and duration, never text. */
let t: BotUnderTest;

beforeAll(async () => {
  t = await startBotUnderTest(freshKnowledgeIndex('turnlog-'));
}, 120_000);
afterAll(async () => {
  vi.restoreAllMocks();
  await t?.stop();
});

describe('per-turn log line', () => {
  it('names the intent and the tools a turn called, with its duration', async () => {
    const info = vi.spyOn(logger, 'info');
    const conv = personalConversation(users.alex);
    const activity = message(t.connector.url, conv, 'Where is order ORD-10421?', { user: users.alex });
    expect((await t.post(activity)).status).toBe(200);
    const lines = info.mock.calls.filter(([, msg]) => msg === 'turn').map(([fields]) => fields as any);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ outcome: 'ok', intent: 'order_status', tools: ['get_order_status'] });
    expect(typeof lines[0].ms).toBe('number');
    // The logger's activity serializer writes only correlation fields: no message text lands in the line.
    const written = { ...lines[0], activity: correlationFields(lines[0].activity) };
    expect(JSON.stringify(written)).not.toContain('ORD-10421');
    info.mockRestore();
  });

  it('names a refused tool call with its outcome', async () => {
    const info = vi.spyOn(logger, 'info');
    const conv = personalConversation(users.alex);
    // ORD-10430 is Bea's: Alex gets the unknown-order answer, and the log says not_found.
    await t.post(message(t.connector.url, conv, 'Where is order ORD-10430?', { user: users.alex }));
    const line = info.mock.calls.find(([, msg]) => msg === 'turn')?.[0] as any;
    expect(line.tools).toEqual(['get_order_status:not_found']);
    info.mockRestore();
  });
});
