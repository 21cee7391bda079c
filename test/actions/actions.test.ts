import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelCardSigner } from '../../src/actions/cancelOrder';
import { createCardActionHandler } from '../../src/teams/routes/cardActions';
import { validateCardActionData } from '../../src/teams/cards/cardVerbs';
import type { ActionDeps } from '../../src/actions/deps';
import { loadRbacPolicy } from '../../src/actions/rbac';
import { createActionRegistry } from '../../src/actions/registry';
import type { ActionContext, ActionOutcome } from '../../src/actions/types';
import { CosmosOrderService } from '../../src/orders/cosmosOrderService';
import { type OrderService, OrdersUnavailableError } from '../../src/orders/order';
import { SAMPLE_ORDERS_AS_OF, seedOrders } from '../../src/orders/seedOrders';
import { TicketService } from '../../src/tickets/ticketService';
import { ReturnCardSigner } from '../../src/actions/startReturn';
import { ReturnStore } from '../../src/returns/returnStore';
import { renderToolCard } from '../../src/teams/toolCards';
import { type CosmosFixture, startCosmosFixture } from './fixtures/cosmos';

const rbac = loadRbacPolicy();
function ctxFor(aadObjectId: string, name: string): ActionContext {
  return {
    user: { aadObjectId, name },
    roles: rbac.rolesFor({ aadObjectId }),
    conversationId: `conv-${name}`,
  };
}
const alex = ctxFor('00000000-0000-0000-0000-00000000a001', 'Alex');
const bea = ctxFor('00000000-0000-0000-0000-00000000a002', 'Bea');
const dana = ctxFor('00000000-0000-0000-0000-00000000a004', 'Dana');

function expectOk(outcome: ActionOutcome): Extract<ActionOutcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`expected ok, got ${outcome.code}: ${outcome.error}`);
  return outcome;
}
function draftDataFromCard(card: unknown): { draftId: string; sig: string } {
  const confirm = (
    card as { actions: { verb?: string; data?: { draftId: string; sig: string } }[] }
  ).actions.find((a) => a.verb === 'ticket.confirm');
  if (!confirm?.data) throw new Error('draft card has no confirm action');
  return confirm.data;
}

describe('business actions over embedded Cosmos (real SDK)', () => {
  let cosmos: CosmosFixture;
  let deps: ActionDeps;
  let registry: ReturnType<typeof createActionRegistry>;
  let onCardAction: ReturnType<typeof createCardActionHandler>;
  const call = (tool: string, ctx: ActionContext, args: unknown) => registry.get(tool as never)!(ctx, args);

  beforeAll(async () => {
    cosmos = await startCosmosFixture(['orders', 'tickets', 'returns']);
    await seedOrders(cosmos.container('orders'), undefined, new Date(SAMPLE_ORDERS_AS_OF));
    deps = {
      orders: new CosmosOrderService(cosmos.container('orders')),
      tickets: new TicketService({
        repository: cosmos.ticketRepository(),
        draftSecret: 'draft-secret-for-tests-123',
      }),
      rbac,
      cardSigner: new CancelCardSigner('card-secret-for-tests-1234'),
      returns: {
        store: new ReturnStore(cosmos.container('returns')),
        signer: new ReturnCardSigner('card-secret-for-tests-1234'),
        policy: { citation: async () => undefined },
        windowDays: 30,
        now: () => new Date(`${SAMPLE_ORDERS_AS_OF}T12:00:00Z`),
      },
    };
    registry = createActionRegistry(deps);
    onCardAction = createCardActionHandler(deps, registry);
  });
  afterAll(() => cosmos.close());

  describe('get_order_status', () => {
    it('shows the owner their order with a status card', async () => {
      const out = expectOk(await call('get_order_status', alex, { orderId: 'ORD-10421' }));
      expect(out.summary).toBe('Order ORD-10421 is shipped, estimated delivery 2025-03-06, carrier DHL.');
      const card = JSON.stringify(renderToolCard('get_order_status', out.data));
      expect(card).toContain('"type":"Action.OpenUrl"');
      expect(card).toContain('"verb":"ticket.draftFromOrder"');
    });

    it("refuses someone else's order with exactly the unknown-order reply (no leak)", async () => {
      const foreign = await call('get_order_status', alex, { orderId: 'ORD-10430' });
      const unknown = await call('get_order_status', alex, { orderId: 'ORD-99999' });
      expect(foreign).toEqual({
        ok: false,
        code: 'not_found',
        error: "I couldn't find order ORD-10430 on your account.",
      });
      expect(unknown).toEqual({
        ok: false,
        code: 'not_found',
        error: "I couldn't find order ORD-99999 on your account.",
      });
      expect(JSON.stringify(foreign)).not.toMatch(/out.for.delivery|Bea|DPD/i);
    });

    it('lets a support agent see any order', async () => {
      const out = expectOk(await call('get_order_status', dana, { orderId: 'ORD-10430' }));
      expect(out.summary).toContain('out for delivery');
    });

    it('returns an error result for invalid arguments', async () => {
      expect(await call('get_order_status', alex, { orderId: 'banana' })).toEqual({
        ok: false,
        code: 'invalid_arguments',
        error: 'Invalid arguments: orderId must look like ORD-12345',
      });
    });
  });

  it('list_my_orders lists only the caller orders', async () => {
    const out = expectOk(await call('list_my_orders', alex, {}));
    expect(out.summary).toBe(
      'You have 4 order(s): ORD-10422 (processing), ORD-10421 (shipped), ORD-10395 (delivered), ORD-10388 (delivered).',
    );
    expect((out.data as { id: string }[]).map((o) => o.id)).toEqual([
      'ORD-10422',
      'ORD-10421',
      'ORD-10395',
      'ORD-10388',
    ]);
    const none = expectOk(
      await call('list_my_orders', ctxFor('00000000-0000-0000-0000-0000000000ff', 'Nobody'), {}),
    );
    expect(none.summary).toBe('You have no orders.');
  });

  it('draft → confirm via card action → get_ticket_status for owner, foreign user and agent', async () => {
    const drafted = expectOk(
      await call('create_ticket', alex, {
        title: 'Mouse double-clicks',
        description: 'The mouse from my order double-clicks.',
        category: 'order',
        priority: 'normal',
        orderId: 'ORD-10421',
      }),
    );
    expect(drafted.summary).toContain('press Confirm');
    const data = draftDataFromCard(renderToolCard('create_ticket', drafted.data));

    // Bea clicking Alex's card (e.g. a shared chat) is refused.
    const foreign = await onCardAction(bea, 'ticket.confirm', { ...data, priority: 'urgent' });
    expect(foreign).toMatchObject({ ok: false, code: 'forbidden' });

    const confirmed = await onCardAction(alex, 'ticket.confirm', { ...data, priority: 'high' });
    expect(confirmed.ok).toBe(true);
    const ticketId = /TKT-\d{6}/.exec(JSON.stringify(confirmed.card))?.[0];
    expect(ticketId).toBeDefined();

    const own = expectOk(await call('get_ticket_status', alex, { ticketId }));
    expect(own.summary).toBe(`Ticket ${ticketId} ("Mouse double-clicks") is open; priority high.`);
    expect(await call('get_ticket_status', bea, { ticketId })).toEqual({
      ok: false,
      code: 'not_found',
      error: `I couldn't find ticket ${ticketId} on your account.`,
    });
    expectOk(await call('get_ticket_status', dana, { ticketId }));
  });

  it("create_ticket refuses to reference someone else's order", async () => {
    const out = await call('create_ticket', alex, {
      title: 'About that order',
      description: 'x',
      category: 'order',
      priority: 'low',
      orderId: 'ORD-10430',
    });
    expect(out).toEqual({
      ok: false,
      code: 'not_found',
      error: "I couldn't find order ORD-10430 on your account.",
    });
  });

  it('card actions: cancel, order buttons, and refusal of invalid data', async () => {
    const drafted = expectOk(
      await call('create_ticket', bea, {
        title: 'Dock flickers',
        description: 'Screen flickers.',
        category: 'technical',
        priority: 'low',
      }),
    );
    const data = draftDataFromCard(renderToolCard('create_ticket', drafted.data));
    const cancelled = await onCardAction(bea, 'ticket.cancel', data);
    expect(cancelled.ok).toBe(true);
    expect(JSON.stringify(cancelled.card)).toContain('cancelled');

    const fromOrder = await onCardAction(alex, 'ticket.draftFromOrder', { orderId: 'ORD-10421' });
    expect(fromOrder.ok).toBe(true);
    expect(JSON.stringify(fromOrder.card)).toContain('Problem with order ORD-10421');
    expect(await onCardAction(alex, 'ticket.draftFromOrder', { orderId: 'ORD-10430' })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(await onCardAction(alex, 'order.showStatus', { orderId: 'ORD-10422' })).toMatchObject({
      ok: true,
    });

    expect(await onCardAction(alex, 'ticket.confirm', { draftId: 'x', sig: data.sig })).toMatchObject({
      ok: false,
      code: 'invalid_arguments',
    });
    expect(await onCardAction(alex, 'ticket.delete', data)).toMatchObject({
      ok: false,
      code: 'invalid_arguments',
    });
    expect(await onCardAction(alex, 'ticket.confirm', { ...data, priority: 'whenever' })).toMatchObject({
      ok: false,
    });
    const nobody: ActionContext = { ...alex, roles: [] };
    expect(await onCardAction(nobody, 'ticket.confirm', data)).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
  });

  it('refuses every tool for a caller without a role', async () => {
    const nobody: ActionContext = { ...alex, roles: [] };
    expect(await call('list_my_orders', nobody, {})).toEqual({
      ok: false,
      code: 'forbidden',
      error: 'You are not allowed to use list_my_orders.',
    });
  });
});

describe('validateCardActionData', () => {
  const draftId = '0f8fad5b-d9cb-469f-a165-70867728950e';
  const sig = 'a'.repeat(64);
  it('accepts the documented shapes, treating an empty priority as none', () => {
    expect(validateCardActionData('ticket.confirm', { draftId, sig, priority: '' })).toEqual({
      ok: true,
      action: { verb: 'ticket.confirm', data: { draftId, sig } },
    });
    expect(validateCardActionData('order.showStatus', { orderId: 'ord-10421' })).toEqual({
      ok: true,
      action: { verb: 'order.showStatus', data: { orderId: 'ORD-10421' } },
    });
  });
  it('refuses unknown verbs and bad data without throwing', () => {
    expect(validateCardActionData(undefined, {})).toEqual({ ok: false, error: 'Unknown card action' });
    expect(validateCardActionData('ticket.cancel', null)).toEqual({
      ok: false,
      error: 'Invalid card data: draftId is required; sig is required',
    });
    expect(validateCardActionData('ticket.cancel', { draftId, sig: 'zz' })).toEqual({
      ok: false,
      error: 'Invalid card data: sig is not valid',
    });
  });
});

describe('backend failures become results, never exceptions', () => {
  const tickets = {} as TicketService;
  it('maps OrdersUnavailableError to unavailable and unexpected errors to a generic unavailable', async () => {
    const down: OrderService = {
      get: async () => {
        throw new OrdersUnavailableError('Orders API timed out');
      },
      listForOwner: async () => {
        throw new Error('boom: a bug');
      },
      cancel: async () => {
        throw new OrdersUnavailableError('Orders API timed out');
      },
      requestReturn: async () => {
        throw new OrdersUnavailableError('Orders API timed out');
      },
    };
    const registry = createActionRegistry({
      orders: down,
      tickets,
      rbac,
      cardSigner: new CancelCardSigner('card-secret-for-tests-1234'),
      returns: {
        store: {} as ReturnStore,
        signer: new ReturnCardSigner('card-secret-for-tests-1234'),
        policy: { citation: async () => undefined },
        windowDays: 30,
      },
    });
    expect(await registry.get('get_order_status')!(alex, { orderId: 'ORD-10421' })).toMatchObject({
      ok: false,
      code: 'unavailable',
      error: expect.stringContaining('not reachable'),
    });
    expect(await registry.get('list_my_orders')!(alex, {})).toEqual({
      ok: false,
      code: 'unavailable',
      error: 'Something went wrong on my side. Please try again.',
    });
  });
});
