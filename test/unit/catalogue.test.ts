import { describe, expect, it } from 'vitest';
import { catalogue, en, zhCN, type MessageKey } from '../../src/text/catalogue';
import { english, translator } from '../../src/text/i18n';
import { cancelReplies } from '../../src/actions/cancelOrder';
import { deliveryReplies, handoffReplies, handoffRepliesIn, returnReplies } from '../../src/replies';

const placeholders = (message: string) => [...message.matchAll(/\{(\w+)(?=[,}])/g)].map((m) => m[1]).sort();

describe('message catalogue', () => {
  it('has every key in both languages, non-empty, with the same placeholders', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as MessageKey[]) {
      expect(catalogue['zh-CN'][key].trim(), key).not.toBe('');
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('every message parses and formats in both languages', () => {
    const values = { list: 'x', question: 'q', max: 3, orderId: 'ORD-1', ticketId: 'TKT-1', amount: '$1' };
    for (const language of ['en', 'zh-CN'] as const)
      for (const key of Object.keys(en) as MessageKey[])
        expect(() =>
          translator(language).t(key, {
            ...values,
            date: 'd',
            count: 2,
            carrier: 'c',
            title: 't',
            comment: 'c',
            rmaId: 'R',
            phone: 'p',
            hours: 'h',
            email: 'e',
            windowDays: 30,
            priority: 'p',
            requester: 'r',
            query: 'q',
            status: 's',
            id: 'i',
            page: 1,
            programme: 'p',
            season: 's',
            until: 'u',
            names: 'n',
            labels: 'l',
            lines: 'l',
            name: 'n',
            label: 'l',
            item: 'i',
            quantity: 1,
            first: 'f',
            offer: 'o',
            request: 'r',
            assignee: 'a',
            items: 'i',
            day: 'd',
            total: 't',
            orders: 'o',
          }),
        ).not.toThrow();
  });

  it('keeps the English wording (apostrophes and quotes are text)', () => {
    expect(english.t('embedded.notFound')).toBe("I couldn't find that in the knowledge base.");
    expect(english.t('returns.askReason', { orderId: 'ORD-10421' })).toBe(
      'Why are you returning order ORD-10421? A few words are enough, e.g. "it arrived damaged" or "it doesn\'t fit".',
    );
  });

  it('picks plural forms per language', () => {
    expect(english.t('delivery.pick', { count: 1 })).toContain('Is it this order?');
    expect(english.t('delivery.pick', { count: 3 })).toContain('Which order is it?');
    expect(translator('zh-CN').t('delivery.pick', { count: 1 })).toContain('是这个订单吗');
    expect(translator('zh-CN').t('delivery.pick', { count: 2 })).toContain('是哪个订单');
    expect(translator('zh-CN').t('orderList.row', { date: 'D', count: 1234 })).toBe('D 下单 · 1,234 件商品');
    expect(english.t('orderList.subtitle', { count: 2 })).toBe('2 order(s), newest first');
  });

  it('formats dates and amounts per locale', () => {
    const zh = translator('zh-CN');
    expect(english.date('2026-12-02T10:00:00Z')).toBe('2026-12-02');
    expect(zh.date('2026-12-02T23:30:00Z')).toBe('2026年12月2日');
    expect(english.date(undefined)).toBeUndefined();
    expect(english.money(1234.5, 'USD')).toBe('$1,234.50');
    expect(zh.money(1234.5, 'CNY')).toBe('¥1,234.50');
    expect(zh.money(12.5, 'USD')).toBe('US$12.50');
    expect(english.money(1, 'NOT-A-CODE')).toBe('1.00 NOT-A-CODE');
  });

  it('the tools’ English answers stay word for word what they were before the catalogue', () => {
    expect(handoffReplies.opened('TKT-000001')).toBe(
      "I've opened ticket TKT-000001 so a person from our support team takes over.",
    );
    expect(handoffReplies.alreadyOpen('TKT-000001')).toBe(
      "Your ticket TKT-000001 for a person to take over is still open, so I haven't opened another one.",
    );
    expect(
      handoffReplies.contact({
        phone: '+1 555',
        hours: 'Mon–Fri 9–17.',
        email: 'a@b.c',
        sourceTitle: 'Contact',
      }),
    ).toBe('You can also call us at +1 555 (Mon–Fri 9–17). Email: a@b.c. (From "Contact".)');
    expect(handoffReplies.contact({ phone: '+1 555', sourceTitle: 'Contact' })).toBe(
      'You can also call us at +1 555. (From "Contact".)',
    );
    expect(deliveryReplies.drafted('ORD-1')).toBe(
      'I drafted a delivery ticket for order ORD-1. Please review it on the card and press Confirm to file it.',
    );
    expect(returnReplies.notShippedYet('ORD-1')).toBe(
      'Order ORD-1 hasn\'t shipped yet, so there is nothing to return. You can cancel it instead: say "cancel order ORD-1".',
    );
    expect(returnReplies.notDeliveredYet('ORD-1')).toBe(
      'Order ORD-1 hasn\'t been delivered yet, so it can\'t be returned. Once it arrives, say "return ORD-1".',
    );
    expect(returnReplies.policy(30)).toBe(
      'Unused items can be returned within 30 days of delivery; the refund goes to the original payment method.',
    );
    expect(cancelReplies.confirm('ORD-1')).toBe(
      'Please confirm on the card that you want to cancel order ORD-1. Nothing changes until you do.',
    );
  });

  it('the tools’ answers in Chinese carry the ids and no English', () => {
    const zh = translator('zh-CN');
    const hr = handoffRepliesIn(zh);
    for (const text of [
      hr.opened('TKT-000001'),
      hr.notified,
      hr.contact({ phone: '+1 555', hours: '9–17', email: 'a@b.c', sourceTitle: 'Contact' }),
      cancelReplies.confirm('ORD-1', zh),
    ]) {
      expect(text).toMatch(/[\u4e00-\u9fff]/u);
      expect(text).not.toMatch(/\b(the|you|order|ticket)\b/i);
    }
    expect(hr.opened('TKT-000001')).toContain('TKT-000001');
  });
});
