import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { groupChat, message, personalConversation, users, type ConversationRef } from '../helpers/activities';
import { hasCardAction, shownText } from '../helpers/cards';

/**
 * Follow-ups a person types after a card or a question, found by trying the bot as a customer:
 * "yes" after a draft (the card's Confirm is the confirmation, so the bot points to it and files
 * nothing), an order described as "the monitor one" while the bot asks which order, and a Chinese
 * return whose order number the classifier reads as a cancellation.
 */
let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest({ RATE_LIMIT_USER_PER_MIN: '10000' });
}, 120_000);
afterAll(async () => {
  await t?.stop();
});
beforeEach(() => t.connector.reset());

const shown = shownText;
const say = async (conv: ConversationRef, text: string) => t.say(conv, text);
const PRESS_CONFIRM = /press \*\*Confirm\*\* on the card/;

async function ticketsIn(conv: ConversationRef) {
  const { resources } = await t.bot.stores.containers.tickets.items
    .query({
      query: "SELECT * FROM c WHERE c.type = 'ticket' AND c.conversationId = @cid",
      parameters: [{ name: '@cid', value: conv.id }],
    })
    .fetchAll();
  return resources;
}

describe('agreement typed after a card that waits for Confirm', () => {
  it('"yes" after a ticket draft points to the card and files nothing', async () => {
    const conv = personalConversation();
    expect(
      hasCardAction(await say(conv, 'open a ticket: my headphones stopped working'), 'ticket.confirm'),
    ).toBe(true);
    for (const reply of ['yes', 'ok go ahead', 'yes please']) {
      t.connector.reset();
      expect(shown(await say(conv, reply)), reply).toMatch(PRESS_CONFIRM);
    }
    // The draft is stored as a draft; nothing was filed.
    expect((await ticketsIn(conv)).map((d) => d.status)).toEqual(['draft']);
  });

  it('"ok go ahead with the return" after a return card points to it instead of asking for an order', async () => {
    const conv = personalConversation();
    expect(
      hasCardAction(await say(conv, 'I want to return ORD-10388, it is too small'), 'order.returnConfirm'),
    ).toBe(true);
    const sent = await say(conv, 'ok go ahead with the return');
    expect(shown(sent)).toMatch(PRESS_CONFIRM);
    expect(shown(sent)).not.toMatch(/Which order/);
  });

  it('"yes" with no card before it is not answered with the Confirm hint', async () => {
    expect(shown(await say(personalConversation(), 'yes'))).not.toMatch(PRESS_CONFIRM);
  });

  it('"yes" after a refusal (no card was shown) is not answered with the Confirm hint', async () => {
    const conv = personalConversation();
    // ORD-10388 is delivered: cancelling is refused with a sentence, no confirmation card.
    const refused = await say(conv, 'cancel my order ORD-10388');
    expect(hasCardAction(refused, 'order.cancelConfirm')).toBe(false);
    expect(shown(await say(conv, 'yes'))).not.toMatch(PRESS_CONFIRM);
  });

  it('the hint is per member: another member of a group chat saying "yes" is not told to press Confirm', async () => {
    const conv = groupChat();
    const alex = await t.post(
      message(t.connector.url, conv, 'open a ticket: my printer jams on every page', { mention: true }),
    );
    expect(alex.status).toBe(200);
    t.connector.reset();
    const bea = message(t.connector.url, conv, 'yes', { user: users.bea, mention: true });
    expect((await t.post(bea)).status).toBe(200);
    const replies = t.connector.messages(conv.id).filter((c) => c.activityId === bea.id);
    expect(replies.length).toBeGreaterThan(0);
    expect(shown(replies)).not.toMatch(PRESS_CONFIRM);
    t.connector.reset();
    const again = message(t.connector.url, conv, 'yes', { mention: true });
    expect((await t.post(again)).status).toBe(200);
    expect(shown(t.connector.messages(conv.id).filter((c) => c.activityId === again.id))).toMatch(
      PRESS_CONFIRM,
    );
  });
});

describe('orders named by what is in them while the bot asks which one', () => {
  it('"the monitor one" answers "Which order number?" with Alex\'s monitor order', async () => {
    const conv = personalConversation();
    expect(shown(await say(conv, 'wheres my stuff'))).toMatch(/Which order number/);
    const sent = await say(conv, 'the monitor one');
    expect(shown(sent)).toContain('ORD-10422');
    expect(shown(sent)).not.toMatch(/IT catalogue/);
  });
});

describe('a Chinese return whose order number comes in the next message', () => {
  it('我想退货 → 订单 ORD-10388 goes on with the return (asks why), not the cancellation refusal', async () => {
    const conv = personalConversation();
    await say(conv, '我想退货');
    const sent = await say(conv, '订单 ORD-10388');
    expect(shown(sent)).not.toMatch(/can no longer be cancelled/);
    expect(shown(sent)).toMatch(/ORD-10388/);
    // The return goes on: the reason question or, with a reason, the confirmation card.
    const card = hasCardAction(sent, 'order.returnConfirm') ? sent : await say(conv, '尺码太小了');
    expect(hasCardAction(card, 'order.returnConfirm'), shown(card)).toBe(true);
  });
});

describe('"it" right after an order reply is that order', () => {
  it('"can u cancel it" after the monitor order cancels that order (on a confirmation card)', async () => {
    const conv = personalConversation();
    expect(shown(await say(conv, 'where is ORD-10422'))).toContain('ORD-10422');
    const sent = await say(conv, 'can u cancel it');
    expect(hasCardAction(sent, 'order.cancelConfirm'), shown(sent)).toBe(true);
    expect(shown(sent)).toContain('ORD-10422');
  });

  it('"it is too small, can I return it?" after a delivered order starts its return', async () => {
    const conv = personalConversation();
    await say(conv, 'status of ORD-10388');
    const sent = await say(conv, 'it is too small, can I return it?');
    expect(hasCardAction(sent, 'order.returnConfirm'), shown(sent)).toBe(true);
    expect(shown(sent)).toContain('ORD-10388');
  });

  it('"how do I return it?" stays a question for the documents', async () => {
    const conv = personalConversation();
    await say(conv, 'status of ORD-10388');
    const sent = await say(conv, 'how do I return it?');
    expect(hasCardAction(sent, 'order.returnConfirm')).toBe(false);
  });

  it('"cancel it" with nothing shown before is not an order cancellation', async () => {
    const sent = await say(personalConversation(), 'cancel it');
    expect(hasCardAction(sent, 'order.cancelConfirm')).toBe(false);
  });
});

describe('questions whose words sound like an action', () => {
  it.each(['星期天能打电话找客服吗', 'can I call customer service on Sunday?'])(
    '"%s" asks about support hours: answered from the documents, no handoff ticket',
    async (question) => {
      const conv = personalConversation();
      const sent = await say(conv, question);
      expect(shown(sent)).not.toMatch(/TKT-\d{6}/);
      expect(shown(sent)).toMatch(/1-800-555-0142|电话|Phone/);
      const { resources } = await t.bot.stores.containers.tickets.items
        .query({
          query: 'SELECT * FROM c WHERE c.conversationId = @cid',
          parameters: [{ name: '@cid', value: conv.id }],
        })
        .fetchAll();
      expect(resources).toHaveLength(0);
    },
  );

  it('转人工 (no question) still hands over to a person', async () => {
    expect(shown(await say(personalConversation(), '转人工'))).toMatch(/TKT-\d{6}/);
  });

  it('礼品卡能不能退掉 asks whether gift cards are returnable: answered, no return flow', async () => {
    const sent = await say(personalConversation(), '礼品卡能不能退掉');
    expect(shown(sent)).not.toMatch(/Which order/);
    expect(shown(sent)).toMatch(/礼品卡|gift card/i);
  });

  it('怎么退货? is answered with the steps of the Chinese returns document, cited', async () => {
    const sent = await say(personalConversation(), '怎么退货?');
    const text = sent.map((c) => String(c.activity.text ?? '')).join('\n');
    expect(text).toMatch(/1\. 登录您的账户/);
    expect(text).toMatch(/4\. 在打印标签后 14 天内/);
    expect(JSON.stringify(sent.map((c) => c.activity.entities))).toContain('退货和退款政策');
  });
});
