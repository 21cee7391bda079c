import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { cardAction, message, personalConversation, users } from '../helpers/activities';
import { cardsOf, findExecuteAction } from '../helpers/cards';
import { completion, startFakeOpenAi, toolCall, type FakeOpenAi } from '../fakes/fakeOpenAi';

/**
 * cancel_order on the LLM path: the local chat-completions peer answers with a scripted
 * cancel_order tool call; the bot shows the confirmation card and the Confirm click cancels.
 */
let llm: FakeOpenAi;
let t: BotUnderTest;

beforeAll(async () => {
  llm = await startFakeOpenAi({ tls: false });
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-cancel-'));
  t = await startBotUnderTest({
    OPENAI_BASE_URL: `${llm.url}/v1`,
    OPENAI_MODEL: 'gpt-test',
    OPENAI_API_KEY: 'test-key',
    KNOWLEDGE_INDEX_PATH: path.join(dir, 'index.json'),
  });
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await llm?.close();
});
beforeEach(() => {
  t.connector.reset();
  llm.requests.length = 0;
});

describe('cancel_order through LLM function calling', () => {
  it('offers the tool, runs the scripted call, shows the confirm card; Confirm cancels the order', async () => {
    llm.script(
      completion({
        tool_calls: [toolCall('call_c1', 'cancel_order', { orderId: 'ORD-10422', reason: 'wrong colour' })],
      }),
      completion({ content: 'Please confirm the cancellation on the card.' }),
    );
    const conv = personalConversation();
    const activity = message(t.connector.url, conv, 'cancel my order ORD-10422, wrong colour');
    expect((await t.post(activity)).status).toBe(200);
    const sent = t.connector.messages(conv.id).filter((c) => c.activityId === activity.id);

    const tools = llm.requests[0].body.tools?.map((x) => x.function.name);
    expect(tools).toContain('cancel_order');
    const toolMessage = llm.requests[1].body.messages.find((m) => m.role === 'tool') as { content?: string };
    expect(toolMessage.content).toMatch(/confirm on the card/);

    const card = cardsOf(sent.find((c) => cardsOf(c).length))[0];
    const confirm = findExecuteAction(card, 'order.cancelConfirm');
    expect(confirm?.data).toMatchObject({ orderId: 'ORD-10422', reason: 'wrong colour' });
    const res = await t.post(cardAction(t.connector.url, conv, 'order.cancelConfirm', confirm!.data));
    expect(JSON.stringify(res.body)).toMatch(/Order ORD-10422 cancelled/);
    const { resource } = await t.bot.stores.containers.orders
      .item('ORD-10422', users.alex.aadObjectId)
      .read();
    expect(resource).toMatchObject({ status: 'cancelled', cancelReason: 'wrong colour' });
  });

  it('feeds a refusal for a shipped order back to the model, with the return offer', async () => {
    llm.script(
      completion({ tool_calls: [toolCall('call_c2', 'cancel_order', { orderId: 'ORD-10421' })] }),
      completion({ content: 'That order has shipped; you can return it once it arrives.' }),
    );
    const conv = personalConversation();
    const activity = message(t.connector.url, conv, 'cancel ORD-10421');
    expect((await t.post(activity)).status).toBe(200);
    const toolMessage = llm.requests[1].body.messages.find((m) => m.role === 'tool') as { content?: string };
    expect(toolMessage.content).toMatch(/can no longer be cancelled.*return/);
    const { resource } = await t.bot.stores.containers.orders
      .item('ORD-10421', users.alex.aadObjectId)
      .read();
    expect(resource?.status).toBe('shipped');
  });
});
