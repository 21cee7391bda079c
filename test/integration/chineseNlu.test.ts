import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import {
  cardAction,
  message,
  conversationUpdateBotAdded,
  personalConversation,
  users,
  type ConversationRef,
} from '../helpers/activities';
import type { ConnectorCall } from '../helpers/connector';
import { cardsOf, cardText, findExecuteAction } from '../helpers/cards';

/**
 * Chinese turns through the real server in embedded mode: the turn's language (from the text, the
 * locale only for text without letters) picks the Chinese intent model, Chinese entities fill the
 * tool arguments, and the replies and cards come from the catalogue's zh-CN messages. The test
 * client's locale is en-US unless a test says otherwise.
 */
let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest(freshKnowledgeIndex('kb-zh-nlu-'));
}, 120_000);
afterAll(async () => {
  await t?.stop();
});
beforeEach(() => t.connector.reset());

const allText = (calls: ConnectorCall[]) =>
  calls.map((c) => `${String(c.activity.text ?? '')} ${cardsOf(c).map(cardText).join(' ')}`).join('\n');
const firstCard = (calls: ConnectorCall[]) => cardsOf(calls.find((c) => cardsOf(c).length))[0];

/** Sends `text` from a client with the given locale (t.say always sends en-US). */
async function sayWithLocale(conv: ConversationRef, text: string, locale: string): Promise<ConnectorCall[]> {
  const activity = { ...message(t.connector.url, conv, text, { user: users.alex }), locale };
  const res = await t.post(activity);
  expect(res.status).toBe(200);
  return t.connector.messages(conv.id).filter((c) => c.activityId === activity.id);
}

describe('Chinese requests through the real server (embedded mode)', () => {
  it('查一下订单 ORD-xxxxx shows the order card to its owner', async () => {
    const sent = await t.say(personalConversation(), '查一下订单 ORD-10421');
    const card = firstCard(sent);
    expect(card, allText(sent)).toBeDefined();
    expect(cardText(card)).toContain('ORD-10421');
    // Chinese labels and status; dates in the Chinese long form.
    expect(cardText(card)).toContain('订单 ORD-10421');
    expect(cardText(card)).toContain('已发货');
    expect(cardText(card)).toContain('下单日期');
    expect(cardText(card)).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
    expect(cardText(card)).not.toMatch(/Ordered|Estimated delivery|Open a ticket/);
  });

  it('an English user is unaffected: English labels, ISO dates, status in English', async () => {
    const sent = await t.say(personalConversation(), 'Where is order ORD-10421?');
    const card = firstCard(sent);
    expect(cardText(card)).toContain('Order ORD-10421');
    expect(cardText(card)).toContain('Shipped');
    expect(cardText(card)).toMatch(/Ordered.*\d{4}-\d{2}-\d{2}/s);
    expect(cardText(card)).not.toMatch(/[\u4e00-\u9fff]/u);
  });

  it('finds the order written the Chinese way (订单号10422)', async () => {
    const sent = await t.say(personalConversation(), '麻烦查下订单号10422');
    expect(cardText(firstCard(sent))).toContain('ORD-10422');
  });

  it('refuses someone else’s order in Chinese too, without leaking its status', async () => {
    const sent = await t.say(personalConversation(users.bea), '查一下订单 ORD-10421', users.bea);
    const all = JSON.stringify(sent.map((c) => c.activity));
    expect(all).toContain('在您的账户中找不到订单 ORD-10421');
    expect(all).not.toMatch(/couldn.t find/i);
    expect(all.toLowerCase()).not.toContain('shipped');
    expect(all).not.toContain('已发货');
  });

  it('asks for the order number, and a bare number from a zh-CN client answers it', async () => {
    const conv = personalConversation();
    const first = await sayWithLocale(conv, '我的快递到哪了', 'zh-CN');
    expect(allText(first)).toContain('请问是哪个订单号');
    expect(allText(first)).not.toMatch(/Which order number/);
    const second = await sayWithLocale(conv, 'ORD-10421', 'zh-CN');
    expect(cardText(firstCard(second))).toContain('ORD-10421');
    expect(cardText(firstCard(second))).toContain('已发货');
  });

  it('帮我开个工单,打印机坏了,很紧急 drafts a ticket with urgent priority, and confirming keeps it', async () => {
    const conv = personalConversation();
    const sent = await t.say(conv, '帮我开个工单,打印机坏了,很紧急');
    const card = firstCard(sent);
    expect(card, allText(sent)).toBeDefined();
    const confirm = findExecuteAction(card, 'ticket.confirm');
    expect(confirm).toBeDefined();
    expect(cardText(card)).toContain('打印机坏了');
    expect(cardText(card)).toMatch(/"value":"urgent"|urgent/i);
    expect(cardText(card)).toContain('请核对您的工单');
    expect(cardText(card)).toContain('确认');
    expect(cardText(card)).not.toMatch(/Review your ticket/);
    const res = await t.post(cardAction(t.connector.url, conv, 'ticket.confirm', confirm!.data, users.alex));
    expect(res.status).toBe(200);
    // The click carries no text: the created card keeps the draft card's language.
    const created = JSON.stringify(res.body.value);
    expect(created).toMatch(/工单 TKT-\d{6} 已创建/);
    expect(created).toContain('紧急');
    expect(created).not.toMatch(/created|Our support team/);
    const { resources } = await t.bot.stores.containers.tickets.items
      .query({
        query: "SELECT * FROM c WHERE c.type = 'ticket' AND c.conversationId = @cid",
        parameters: [{ name: '@cid', value: conv.id }],
      })
      .fetchAll();
    expect(resources).toHaveLength(1);
    expect(resources[0]).toMatchObject({ priority: 'urgent', category: 'technical' });
    expect(String(resources[0].title)).toContain('打印机坏了');
  });

  it('帮我开个工单 without a problem asks for it; 算了 leaves the flow', async () => {
    const conv = personalConversation();
    expect(allText(await t.say(conv, '帮我开个工单'))).toContain('遇到了什么问题');
    expect(allText(await t.say(conv, '算了'))).toContain('已经停止了');
  });

  it('转人工 hands off to a person (a handoff ticket with its id)', async () => {
    const sent = await t.say(personalConversation(), '转人工');
    expect(allText(sent)).toMatch(/我已创建工单 TKT-\d{6}/);
    expect(allText(sent)).not.toMatch(/I've opened ticket|support team takes over/);
  });

  it('取消订单 shows the cancel confirmation card in Chinese (nothing changes yet)', async () => {
    const conv = personalConversation();
    const sent = await t.say(conv, '取消订单 ORD-10422');
    const card = firstCard(sent);
    expect(card, allText(sent)).toBeDefined();
    expect(findExecuteAction(card, 'order.cancelConfirm')).toBeDefined();
    expect(cardText(card)).toContain('取消订单 ORD-10422?');
    expect(cardText(card)).toContain('确认取消');
    expect(cardText(card)).toContain('保留订单');
    expect(allText(sent)).not.toMatch(/Confirm cancellation|Keep order|Nothing changes|Please confirm/);
    const { resources } = await t.bot.stores.containers.orders.items
      .query({ query: 'SELECT * FROM c WHERE c.id = @id', parameters: [{ name: '@id', value: 'ORD-10422' }] })
      .fetchAll();
    expect(resources).toHaveLength(1);
    expect(resources[0].status).toBe('processing');
    // The buttons carry the card's language: Keep answers with a Chinese card.
    const keep = findExecuteAction(card, 'order.cancelKeep');
    const res = await t.post(cardAction(t.connector.url, conv, 'order.cancelKeep', keep!.data, users.alex));
    expect(res.status).toBe(200);
    const kept = JSON.stringify(res.body.value);
    expect(kept).toContain('订单 ORD-10422 已保留');
    expect(kept).not.toMatch(/kept|Nothing was cancelled/);
  });

  it('我要退货 asks why in Chinese, and the reason brings the return card in Chinese', async () => {
    const conv = personalConversation();
    const first = await t.say(conv, '我要退货 ORD-10388');
    expect(allText(first)).toContain('您为什么要退回订单 ORD-10388');
    expect(allText(first)).not.toMatch(/Why are you returning/);
    const second = await t.say(conv, '到货时已损坏');
    const card = firstCard(second);
    expect(card, allText(second)).toBeDefined();
    expect(findExecuteAction(card, 'order.returnConfirm')).toBeDefined();
    expect(cardText(card)).toContain('退回订单 ORD-10388 中的商品?');
    expect(cardText(card)).toContain('确认退货');
    expect(cardText(card)).toContain('退回原支付方式');
    expect(allText(second)).not.toMatch(/Confirm return|Keep items|Return items from|Please check the items/);
    const keep = findExecuteAction(card, 'order.returnKeep');
    const res = await t.post(cardAction(t.connector.url, conv, 'order.returnKeep', keep!.data, users.alex));
    expect(res.status).toBe(200);
    const kept = JSON.stringify(res.body.value);
    expect(kept).toContain('订单 ORD-10388:不退货');
    expect(kept).not.toMatch(/no return|Nothing was returned/);
  });

  it('an English user still gets the English cancel card and return question', async () => {
    const card = firstCard(await t.say(personalConversation(), 'cancel order ORD-10422'));
    expect(cardText(card)).toContain('Cancel order ORD-10422?');
    expect(cardText(card)).toContain('Confirm cancellation');
    expect(cardText(card)).not.toMatch(/[\u4e00-\u9fff]/u);
    expect(allText(await t.say(personalConversation(), 'return ORD-10388'))).toContain(
      'Why are you returning order ORD-10388?',
    );
    const refused = allText(
      await t.say(personalConversation(users.bea), 'Where is order ORD-10421?', users.bea),
    );
    expect(refused).toContain("I couldn't find order ORD-10421 on your account.");
  });

  it('the welcome card follows a zh-CN client’s locale, and stays English for en-US', async () => {
    for (const [locale, title, not] of [
      ['zh-CN', '您好,我是 Service Bot', /Hi, I am|Just ask/],
      ['en-US', 'Hi, I am the Service Bot', /[\u4e00-\u9fff]/u],
    ] as const) {
      const conv = personalConversation();
      const activity = { ...conversationUpdateBotAdded(t.connector.url, conv, users.alex), locale };
      expect((await t.post(activity)).status).toBe(200);
      const welcome = t.connector.messages(conv.id).filter((c) => c.activityId === activity.id);
      const text = allText(welcome);
      expect(text).toContain(title);
      expect(text).not.toMatch(not);
    }
  });

  it('包裹丢了怎么办 stays a knowledge question, answered from the Chinese document', async () => {
    const sent = await t.say(personalConversation(), '包裹丢了怎么办');
    const all = allText(sent);
    expect(all).toContain('免费补发');
    // Not the missing-delivery flow (which lists the user's orders or asks which one).
    expect(all).not.toMatch(/Which order|ORD-104/);
  });

  it('a Chinese question the knowledge base cannot answer is refused in Chinese', async () => {
    const sent = await t.say(personalConversation(), '你们公司的火星分部的停车位怎么预约?');
    const all = allText(sent);
    expect(all).toMatch(/知识库中没有找到/);
    expect(all).not.toMatch(/couldn.t find/i);
  });

  it('leaves English from a zh-CN client on the English model', async () => {
    const conv = personalConversation();
    const first = await sayWithLocale(conv, 'where is my order?', 'zh-CN');
    expect(allText(first)).toMatch(/Which order number/);
    const second = await sayWithLocale(conv, 'oops, I meant ORD-10421', 'zh-CN');
    expect(cardText(firstCard(second))).toContain('ORD-10421');
  });
});
