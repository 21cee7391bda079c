import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { personalConversation } from '../helpers/activities';
import { confirmDraftAction } from '../helpers/cards';
import { WebhookReceiver } from '../fakes/webhookReceiver';
import { startThrottlingProxy } from '../storage/throttlingProxy';
import { createCosmosStores, type CosmosStores } from '../../src/storage';
import { type EmbeddedCosmos, startEmbeddedCosmos } from '../../src/storage/embeddedCosmos';

/**
 * "A ticket can be stored but never forwarded" (issue #14 item 6), through the real server: the
 * ticket update and its outbox entry are two Cosmos writes, and here the outbox write of the
 * Confirm click fails once (a proxy in front of the Cosmos-protocol server answers it 403). The
 * user must see the created-ticket card, not an error card, and the reconciler must re-drive the
 * webhook from ticket state: exactly one delivery, one ticket and one outbox entry in Cosmos.
 */
const isOutboxCreate = (method: string, url: string, headers: Record<string, unknown>) =>
  method === 'POST' &&
  /^\/dbs\/[^/]+\/colls\/outbox\/docs\/?$/.test(url) &&
  String(headers['x-ms-documentdb-isquery'] ?? '') !== 'true' &&
  headers['content-type'] !== 'application/query+json';

let cosmos: EmbeddedCosmos;
let proxy: Awaited<ReturnType<typeof startThrottlingProxy>>;
let reader: CosmosStores;
let receiver: WebhookReceiver;
let t: BotUnderTest;

beforeAll(async () => {
  cosmos = await startEmbeddedCosmos();
  proxy = await startThrottlingProxy(cosmos.endpoint, isOutboxCreate, 1, 403);
  receiver = await new WebhookReceiver().start();
  reader = await createCosmosStores({ endpoint: cosmos.endpoint, key: 'reader', allowSelfSignedCert: true });
  t = await startBotUnderTest({
    // Endpoint discovery would send the bot to the server's own address, around the proxy.
    COSMOS_ENDPOINT_DISCOVERY: 'false',
    COSMOS_ENDPOINT: proxy.endpoint,
    COSMOS_KEY: 'dummy',
    COSMOS_ALLOW_SELF_SIGNED: 'true',
    TICKETS_WEBHOOK_URL: receiver.url,
    TICKETS_WEBHOOK_SECRET: 'outbox-failure-webhook-secret',
    // The reconciler runs at start and then at this interval (default 60 s).
    TICKETS_WEBHOOK_RECONCILE_MS: '200',
  });
}, 120_000);

afterAll(async () => {
  await t?.stop();
  await reader?.close();
  await receiver?.stop();
  await proxy?.close();
  await cosmos?.close();
});

/** How many reconcile passes have queried the tickets container so far (seen at the proxy). */
const ticketQueries = () =>
  proxy.forwarded().filter((r) => /^POST \/dbs\/[^/]+\/colls\/tickets\/docs\/?$/.test(r)).length;

describe('an outbox write that fails during Confirm', () => {
  it('shows the created ticket, and the reconciler delivers its webhook exactly once', async () => {
    const conv = personalConversation();
    const draft = await t.say(conv, 'Open a ticket: my laptop will not boot');
    expect(draft.length).toBeGreaterThan(0);

    const res = await t.post(confirmDraftAction(t.connector, conv, draft[0]!.activityId!));
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const card = JSON.stringify(res.body.value);
    const ticketId = /TKT-\d{6}/.exec(card)?.[0];
    expect(ticketId).toBeDefined();
    expect(card).not.toMatch(/went wrong|try again/i);
    expect(proxy.throttled()).toBe(1); // the outbox write of this Confirm was refused

    await expect
      .poll(() => receiver.deliveries.filter((d) => d.raw.includes(ticketId!)).length, { timeout: 15_000 })
      .toBe(1);
    // Several more reconcile passes find the entry and enqueue nothing new: still one delivery.
    const passes = ticketQueries();
    await expect.poll(ticketQueries, { timeout: 15_000 }).toBeGreaterThan(passes + 3);
    await t.bot.business.dispatcher!.flush();
    expect(receiver.deliveries.filter((d) => d.raw.includes(ticketId!))).toHaveLength(1);
    expect([...receiver.countsByKey().values()]).toEqual([1]);

    // In the stored data: one ticket, one outbox entry for it, delivered.
    const { resources: tickets } = await reader.containers.tickets.items
      .query({
        query: 'SELECT * FROM c WHERE c.type = "ticket" AND c.ticketId = @id',
        parameters: [{ name: '@id', value: ticketId! }],
      })
      .fetchAll();
    expect(tickets).toHaveLength(1);
    const { resources: outbox } = await reader.containers.outbox.items
      .query('SELECT * FROM c WHERE c.type = "outbox"')
      .fetchAll();
    expect(outbox.map((e) => [e.id, e.status])).toEqual([[`ticket.created.${ticketId}`, 'delivered']]);
  }, 60_000);
});
