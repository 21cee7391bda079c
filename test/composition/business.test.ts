import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCardActionHandler } from '../../src/teams/routes/cardActions';
import { createBusinessActions } from '../../src/composition/business';
import { loadOrdersFile } from '../../src/orders/seedOrders';
import { startOrdersApiStub, type OrdersApiStub } from '../fakes/ordersApiStub';
import { WebhookReceiver } from '../fakes/webhookReceiver';
import { type CosmosFixture, startCosmosFixture } from '../actions/fixtures/cosmos';

const SECRET = 'whsec-wiring-0123456789';

describe('createBusinessActions (the wiring the Teams layer calls)', () => {
  let cosmos: CosmosFixture;
  let receiver: WebhookReceiver;
  let stub: OrdersApiStub;

  beforeAll(async () => {
    cosmos = await startCosmosFixture(['orders', 'tickets', 'outbox', 'returns']);
    receiver = new WebhookReceiver(SECRET);
    await receiver.start();
    stub = await startOrdersApiStub(await loadOrdersFile());
  });
  afterAll(async () => {
    await receiver.stop();
    await stub.close();
    await cosmos.close();
  });

  it('embedded mode: seeds orders, resolves roles from env, drafts + confirms a ticket and delivers the webhook', async () => {
    const actions = await createBusinessActions({
      orders: { kind: 'cosmos', container: cosmos.container('orders'), seedSampleData: true },
      tickets: cosmos.ticketRepository(),
      returns: cosmos.container('returns'),
      outbox: cosmos.container('outbox'),
      draftSecret: 'draft-secret-0123456789',
      webhook: { url: receiver.url, secret: SECRET, pollIntervalMs: 60_000 },
      supportAgentIds: ['00000000-0000-0000-0000-00000000a003'],
    });
    const carl = actions.contextFor(
      { aadObjectId: '00000000-0000-0000-0000-00000000a003', name: 'Carl' },
      'c1',
    );
    expect(carl.roles).toEqual(['employee', 'support_agent']);
    expect((await actions.registry.get('get_order_status')!(carl, { orderId: 'ORD-10421' })).ok).toBe(true);

    const alex = actions.contextFor(
      { aadObjectId: '00000000-0000-0000-0000-00000000a001', name: 'Alex' },
      'c2',
    );
    const drafted = await actions.registry.get('create_ticket')!(alex, {
      title: 'Wrong item',
      description: 'I got a mouse instead of a keyboard.',
      category: 'order',
      priority: 'normal',
      orderId: 'ORD-10421',
    });
    if (!drafted.ok) throw new Error(drafted.error);
    const { draftId } = drafted.data as { draftId: string };
    const result = await createCardActionHandler(actions.deps, actions.registry)(alex, 'ticket.confirm', {
      draftId,
      sig: actions.tickets.signDraft(draftId),
    });
    expect(result.ok).toBe(true);
    const ticketId = /TKT-\d{6}/.exec(JSON.stringify(result.card))![0];
    // Deliveries are keyed by the draft's UUID (X-Idempotency-Key), the body names the ticket.
    await vi.waitFor(() => expect(receiver.countFor(draftId)).toBe(1), { timeout: 5000, interval: 20 });
    expect(receiver.deliveries.find((d) => d.idempotencyKey === draftId)?.body).toMatchObject({
      id: ticketId,
    });
    await actions.dispatcher?.stop();
  });

  it('REST mode: orders come from ORDERS_API_URL', async () => {
    const actions = await createBusinessActions({
      orders: { kind: 'rest', baseUrl: stub.baseUrl },
      tickets: cosmos.ticketRepository(),
      returns: cosmos.container('returns'),
      draftSecret: 'draft-secret-0123456789',
    });
    const alex = actions.contextFor({ aadObjectId: '00000000-0000-0000-0000-00000000a001' }, 'c3');
    stub.requests.length = 0;
    const out = await actions.registry.get('list_my_orders')!(alex, {});
    expect(out.ok).toBe(true);
    expect(stub.requests.map((r) => r.url)).toEqual([
      '/api/orders?owner=00000000-0000-0000-0000-00000000a001',
    ]);
    expect(actions.dispatcher).toBeUndefined();
  });

  it('refuses a webhook without an outbox container', async () => {
    await expect(
      createBusinessActions({
        orders: { kind: 'rest', baseUrl: stub.baseUrl },
        tickets: cosmos.ticketRepository(),
        returns: cosmos.container('returns'),
        draftSecret: 'draft-secret-0123456789',
        webhook: { url: receiver.url, secret: SECRET },
      }),
    ).rejects.toThrow(/no outbox container/);
  });
});
