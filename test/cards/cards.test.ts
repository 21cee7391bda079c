import * as AC from 'adaptivecards';
import MarkdownIt from 'markdown-it';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../src/orders/order';
import { loadOrdersFile } from '../../src/orders/seedOrders';
import type { TicketDocument } from '../../src/tickets/ticket';
import type { AdaptiveCard } from '../../src/teams/cards/cardBase';
import { errorCard } from '../../src/teams/cards/errorCard';
import { translator } from '../../src/text/i18n';
import { orderChoiceMessage, orderStatusCard, ordersListCard } from '../../src/teams/cards/orderCards';
import {
  ticketCancelledCard,
  ticketCreatedCard,
  ticketDraftCard,
  ticketStatusCard,
} from '../../src/teams/cards/ticketCards';

/** Parses and validates a card with the official Adaptive Cards SDK; returns every problem it reports. */
function cardProblems(json: AdaptiveCard): string[] {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(json, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of card.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
  return problems;
}

type Action = { type: string; verb?: string; url?: string; data?: Record<string, unknown>; title?: string };

const draft: TicketDocument = {
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  pk: '00000000-0000-0000-0000-00000000a001',
  type: 'ticket',
  status: 'draft',
  title: 'Keyboard arrived broken',
  description: 'Two keys are missing.',
  category: 'order',
  priority: 'high',
  orderId: 'ORD-10421',
  requester: { aadObjectId: '00000000-0000-0000-0000-00000000a001', name: 'Alex Johnson' },
  conversationId: 'conv',
  draftedAt: '2025-03-10T10:00:00.000Z',
  updatedAt: '2025-03-10T10:00:00.000Z',
};
const created: TicketDocument = {
  ...draft,
  status: 'open',
  ticketId: 'TKT-000042',
  confirmedAt: '2025-03-10T10:01:00.000Z',
};

describe('Adaptive Cards', () => {
  let orders: Order[];
  beforeAll(async () => {
    orders = await loadOrdersFile();
  });

  it('every card is valid Adaptive Card 1.5 according to the official SDK', () => {
    const cards: [string, AdaptiveCard][] = [
      ...orders.map((o): [string, AdaptiveCard] => [`order ${o.id}`, orderStatusCard(o)]),
      ['list', ordersListCard(orders)],
      ['empty list', ordersListCard([])],
      ['draft', ticketDraftCard(draft, 'a'.repeat(64))],
      ['created', ticketCreatedCard(created)],
      ['cancelled', ticketCancelledCard({ ...draft, status: 'cancelled' })],
      ['status', ticketStatusCard(created)],
      ['error', errorCard('Nope.')],
    ];
    for (const [name, card] of cards) {
      expect(card.version, name).toBe('1.5');
      expect(cardProblems(card), name).toEqual([]);
    }
  });

  it('the SDK check does catch a broken card (the validation above can fail)', () => {
    const broken = { ...errorCard('x'), body: [{ type: 'TextBlok', text: 'typo' }] } as AdaptiveCard;
    expect(cardProblems(broken).join()).toMatch(/Unknown element type "TextBlok"/);
  });

  it('order status card: status, dates, carrier, tracking link and a ticket button carrying the order id', () => {
    const order = orders.find((o) => o.id === 'ORD-10421')!;
    const card = orderStatusCard(order);
    const json = JSON.stringify(card);
    for (const expected of [
      'Order ORD-10421',
      'Shipped',
      '2025-03-02',
      '2025-03-06',
      'DHL',
      'Wireless keyboard',
      '€108.90',
    ]) {
      expect(json).toContain(expected);
    }
    expect(card.actions as Action[]).toEqual([
      { type: 'Action.OpenUrl', title: 'Track with DHL', url: order.trackingUrl },
      {
        type: 'Action.Execute',
        title: 'Open a ticket about this order',
        verb: 'ticket.draftFromOrder',
        data: { orderId: 'ORD-10421' },
      },
    ]);
  });

  it('order status card without tracking has no tracking button', () => {
    const card = orderStatusCard(orders.find((o) => o.id === 'ORD-10422')!);
    expect((card.actions as Action[]).map((a) => a.type)).toEqual(['Action.Execute']);
  });

  it('orders list card has one row per order, each opening its status', () => {
    const mine = orders.filter((o) => o.ownerAadObjectId === draft.pk);
    const rows = ordersListCard(mine).body.filter((e) => e.type === 'ColumnSet') as {
      selectAction: Action;
    }[];
    expect(rows.map((r) => r.selectAction.data)).toEqual(mine.map((o) => ({ orderId: o.id })));
    expect(rows.every((r) => r.selectAction.verb === 'order.showStatus')).toBe(true);
  });

  it('draft card: Confirm and Cancel Universal Actions with draftId + sig and an editable priority', () => {
    const card = ticketDraftCard(draft, 'b'.repeat(64));
    const actions = card.actions as Action[];
    expect(actions.map((a) => [a.type, a.verb, a.data])).toEqual([
      ['Action.Execute', 'ticket.confirm', { draftId: draft.id, sig: 'b'.repeat(64) }],
      ['Action.Execute', 'ticket.cancel', { draftId: draft.id, sig: 'b'.repeat(64) }],
    ]);
    const priority = card.body.find((e) => e.id === 'priority') as {
      type: string;
      value: string;
      choices: { value: string }[];
    };
    expect(priority.type).toBe('Input.ChoiceSet');
    expect(priority.value).toBe('high');
    expect(priority.choices.map((c) => c.value)).toEqual(['low', 'normal', 'high', 'urgent']);
  });

  it('created and status cards show the ticket id and no buttons', () => {
    expect(JSON.stringify(ticketCreatedCard(created))).toContain('Ticket TKT-000042 created');
    expect(ticketCreatedCard(created).actions).toBeUndefined();
    expect(JSON.stringify(ticketStatusCard(created))).toContain('"text":"Open"');
  });

  it('the status card lists the newest note, then the two before it with their day; older ones stay in the history', () => {
    const note = (seq: number, comment: string | undefined, at: string) => ({
      seq,
      status: 'open' as const,
      previousStatus: 'open' as const,
      ...(comment ? { comment } : {}),
      at,
      by: 'agent:x',
    });
    const noted: TicketDocument = {
      ...created,
      updates: [
        note(1, 'first call', '2026-03-01T10:00:00.000Z'),
        note(2, 'courier booked', '2026-03-02T10:00:00.000Z'),
        note(3, undefined, '2026-03-03T10:00:00.000Z'),
        note(4, 'parts ordered', '2026-03-04T10:00:00.000Z'),
        note(5, 'customer called back', '2026-03-05T10:00:00.000Z'),
      ],
    };
    const card = ticketStatusCard(noted);
    const texts = (card.body as { text?: string }[]).map((el) => el.text).filter(Boolean);
    expect(texts.slice(-3)).toEqual([
      'Latest note: customer called back',
      'Earlier note (2026-03-04): parts ordered',
      'Earlier note (2026-03-02): courier booked',
    ]);
    expect(JSON.stringify(card)).not.toContain('first call');
    expect(cardProblems(card)).toEqual([]);
  });

  it('user text in ticket cards is escaped: a Markdown link, bold or list renders as typed', () => {
    const md = new MarkdownIt();
    const hostile: TicketDocument = {
      ...created,
      title: 'Click [here](http://evil.example/steal) **now**',
      description: '- item\n1. step <b>x</b> `code` _it_ # h',
      requester: { ...created.requester, name: '[Support](http://evil.example)' },
    };
    for (const card of [
      ticketDraftCard(hostile, 'b'.repeat(64)),
      ticketCreatedCard(hostile),
      ticketStatusCard(hostile),
      ticketCancelledCard(hostile),
    ]) {
      const texts: string[] = [];
      for (const el of card.body as { text?: string; facts?: { value: string }[] }[]) {
        if (el.text) texts.push(el.text);
        for (const f of el.facts ?? []) texts.push(f.value);
      }
      const html = texts.map((t) => md.render(t)).join('');
      expect(html).not.toMatch(/<a |<strong>|<em>|<li>|<code>|<h1>|<b>/);
      expect(html).toContain('Click [here](http://evil.example/steal) **now**');
    }
  });
});

describe('the order choice under "Which order do you mean?"', () => {
  it('offers one suggested reply per order that sends its number, in the turn language', () => {
    const en = orderChoiceMessage(['ORD-10395', 'ORD-10388']);
    expect(en.text).toBe('Tap an order number or type it:');
    expect(en.suggestedActions.actions).toEqual([
      { type: 'imBack', title: 'ORD-10395', value: 'ORD-10395' },
      { type: 'imBack', title: 'ORD-10388', value: 'ORD-10388' },
    ]);
    expect(orderChoiceMessage(['ORD-10395'], translator('zh-CN')).text).toBe('点选或输入订单号:');
  });
});
