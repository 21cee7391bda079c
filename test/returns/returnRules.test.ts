import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mentionedItems, createStartReturn, ReturnCardSigner } from '../../src/actions/startReturn';
import type { RbacPolicy } from '../../src/actions/rbac';
import type { ActionContext } from '../../src/actions/types';
import { DEFAULT_PATHS } from '../../src/defaultPaths';
import type { Order, OrderService } from '../../src/orders/order';
import { returnBlocker, returnWindow } from '../../src/orders/returnWindow';
import { loadReturnRules, nonReturnableRule, type ReturnRules } from '../../src/returns/returnRules';
import type { TicketService } from '../../src/tickets/ticketService';

const DAY = 24 * 3600 * 1000;
const rules = loadReturnRules(DEFAULT_PATHS.returnsPolicy);
const policyText = readFileSync(
  resolve(__dirname, '../../data/knowledge/customer-service/returns-and-refunds.md'),
  'utf8',
);

const order = (over: Partial<Order> = {}): Order => ({
  id: 'ORD-60001',
  ownerAadObjectId: 'owner',
  status: 'delivered',
  currency: 'EUR',
  items: [
    { sku: 'HP-700', name: 'Wireless over-ear headphones', quantity: 1, price: 179 },
    { sku: 'CS-TRV', name: 'Hard-shell travel case', quantity: 1, price: 24.9 },
    { sku: 'GC-25', name: 'Contoso gift card 25 EUR', quantity: 1, price: 25, category: 'gift_card' },
  ],
  orderedAt: '2025-03-01T10:00:00Z',
  deliveredAt: '2025-03-05T10:00:00Z',
  ...over,
});

describe('config/returns-policy.json', () => {
  it('states the same exceptions as the returns policy document', () => {
    const season = rules.holidaySeason!;
    expect([season.purchasedFrom, season.purchasedTo, season.returnUntil]).toEqual([
      '11-15',
      '12-24',
      '01-31',
    ]);
    expect(policyText).toMatch(/holiday season \(15 November to 24 December\)[^.]*until 31 January/);
    const plus = rules.memberWindows.find((m) => m.membership === 'contoso_plus')!;
    expect(plus).toMatchObject({ name: 'Contoso Plus', windowDays: 60 });
    expect(policyText).toContain(
      `${plus.name} programme get an extended return window of ${plus.windowDays} days`,
    );
    expect(rules.nonReturnable.map((r) => r.category)).toEqual(
      expect.arrayContaining(['gift_card', 'software']),
    );
    expect(policyText).toMatch(/cannot be returned[^.]*gift cards and e-vouchers/);
    expect(policyText).toMatch(
      /Opened software \(a broken seal\s+or a revealed licence key\) is not returnable/,
    );
  });

  it('refuses a malformed file naming the field', () => {
    const bad = resolve(__dirname, '../../package.json');
    expect(() => loadReturnRules(bad)).toThrow(/Invalid returns policy/);
  });
});

describe('holiday season', () => {
  const bought = order({ orderedAt: '2025-12-10T09:00:00Z', deliveredAt: '2025-12-12T15:00:00Z' });
  it('a purchase from 15 Nov to 24 Dec can be returned until the end of 31 January', () => {
    const jan20 = new Date('2026-01-20T12:00:00Z'); // 39 days after delivery
    expect(returnBlocker(bought, 30, jan20)).toBe('outside_window');
    expect(returnBlocker(bought, 30, jan20, rules)).toBeUndefined();
    expect(returnBlocker(bought, 30, new Date('2026-01-31T23:59:59Z'), rules)).toBeUndefined();
    expect(returnBlocker(bought, 30, new Date('2026-02-01T00:00:01Z'), rules)).toBe('outside_window');
    expect(returnWindow(bought, 30, rules)).toMatchObject({ basis: 'holiday', until: '2026-01-31' });
  });
  it('the season is inclusive at both ends and nothing outside it counts', () => {
    const at = (orderedAt: string) =>
      returnWindow(order({ orderedAt, deliveredAt: orderedAt }), 30, rules)?.basis;
    expect(at('2025-11-15T00:00:00Z')).toBe('holiday');
    expect(at('2025-12-24T23:00:00Z')).toBe('holiday');
    expect(at('2025-11-14T23:59:00Z')).toBe('standard');
    // Bought on 25 Dec: the standard 30 days (to 24 Jan), not 31 January.
    expect(at('2025-12-25T08:00:00Z')).toBe('standard');
  });
  it('a late delivery keeps its 30 days when they end after 31 January', () => {
    const late = order({ orderedAt: '2025-12-20T09:00:00Z', deliveredAt: '2026-01-15T09:00:00Z' });
    expect(returnWindow(late, 30, rules)).toMatchObject({ basis: 'standard' });
    expect(returnBlocker(late, 30, new Date('2026-02-10T00:00:00Z'), rules)).toBeUndefined();
  });
});

describe('Contoso Plus', () => {
  const delivered = Date.parse('2025-03-05T10:00:00Z');
  const member = order({ membership: 'contoso_plus' });
  it('members get 60 days from delivery, others 30', () => {
    const day45 = new Date(delivered + 45 * DAY);
    expect(returnBlocker(order(), 30, day45, rules)).toBe('outside_window');
    expect(returnBlocker(member, 30, day45, rules)).toBeUndefined();
    expect(returnBlocker(member, 30, new Date(delivered + 60 * DAY), rules)).toBeUndefined();
    expect(returnBlocker(member, 30, new Date(delivered + 60 * DAY + 1000), rules)).toBe('outside_window');
    expect(returnWindow(member, 30, rules)).toMatchObject({
      basis: 'member',
      windowDays: 60,
      programme: 'Contoso Plus',
    });
  });
  it('an unknown programme, or a standard window already longer, changes nothing', () => {
    expect(returnWindow(order({ membership: 'other' }), 30, rules)).toMatchObject({
      basis: 'standard',
      windowDays: 30,
    });
    expect(returnWindow(member, 90, rules)).toMatchObject({ basis: 'standard', windowDays: 90 });
  });
});

describe('non-returnable items', () => {
  it('gift cards always; software only once opened', () => {
    expect(nonReturnableRule({ category: 'gift_card' }, rules)?.label).toMatch(/gift cards/);
    expect(nonReturnableRule({ category: 'software' }, rules)).toBeUndefined();
    expect(nonReturnableRule({ category: 'software', opened: false }, rules)).toBeUndefined();
    expect(nonReturnableRule({ category: 'software', opened: true }, rules)?.label).toMatch(
      /opened software/,
    );
    expect(nonReturnableRule({}, rules)).toBeUndefined();
  });
});

describe('mentionedItems', () => {
  it('finds the lines a reason names by a word of their own or their SKU', () => {
    expect(mentionedItems(order(), "the headphones don't fit").map((i) => i.sku)).toEqual(['HP-700']);
    expect(mentionedItems(order(), 'CS-TRV arrived scratched').map((i) => i.sku)).toEqual(['CS-TRV']);
    expect(mentionedItems(order(), 'the case and the headphones are not needed').map((i) => i.sku)).toEqual([
      'HP-700',
      'CS-TRV',
    ]);
    expect(mentionedItems(order(), 'it arrived damaged')).toEqual([]);
    // A single-line order never needs picking.
    expect(mentionedItems(order({ items: [order().items[0]!] }), 'the headphones broke')).toEqual([]);
  });
});

/** start_return's decisions with the rules, against an order service that holds one order. */
describe('start_return with the returns policy rules', () => {
  const ctx: ActionContext = {
    user: { aadObjectId: 'owner', name: 'Owner' },
    roles: ['employee'],
    conversationId: 'conv-1',
  } as ActionContext;
  const now = new Date('2025-03-10T10:00:00Z');
  const run = async (o: Order, args: Record<string, unknown>, withRules: ReturnRules = rules) => {
    const orders = { get: async (id: string) => (id === o.id ? o : undefined) } as unknown as OrderService;
    const rbac = { hasPermission: () => false, canCall: () => true } as unknown as RbacPolicy;
    const tool = createStartReturn({
      orders,
      tickets: {} as TicketService,
      rbac,
      returns: {
        store: {} as never,
        signer: new ReturnCardSigner('secret-0123456789abcdef'),
        policy: { citation: async () => undefined },
        windowDays: 30,
        rules: withRules,
        now: () => now,
      },
    });
    return (await tool(ctx, { orderId: o.id, ...args })) as {
      ok: boolean;
      summary?: string;
      error?: string;
      data?: { returnOffer?: { items: { sku: string }[]; excluded?: unknown[] }; why?: string };
    };
  };

  it('asks which items (and why) when several can go back and none were named', async () => {
    const out = await run(order(), {});
    expect(out.summary).toMatch(
      /Why are you returning order ORD-60001\?.*several items: Wireless over-ear headphones, Hard-shell travel case\./,
    );
    // The gift card is not offered, and the reply says why.
    expect(out.summary).toMatch(
      /Not included: Contoso gift card 25 EUR \(gift cards and e-vouchers can't be returned\)/,
    );
  });

  it('named items: only those on the card; items named in the reason count as named', async () => {
    const picked = await run(order(), { items: [{ item: 'headphones' }], reason: 'too tight' });
    expect(picked.data?.returnOffer?.items.map((i) => i.sku)).toEqual(['HP-700']);
    expect(picked.data?.returnOffer?.excluded).toBeUndefined();
    const byReason = await run(order(), { reason: 'the travel case arrived scratched' });
    expect(byReason.data?.returnOffer?.items.map((i) => i.sku)).toEqual(['CS-TRV']);
  });

  it('the whole order leaves the gift card out; a named gift card is refused with the reason', async () => {
    const whole = await run(order(), { reason: 'no longer needed' });
    expect(whole.data?.returnOffer?.items.map((i) => i.sku)).toEqual(['HP-700', 'CS-TRV']);
    expect(whole.data?.returnOffer?.excluded).toEqual([
      { name: 'Contoso gift card 25 EUR', label: 'gift cards and e-vouchers' },
    ]);
    const gift = await run(order(), { items: [{ item: 'gift card' }], reason: 'unwanted present' });
    expect(gift.data?.returnOffer).toBeUndefined();
    expect(gift.data?.why).toBe('non_returnable');
    expect(gift.summary).toBe(
      "Contoso gift card 25 EUR from order ORD-60001 can't be returned: the returns policy excludes gift cards and e-vouchers.",
    );
    // Without the rule, the same gift card could go back: the refusal comes from the data.
    const noRule = await run(
      order(),
      { items: [{ item: 'gift card' }], reason: 'x y' },
      { ...rules, nonReturnable: [] },
    );
    expect(noRule.data?.returnOffer?.items.map((i) => i.sku)).toEqual(['GC-25']);
  });

  it('an order of opened software only is refused; unopened software goes back', async () => {
    const sw = (opened: boolean) =>
      order({
        items: [
          { sku: 'SW-1', name: 'Photo editor licence', quantity: 1, price: 79, category: 'software', opened },
        ],
      });
    const opened = await run(sw(true), { reason: 'not what I expected' });
    expect(opened.summary).toMatch(
      /Photo editor licence from order ORD-60001 can't be returned: the returns policy excludes opened software/,
    );
    const sealed = await run(sw(false), { reason: 'not what I expected' });
    expect(sealed.data?.returnOffer?.items.map((i) => i.sku)).toEqual(['SW-1']);
  });

  it('member and holiday windows: accepted with the rule named, refused with the applicable deadline', async () => {
    const member = order({
      membership: 'contoso_plus',
      deliveredAt: new Date(now.getTime() - 45 * DAY).toISOString(),
    });
    const ok = await run(member, { reason: 'no longer needed', items: [{ item: 'HP-700' }] });
    expect(ok.summary).toMatch(/As a Contoso Plus member you can return it within 60 days of delivery/);
    const late = await run(
      { ...member, deliveredAt: new Date(now.getTime() - 61 * DAY).toISOString() },
      { reason: 'x y' },
    );
    expect(late.summary).toMatch(
      /delivered more than 60 days ago, so it is outside even the Contoso Plus return window/,
    );
    const holiday = order({ orderedAt: '2024-12-01T10:00:00Z', deliveredAt: '2024-12-03T10:00:00Z' });
    const past = await run(holiday, { reason: 'x y' });
    expect(past.summary).toMatch(
      /bought in the holiday season, so it could be returned until 2025-01-31; that date has passed/,
    );
  });
});
