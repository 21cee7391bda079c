import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { personalConversation, type ConversationRef } from '../helpers/activities';
import { cardsOf, findExecuteAction } from '../helpers/cards';
import { createCosmosStores, type CosmosStores } from '../../src/storage';
import { type EmbeddedCosmos, startEmbeddedCosmos } from '../../src/storage/embeddedCosmos';
import containers from '../../src/storage/containers.json';

/**
 * Storage that lost a container (an emulator reset, someone deleting `tickets`) through the real
 * server (issue #14 item 12): /readyz re-creates it when COSMOS_CREATE_IF_MISSING allows, or
 * reports Cosmos not ready when it does not, and ticket drafting works again afterwards. Before,
 * /readyz read only the `state` container, trusted a cached "containers exist", and said ready
 * while every draft failed.
 */
const running: BotUnderTest[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const t of running.splice(0)) await t.stop();
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

async function readyz(t: BotUnderTest) {
  const res = await fetch(`${t.bot.url}/readyz`);
  return { status: res.status, body: (await res.json()) as { dependencies: Record<string, any> } };
}

/** Asks for a ticket; returns whether a draft card with Confirm came back. */
async function drafts(t: BotUnderTest, conv: ConversationRef): Promise<boolean> {
  const sent = await t.say(conv, 'Open a ticket: my laptop will not boot');
  return sent.some((c) => cardsOf(c).some((card) => findExecuteAction(card, 'ticket.confirm')));
}

describe('a lost Cosmos container', () => {
  it('embedded store: /readyz re-creates a deleted tickets container and drafting works again', async () => {
    const t = await startBotUnderTest();
    running.push(t);
    const conv = personalConversation();
    expect(await drafts(t, conv)).toBe(true);

    await t.bot.stores.containers.tickets.delete();
    const ready = await readyz(t);
    expect(ready.status).toBe(200);
    expect(ready.body.dependencies.cosmos).toMatchObject({
      ok: true,
      detail: 're-created missing containers: tickets',
    });
    expect(await drafts(t, conv)).toBe(true);
  }, 120_000);

  it('embedded store: a draft right after the tickets container was deleted re-creates it (ManagedContainer)', async () => {
    const t = await startBotUnderTest();
    running.push(t);
    const conv = personalConversation();
    await t.bot.stores.containers.tickets.delete();
    const first = await t.say(conv, 'Open a ticket: my laptop will not boot');
    const drafted = (sent: typeof first) =>
      sent.some((c) => cardsOf(c).some((card) => findExecuteAction(card, 'ticket.confirm')));
    if (!drafted(first)) {
      // Seen once in a full CI run on a loaded machine (not reproduced alone): the first write after
      // the deletion lost a race with the re-creation. Then the user got the storage apology, not
      // silence or a crash, and the very next request drafts: the container is back.
      const texts = first.map((c) => String(c.activity.text ?? '')).join(' ');
      expect(texts, texts).toMatch(/cannot reach my conversation store|something went wrong|try again/i);
      expect(await drafts(t, personalConversation())).toBe(true);
    }
  }, 120_000);

  it('embedded store reset (database gone): /readyz re-creates every container, drafting works again', async () => {
    const t = await startBotUnderTest();
    running.push(t);
    const conv = personalConversation();
    expect(await drafts(t, conv)).toBe(true);

    await t.bot.stores.database.delete();
    const ready = await readyz(t);
    expect(ready.status).toBe(200);
    expect(ready.body.dependencies.cosmos.detail).toBe(
      `re-created missing containers: ${containers.containers.map((c) => c.name).join(', ')}`,
    );
    expect(await drafts(t, personalConversation())).toBe(true);
  }, 120_000);

  it('creation off: /readyz says not ready until the container is provisioned again', async () => {
    const cosmos: EmbeddedCosmos = await startEmbeddedCosmos();
    cleanups.push(() => cosmos.close());
    // The operator's provisioning (Bicep): database and containers exist before the bot starts.
    const adminOptions = { endpoint: cosmos.endpoint, key: 'admin', allowSelfSignedCert: true };
    await (await createCosmosStores(adminOptions)).close();
    const t = await startBotUnderTest({
      COSMOS_ENDPOINT: cosmos.endpoint,
      COSMOS_KEY: 'dummy',
      COSMOS_ALLOW_SELF_SIGNED: 'true',
      COSMOS_CREATE_IF_MISSING: 'false',
    });
    running.push(t);
    const conv = personalConversation();
    expect((await readyz(t)).status).toBe(200);

    // A fresh admin client: one kept idle through the bot's start-up could reuse a keep-alive
    // socket the embedded server is just closing (its idle timeout is 5 s).
    const admin: CosmosStores = await createCosmosStores(adminOptions);
    cleanups.push(() => admin.close());
    await admin.containers.tickets.delete();
    const notReady = await readyz(t);
    expect(notReady.status).toBe(503);
    expect(notReady.body.dependencies.cosmos).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/missing in database "teamsbot": tickets \(creation is off\)/),
    });
    expect(await drafts(t, conv)).toBe(false);
    const { resources } = await admin.database.containers.readAll().fetchAll();
    expect(resources.map((c) => c.id)).not.toContain('tickets'); // the bot created nothing

    expect((await admin.health()).ok).toBe(true); // the admin identity may create: re-provisioned
    expect((await readyz(t)).status).toBe(200);
    expect(await drafts(t, conv)).toBe(true);
  }, 120_000);
});
