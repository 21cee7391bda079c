import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import {
  activityOfType,
  cardAction,
  message,
  personalConversation,
  users,
  type ConversationRef,
  type TestUser,
} from '../helpers/activities';
import type { ConnectorCall } from '../helpers/connector';
import { cardsOf, findExecuteAction, shownText } from '../helpers/cards';
import { ME_COMMANDS } from '../../src/teams/messageExtension';

/**
 * The surfaces localised last, through the real server in embedded mode, for a Chinese user: card
 * clicks that are refused, the returns policy's refusals, the frustration offer, the delivery
 * candidates, the attachment note, the message extension from a zh-CN client. English users get
 * the English they always had.
 */
let t: BotUnderTest;
const BEA = users.bea.aadObjectId;
const DAY = 24 * 3600 * 1000;

beforeAll(async () => {
  t = await startBotUnderTest(freshKnowledgeIndex('kb-zh-surfaces-'));
  // A delivered order of Bea's with only a gift card: the returns policy excludes it.
  await t.bot.stores.containers.orders.items.upsert({
    id: 'ORD-31001',
    ownerAadObjectId: BEA,
    customerName: 'Bea Hansen',
    status: 'delivered',
    currency: 'EUR',
    items: [
      { sku: 'GC-25', name: 'Contoso gift card 25 EUR', quantity: 1, price: 25, category: 'gift_card' },
    ],
    orderedAt: new Date(Date.now() - 6 * DAY).toISOString(),
    deliveredAt: new Date(Date.now() - 4 * DAY).toISOString(),
  });
  // Delivered in March two years back (outside the holiday season): past every return window.
  const year = new Date().getUTCFullYear() - 2;
  await t.bot.stores.containers.orders.items.upsert({
    id: 'ORD-31002',
    ownerAadObjectId: BEA,
    customerName: 'Bea Hansen',
    status: 'delivered',
    currency: 'EUR',
    items: [{ sku: 'MUG-1', name: 'Enamel mug', quantity: 1, price: 9.5 }],
    orderedAt: `${year}-03-01T10:00:00Z`,
    deliveredAt: `${year}-03-03T10:00:00Z`,
  });
}, 120_000);
afterAll(async () => {
  await t?.stop();
});
beforeEach(() => t.connector.reset());

const HAN = /\p{Script=Han}/u;

async function sayIn(conv: ConversationRef, text: string, locale: string, user: TestUser = users.alex) {
  const activity = { ...message(t.connector.url, conv, text, { user }), locale };
  expect((await t.post(activity)).status).toBe(200);
  return t.connector.messages(conv.id).filter((c) => c.activityId === activity.id);
}

const buttonData = (calls: ConnectorCall[], verb: string) => {
  for (const c of calls)
    for (const card of cardsOf(c)) {
      const action = findExecuteAction(card, verb);
      if (action) return action.data as Record<string, unknown>;
    }
  throw new Error(`no ${verb} button in ${shownText(calls)}`);
};

const click = async (conv: ConversationRef, verb: string, data: Record<string, unknown>, user = users.alex) =>
  JSON.stringify((await t.post(cardAction(t.connector.url, conv, verb, data, user))).body);

describe('card clicks refused in the card’s language', () => {
  it('a tampered Chinese ticket draft and a foreign one are refused in Chinese', async () => {
    const conv = personalConversation();
    const draft = await sayIn(conv, '帮我开个工单,打印机坏了', 'zh-CN');
    const data = buttonData(draft, 'ticket.confirm');
    expect(data.lang).toBe('zh-CN');

    const tampered = await click(conv, 'ticket.confirm', { ...data, sig: 'f'.repeat(64) });
    expect(tampered).toContain('这张卡片已失效。请让我重新起草工单。');
    expect(tampered).toContain('操作未成功');
    expect(tampered).not.toMatch(/no longer valid|did not work/);

    const foreign = await click(personalConversation(users.bea), 'ticket.confirm', data, users.bea);
    expect(foreign).toContain('找不到这个工单草稿');
    expect(foreign).not.toMatch(/was not found/);
  });

  it('an edited Chinese return card and another member’s click are refused in Chinese', async () => {
    const conv = personalConversation();
    const offer = await sayIn(conv, '退货 ORD-10388,耳机坏了', 'zh-CN');
    const data = buttonData(offer, 'order.returnConfirm');
    const edited = await click(conv, 'order.returnConfirm', { ...data, reason: '不想要了' });
    expect(edited).toContain('这张卡片已失效。');
    const other = await click(personalConversation(users.bea), 'order.returnConfirm', data, users.bea);
    expect(other).toContain('只有申请退货的本人才能确认。');
  });

  it('data that no longer validates from a zh-CN client is refused in Chinese, from en-US in English', async () => {
    const conv = personalConversation();
    const bad = { ...cardAction(t.connector.url, conv, 'ticket.confirm', { draftId: 42 }), locale: 'zh-CN' };
    expect(JSON.stringify((await t.post(bad)).body)).toContain('这张卡片已失效。');
    const english = await click(conv, 'ticket.confirm', { draftId: 42 });
    expect(english).toContain('This card is no longer valid.');
    expect(english).not.toMatch(HAN);
  });
});

describe('returns, delivery and the handoff offer in Chinese', () => {
  it('a non-returnable item is refused in Chinese with the policy’s Chinese label', async () => {
    const text = shownText(
      await sayIn(personalConversation(users.bea), '退货 ORD-31001', 'en-US', users.bea),
    );
    expect(text).toContain(
      '订单 ORD-31001 中的Contoso gift card 25 EUR不能退货:退货政策不接受礼品卡和电子券。',
    );
    expect(text).not.toMatch(/can't be returned|gift cards and e-vouchers/);
  });

  it('an English user still reads the English refusal', async () => {
    const text = shownText(
      await sayIn(personalConversation(users.bea), 'return ORD-31001', 'en-US', users.bea),
    );
    expect(text).toContain(
      "Contoso gift card 25 EUR from order ORD-31001 can't be returned: the returns policy excludes gift cards and e-vouchers.",
    );
  });

  it('a return outside the window is refused in Chinese', async () => {
    const text = shownText(
      await sayIn(personalConversation(users.bea), '我要退货 ORD-31002', 'en-US', users.bea),
    );
    expect(text).toMatch(/订单 ORD-31002 已送达超过 \d+ 天,已超出退货期限/);
  });

  it('the delivery candidates card and its buttons are Chinese', async () => {
    const sent = await sayIn(personalConversation(), '我的包裹没收到', 'en-US');
    const text = shownText(sent);
    expect(text).toContain('是 ORD-10421');
    expect(text).toContain('发货日期');
    expect(buttonData(sent, 'delivery.selectOrder').lang).toBe('zh-CN');
    expect(text).not.toMatch(/Estimated delivery|It's ORD/);
  });

  it('sounding frustrated in Chinese gets the Chinese offer; pressing it opens the handoff in Chinese', async () => {
    const conv = personalConversation(users.carl);
    const sent = await sayIn(conv, '气死我了,你什么都不懂', 'en-US', users.carl);
    const text = shownText(sent);
    expect(text).toContain('您想和工作人员沟通吗');
    expect(text).toContain('转人工');
    const pressed = await click(conv, 'handoff.request', buttonData(sent, 'handoff.request'), users.carl);
    expect(pressed).toMatch(/我已创建工单 TKT-\d{6}|工单/);
    expect(pressed).not.toMatch(/Talk to a person|I've opened/);
  });

  it('a file from a zh-CN client gets the attachment note in Chinese', async () => {
    const conv = personalConversation();
    const activity = {
      ...message(t.connector.url, conv, ''),
      locale: 'zh-CN',
      attachments: [{ contentType: 'image/png', contentUrl: 'https://example.invalid/x.png' }],
    };
    await t.post(activity);
    expect(String(t.connector.messages(conv.id)[0]?.activity.text)).toContain('我暂时还无法读取附件');
  });

  it('"reset" from a zh-CN client is answered in Chinese, from en-US in English', async () => {
    expect(shownText(await sayIn(personalConversation(), 'reset', 'zh-CN'))).toContain('我已清除本次对话');
    expect(shownText(await sayIn(personalConversation(), 'reset', 'en-US'))).toContain(
      'Done: I have cleared this conversation.',
    );
  });
});

describe('how-to return questions in Chinese are answered from the documents', () => {
  for (const question of ['退货流程', '如何申请退货'])
    it(`${question}: the cited return procedure from the Chinese document, no return flow`, async () => {
      const sent = await sayIn(personalConversation(), question, 'zh-CN');
      const answer = sent.map((c) => c.activity).find((a) => String(a.text ?? '').includes('预付费退货标签'));
      expect(answer, shownText(sent)).toBeDefined();
      const cited = (answer!.entities ?? []).flatMap((e: Record<string, any>) => e.citation ?? []);
      expect(JSON.stringify(cited)).toMatch(/退货和退款政策|returns-and-refunds\.zh-CN/);
      expect(shownText(sent)).not.toContain('您要退哪个订单');
    });
});

describe('message extension from a zh-CN client', () => {
  const search = async (user: TestUser, commandId: string, query: string, locale: string) => {
    const activity = {
      ...activityOfType(t.connector.url, personalConversation(user), 'invoke', user),
      name: 'composeExtension/query',
      locale,
      value: {
        commandId,
        parameters: [{ name: 'query', value: query }],
        queryOptions: { skip: 0, count: 25 },
      },
    };
    const res = await t.post(activity);
    expect(res.status).toBe(200);
    return res.body.composeExtension as { type: string; text?: string; attachments?: any[] };
  };

  it('orders: Chinese result lines and cards, Chinese "nothing matches"', async () => {
    const found = await search(users.alex, ME_COMMANDS.orders, '', 'zh-CN');
    expect(found.type).toBe('result');
    expect(JSON.stringify(found.attachments)).toContain('件商品');
    expect(JSON.stringify(found.attachments)).toContain('订单 ORD-10421');
    const none = await search(users.alex, ME_COMMANDS.orders, '不存在的东西', 'zh-CN');
    expect(none.text).toBe('您的订单中没有与"不存在的东西"匹配的。');
  });

  it('knowledge: a Chinese query finds the Chinese document with Chinese labels', async () => {
    const found = await search(users.alex, ME_COMMANDS.knowledge, '国际运费', 'zh-CN');
    expect(found.type).toBe('result');
    const cards = JSON.stringify(found.attachments);
    expect(cards).toContain('来源');
    expect(cards).toMatch(/运费|配送/);
    const empty = await search(users.alex, ME_COMMANDS.knowledge, '', 'zh-CN');
    expect(empty.text).toBe('请输入要查找的内容,例如"退货政策"。');
  });

  it('an en-US client gets the English it always had', async () => {
    const none = await search(users.alex, ME_COMMANDS.orders, 'nothing like this', 'en-US');
    expect(none.text).toBe('None of your orders matches "nothing like this".');
    const found = await search(users.alex, ME_COMMANDS.orders, '', 'en-US');
    expect(JSON.stringify(found.attachments)).not.toMatch(HAN);
  });
});
