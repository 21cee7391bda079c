import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { message, personalConversation, TENANT_ID } from '../helpers/activities';
import { LocalIdentityProvider, trustCertificate } from './localIdentityProvider';
import { logger } from '../../src/observability/logger';
import { loadConfig } from '../../src/config';
import { createAdapter } from '../../src/teams/adapter';
import { createServer } from '../../src/server';
import { Readiness } from '../../src/readiness';
import { createMetrics } from '../../src/observability/metrics';
import { postJson } from '../helpers/bot';
import type { AddressInfo } from 'node:net';

/**
 * Channel authentication end to end, with botbuilder's own validation: the bot's
 * BOT_OPENID_METADATA_URL / BOT_TOKEN_ISSUER / BOT_LOGIN_ENDPOINT point at a local identity
 * provider (HTTPS on 127.0.0.1) that publishes the signing keys and issues the bot's outbound
 * tokens. Replies are observed at the local connector.
 */
const APP_ID = '8c1f0d7e-0000-4000-8000-00000000b0t1';
const APP_SECRET = 'local-test-secret';
const OTHER_TENANT = '11111111-2222-3333-4444-555555555555';

let idp: LocalIdentityProvider;
let t: BotUnderTest;
let warn: ReturnType<typeof vi.spyOn>;

beforeAll(async () => {
  idp = await new LocalIdentityProvider({ id: APP_ID, secret: APP_SECRET }).start();
  trustCertificate(idp.caPem);
  t = await startBotUnderTest({
    BOT_ID: APP_ID,
    BOT_PASSWORD: APP_SECRET,
    BOT_OPENID_METADATA_URL: idp.openIdMetadataUrl,
    BOT_TOKEN_ISSUER: idp.channelIssuer,
    BOT_LOGIN_ENDPOINT: idp.loginEndpoint,
    ALLOWED_TENANT_IDS: TENANT_ID,
  });
});
afterAll(async () => {
  await t?.stop();
  await idp?.stop();
});
beforeEach(() => {
  t.connector.reset();
  warn?.mockRestore();
  warn = vi.spyOn(logger, 'warn');
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const validToken = (overrides: Partial<Parameters<LocalIdentityProvider['channelToken']>[0]> = {}) =>
  idp.channelToken({ audience: APP_ID, serviceUrl: t.connector.url, ...overrides });

/** Posts, then gives any (wrongly) started turn time to reach the connector before asserting. */
async function postAndSettle(body: unknown, headers?: Record<string, string>) {
  const res = await t.post(body, headers);
  await new Promise((r) => setTimeout(r, 100));
  return res;
}

describe('inbound channel tokens', () => {
  it('processes a request with a valid token, and signs the reply with a token from the login endpoint', async () => {
    const conv = personalConversation();
    const res = await t.post(message(t.connector.url, conv, 'help'), bearer(await validToken()));
    expect(res.status).toBe(200);

    const replies = t.connector.messages(conv.id);
    expect(replies.length).toBeGreaterThan(0);
    expect(idp.issuedTokens.length).toBeGreaterThan(0);
    // Every call to the connector carries a token the local authority issued for this bot.
    for (const call of t.connector.calls) {
      expect(call.authorization).toMatch(/^Bearer outbound-/);
      expect(idp.issuedTokens).toContain(call.authorization!.slice('Bearer '.length));
    }
    expect(idp.tokenRequests[0]).toEqual({
      grantType: 'client_credentials',
      clientId: APP_ID,
      clientSecret: APP_SECRET,
      scope: 'https://api.botframework.com/.default',
    });
  });

  const refused: Array<[string, () => Promise<Record<string, string>>, (url: string) => unknown]> = [
    ['no Authorization header', async () => ({}), (url) => message(url, personalConversation(), 'help')],
    [
      'a token signed with a key the channel does not publish',
      async () => bearer(await validToken({ foreignKey: true })),
      (url) => message(url, personalConversation(), 'help'),
    ],
    [
      'an expired token',
      async () => bearer(await validToken({ expiresIn: -3600 })),
      (url) => message(url, personalConversation(), 'help'),
    ],
    [
      'a token for another bot (wrong audience)',
      async () => bearer(await validToken({ audience: 'aud-marker-other-bot' })),
      (url) => message(url, personalConversation(), 'help'),
    ],
    [
      'a token from another issuer',
      async () => bearer(await validToken({ issuer: 'https://issuer.example.invalid' })),
      (url) => message(url, personalConversation(), 'help'),
    ],
    [
      'a token with an unknown key id',
      async () => bearer(await validToken({ kid: 'no-such-key' })),
      (url) => message(url, personalConversation(), 'help'),
    ],
    [
      'a token minted for another serviceUrl (reply redirection)',
      async () => bearer(await validToken({ serviceUrl: 'https://attacker.example.invalid/' })),
      (url) => message(url, personalConversation(), 'help'),
    ],
    [
      'a token whose key is not endorsed for the claimed channel',
      async () => bearer(await validToken()),
      (url) => ({ ...message(url, personalConversation(), 'help'), channelId: 'webchat' }),
    ],
    [
      'an unsigned token (alg none)',
      async () => bearer(unsignedToken(APP_ID, t.connector.url, idp.channelIssuer)),
      (url) => message(url, personalConversation(), 'help'),
    ],
    [
      'a Basic scheme',
      async () => ({ authorization: `Basic ${Buffer.from(`${APP_ID}:${APP_SECRET}`).toString('base64')}` }),
      (url) => message(url, personalConversation(), 'help'),
    ],
    [
      'garbage in place of a token',
      async () => bearer('not.a.jwt'),
      (url) => message(url, personalConversation(), 'help'),
    ],
  ];

  it.each(refused)(
    'refuses %s with 401, processes nothing and sends nothing',
    async (_name, headers, body) => {
      const tokensBefore = idp.tokenRequests.length;
      const res = await postAndSettle(body(t.connector.url), await headers());
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'unauthorized', message: expect.any(String) });
      // The refusal does not echo the token's claims back.
      expect(JSON.stringify(res.body)).not.toContain('aud-marker');
      expect(t.connector.calls).toHaveLength(0);
      expect(idp.tokenRequests.length).toBe(tokensBefore);
    },
  );
});

describe('tenant allow-list', () => {
  it('refuses a validly signed activity from another tenant with 403, and logs it', async () => {
    const conv = personalConversation();
    const activity = message(t.connector.url, conv, 'help');
    activity.conversation.tenantId = OTHER_TENANT;
    activity.channelData.tenant.id = OTHER_TENANT;
    const res = await postAndSettle(activity, bearer(await validToken()));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'tenant_not_allowed' });
    expect(t.connector.calls).toHaveLength(0);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({
        tenantId: OTHER_TENANT,
        reason: 'tenant_not_allowed',
        activityId: activity.id,
      }),
      expect.stringMatching(/tenant/),
    );
  });

  it('refuses an activity whose two tenant fields disagree', async () => {
    const activity = message(t.connector.url, personalConversation(), 'help');
    activity.channelData.tenant.id = OTHER_TENANT;
    const res = await postAndSettle(activity, bearer(await validToken()));
    expect(res.status).toBe(403);
    expect(t.connector.calls).toHaveLength(0);
  });

  it('checks the token before the tenant: a foreign-tenant request without a token gets 401', async () => {
    const activity = message(t.connector.url, personalConversation(), 'help');
    activity.conversation.tenantId = OTHER_TENANT;
    const res = await postAndSettle(activity);
    expect(res.status).toBe(401);
  });

  it('counts refusals by reason on /metrics', async () => {
    const res = await fetch(`${t.bot.url}/metrics`);
    const text = await res.text();
    expect(text).toMatch(/bot_rejected_requests_total\{reason="unauthenticated"\} [1-9]/);
    expect(text).toMatch(/bot_rejected_requests_total\{reason="forbidden"\} [1-9]/);
  });
});

describe('when the signing keys cannot be fetched', () => {
  it('answers 503 (not 401, not a crash) and runs no turn', async () => {
    const config = loadConfig({
      BOT_ID: APP_ID,
      BOT_PASSWORD: APP_SECRET,
      // Nothing listens on port 1: the metadata fetch fails.
      BOT_OPENID_METADATA_URL: 'http://127.0.0.1:1/.well-known/openidconfiguration',
      BOT_TOKEN_ISSUER: idp.channelIssuer,
    });
    let turns = 0;
    const server = createServer({
      adapter: createAdapter(config),
      onTurn: async () => {
        turns++;
      },
      readiness: new Readiness(),
      maxBodyBytes: 64 * 1024,
      metrics: createMetrics({ defaultMetrics: false }),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
      const res = await postJson(
        url,
        message(t.connector.url, personalConversation(), 'help'),
        bearer(await validToken()),
      );
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ error: 'unavailable', message: expect.any(String) });
      expect(turns).toBe(0);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

function unsignedToken(audience: string, serviceUrl: string, issuer: string): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ iss: issuer, aud: audience, serviceurl: serviceUrl, exp: now + 600, nbf: now - 60 })}.`;
}
