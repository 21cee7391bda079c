import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { personalConversation, users } from '../helpers/activities';
import type { ConnectorCall } from '../helpers/connector';
import { cardsOf, cardText } from '../helpers/cards';

/**
 * A Chinese-speaking customer and employee, through the real server in embedded mode (found by
 * trying the bot in Chinese, ninth session): questions that only an English document answers
 * (warranty, IT, HR), Chinese words for what the Chinese documents say in other words, an order
 * number typed alone after a Chinese question, Chinese questions without 吗 or a question mark.
 * Sample data: Alex owns ORD-10421 (keyboard, shipped), ORD-10422 (monitor, processing) and
 * ORD-10388 (headset, delivered); Bea is in HR.
 */
let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest({ ...freshKnowledgeIndex('kb-zh-customer-'), RATE_LIMIT_USER_PER_MIN: '1000' });
}, 120_000);
afterAll(async () => {
  await t?.stop();
});
beforeEach(() => t.connector.reset());

const textOf = (calls: ConnectorCall[]) => calls.map((c) => String(c.activity.text ?? '')).join('\n');
const cardsText = (calls: ConnectorCall[]) =>
  calls
    .flatMap((c) => cardsOf(c))
    .map(cardText)
    .join('\n');
const citedTitles = (calls: ConnectorCall[]) =>
  calls
    .flatMap((c) => (c.activity.entities ?? []).flatMap((e: any) => e.citation ?? []))
    .map((c: any) => String(c.appearance?.name ?? ''));
const ENGLISH_SOURCE = '以下答案来自英文文档';

describe('a Chinese question only an English document answers', () => {
  it('gets the warranty term from warranty.pdf, saying first that the source is English', async () => {
    const calls = await t.say(personalConversation(), '耳机的保修期有多长？');
    const reply = textOf(calls);
    expect(reply.indexOf(ENGLISH_SOURCE), reply).toBe(0);
    expect(reply).toMatch(/2-year limited warranty/);
    expect(citedTitles(calls).join(' ')).toMatch(/Product warranty/);
  });

  it('about something the user bought: the order data, then the English warranty term', async () => {
    const calls = await t.say(personalConversation(), '我买的那个头戴式耳机还在质保期吗');
    const reply = textOf(calls);
    expect(reply).toMatch(/ORD-10388/);
    expect(reply).toMatch(new RegExp(`${ENGLISH_SOURCE}[^]*2-year limited warranty`));
  });

  it('answers an employee from the English IT guide and HR handbook', async () => {
    const it = textOf(await t.say(personalConversation(), '密码忘了，怎么重置'));
    expect(it).toMatch(new RegExp(`^${ENGLISH_SOURCE}[^]*self-service password reset`));
    const hr = textOf(await t.say(personalConversation(users.bea), '我今年能休几天年假', users.bea));
    expect(hr).toMatch(new RegExp(`^${ENGLISH_SOURCE}[^]*25 days of paid annual leave`));
  });

  it('keeps a Chinese answer when the Chinese document has one (no English note)', async () => {
    // 开门 and 商店 are not in the document, which says 门店 … 营业.
    const reply = textOf(await t.say(personalConversation(), '商店礼拜天几点开门'));
    expect(reply).toMatch(/周日上午 11 点至下午 6 点/);
    expect(reply).not.toMatch(ENGLISH_SOURCE);
  });
});

describe('a Chinese conversation', () => {
  it('an order number typed alone answers in Chinese (the conversation language), not the client locale', async () => {
    const conv = personalConversation();
    expect(textOf(await t.say(conv, '帮我看看订单状态'))).toMatch(/哪个订单/);
    const calls = await t.say(conv, 'ORD-10388');
    expect(cardsText(calls)).toMatch(/已送达/);
    expect(cardsText(calls)).not.toMatch(/Delivered|Ordered:/);
    // The same number in an English conversation stays English.
    const en = personalConversation();
    await t.say(en, 'can you check an order for me');
    expect(cardsText(await t.say(en, 'ORD-10388'))).toMatch(/Delivered/);
  });

  it('a question without 吗 in the middle of a flow is answered, then the flow goes on', async () => {
    const conv = personalConversation();
    expect(textOf(await t.say(conv, '我要退货'))).toMatch(/哪个订单/);
    const reply = textOf(await t.say(conv, '退回去要不要运费'));
    expect(reply).toMatch(/退货免运费/);
    expect(reply).toMatch(/接着刚才的问题/);
  });

  it('asking for a person: the hand-off card gives the phone hours from the Chinese contact document', async () => {
    const card = cardsText(await t.say(personalConversation(), '能不能帮我转接真人客服'));
    expect(card).toMatch(/周一至周五美东时间上午 8 点至晚上 8 点/);
    expect(card).not.toMatch(/Monday to Friday/);
  });

  it('an order lookup and a policy question in one message: both answered', async () => {
    const calls = await t.say(personalConversation(), '帮我查订单10421，另外问下退款要多长时间');
    expect(cardsText(calls)).toMatch(/ORD-10421/);
    const reply = textOf(calls);
    expect(reply).toMatch(/关于您的另一个请求/);
    expect(reply).toMatch(/工作日/);
    expect(reply).not.toMatch(/您要退哪个订单/);
  });
});

describe('a broken item the user bought', () => {
  it('Chinese: when it was delivered, until when it can go back, the English warranty term, a ticket offer', async () => {
    const reply = textOf(await t.say(personalConversation(), 'ORD-10388 这副耳机充不进电了，咋办'));
    expect(reply).toMatch(/ORD-10388[^]*送达[^]*退货/);
    expect(reply).toMatch(new RegExp(`${ENGLISH_SOURCE}[^]*2-year limited warranty`));
    expect(reply).toMatch(/工单/);
  });

  it('English: the item first even when a document shares its words; "noise cancelling" is not a cancellation', async () => {
    const reply = textOf(
      await t.say(personalConversation(), 'the noise cancelling headset I got has died, help'),
    );
    expect(reply).toMatch(/ORD-10388 \(Noise-cancelling headset\) was delivered/);
    expect(reply).toMatch(/2-year limited warranty/);
    expect(reply).not.toMatch(/can no longer be cancelled|engraved/i);
  });
});

describe('a Chinese question about a payment method no document names', () => {
  it('"你们支持支付宝吗" is refused by name, not answered with where refunds go', async () => {
    for (const [question, name] of [
      ['你们支持支付宝吗', '支付宝'],
      ['能用微信支付吗？', '微信支付'],
      ['你们收比特币吗', '比特币'],
    ]) {
      const calls = await t.say(personalConversation(), question);
      const reply = textOf(calls);
      expect(reply, question).toMatch(new RegExp(`在知识库中没有找到关于“${name}”的内容`));
      expect(reply, question).not.toMatch(/退回|\[1\]/);
      expect(citedTitles(calls), question).toEqual([]);
    }
  });

  it('a payment question the documents do answer is still answered', async () => {
    const calls = await t.say(personalConversation(), '用PayPal付的钱多久能退回来');
    expect(textOf(calls)).toMatch(/PayPal 退款通常在 24 小时内到账/);
    expect(citedTitles(calls).join(' ')).toMatch(/退货和退款政策/);
  });
});

describe('我的耳机坏了 with two orders holding headphones (ORD-10395, ORD-10388)', () => {
  it('asks which order in Chinese and "第二个" continues with that order, in Chinese', async () => {
    const conv = personalConversation();
    const asked = await t.say(conv, '我的耳机坏了');
    const question = textOf(asked);
    expect(question).toMatch(/您指的是哪个订单\?.*ORD-10395.*ORD-10388/s);
    expect(question).not.toMatch(/刻字|退货和退款/);
    const buttons = asked.flatMap((c) =>
      ((c.activity as any).suggestedActions?.actions ?? []).map((a: any) => a.value),
    );
    expect(buttons).toEqual(['ORD-10395', 'ORD-10388']);
    expect(textOf(asked)).toMatch(/点选或输入订单号/);

    const reply = textOf(await t.say(conv, '第二个'));
    expect(reply).toMatch(/订单 ORD-10388\(Noise-cancelling headset\)已于 .* 送达/);
    expect(reply).toMatch(new RegExp(`${ENGLISH_SOURCE}[^]*2-year limited warranty`));
    expect(reply).toMatch(/要我为此创建支持工单吗/);
    // 好的 drafts the ticket about the problem first reported.
    const draft = (await t.say(conv, '好的')).flatMap(cardsOf).map(cardText).join('\n');
    expect(draft).toMatch(/请核对您的工单/);
    expect(draft).toMatch(/我的耳机坏了/);
  });

  it('两个都坏了 answers for both orders, the warranty term once', async () => {
    const conv = personalConversation();
    await t.say(conv, '我的耳机坏了');
    const reply = textOf(await t.say(conv, '两个都坏了'));
    expect(reply).toMatch(/订单 ORD-10395[^]*订单 ORD-10388/);
    expect(reply.match(/2-year limited warranty/g)).toHaveLength(1);
    expect(reply).toMatch(/要我为此创建支持工单吗/);
  });

  it('an order number typed alone, or 头戴式的那个, answers it too', async () => {
    const conv = personalConversation();
    await t.say(conv, '我的耳机坏了');
    expect(textOf(await t.say(conv, 'ORD-10395'))).toMatch(/订单 ORD-10395\(.*\)已于 .* 送达/);
    const other = personalConversation();
    await t.say(other, '耳机坏了怎么办');
    expect(textOf(await t.say(other, '头戴式的那个'))).toMatch(/订单 ORD-10395\(.*\)已于 .* 送达/);
  });
});
