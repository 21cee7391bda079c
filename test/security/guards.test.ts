import { describe, expect, it } from 'vitest';
import { activityTenantId, checkTenant, isTenantAllowed } from '../../src/security/tenantAllowList';
import { findForbiddenKey, MAX_JSON_DEPTH } from '../../src/security/bodyGuards';
import { ConfigError, loadConfig } from '../../src/config';

const T1 = '72f988bf-0000-0000-0000-000000000001';
const T2 = '11111111-2222-3333-4444-555555555555';
const activity = (conversationTenant?: unknown, channelDataTenant?: unknown) => ({
  conversation: { tenantId: conversationTenant },
  channelData: channelDataTenant === undefined ? {} : { tenant: { id: channelDataTenant } },
});

describe('tenant allow-list', () => {
  it('allows every tenant when the list is empty', () => {
    expect(isTenantAllowed(activity(T2, T2), [])).toBe(true);
    expect(isTenantAllowed(activity(), [])).toBe(true);
  });

  it('allows a listed tenant from either field, case-insensitively', () => {
    expect(isTenantAllowed(activity(T1, T1), [T1])).toBe(true);
    expect(isTenantAllowed(activity(undefined, T1), [T1])).toBe(true);
    expect(isTenantAllowed(activity(T1.toUpperCase()), [T1])).toBe(true);
  });

  it.each([
    ['an unlisted tenant', activity(T2, T2), 'tenant_not_allowed'],
    ['no tenant at all', activity(), 'no_tenant'],
    ['two tenants that disagree', activity(T1, T2), 'conflicting_tenants'],
    ['a non-string tenant', activity({ id: T1 }, 42), 'no_tenant'],
    ['a blank tenant', activity('  ', ''), 'no_tenant'],
  ])('refuses %s when a list is configured (fails closed)', (_name, a, reason) => {
    expect(checkTenant(a, [T1])).toMatchObject({ allowed: false, reason });
  });

  it('copes with null and odd shapes without throwing', () => {
    expect(activityTenantId({ conversation: null, channelData: null })).toBeUndefined();
    expect(activityTenantId({ channelData: 'x' })).toBeUndefined();
    expect(activityTenantId({ channelData: { tenant: null } })).toBeUndefined();
  });
});

describe('findForbiddenKey', () => {
  it('accepts an ordinary activity', () => {
    expect(
      findForbiddenKey({ type: 'message', from: { id: '29:a' }, entities: [{ type: 'mention' }] }),
    ).toBeUndefined();
  });

  it.each([
    ['__proto__ at the top', '{"type":"message","__proto__":{"isAdmin":true}}'],
    [
      '__proto__ deep inside card data',
      '{"type":"invoke","value":{"action":{"data":{"__proto__":{"x":1}}}}}',
    ],
    ['constructor.prototype', '{"type":"message","channelData":{"constructor":{"prototype":{"x":1}}}}'],
    ['__proto__ inside an array', '{"type":"message","entities":[{"__proto__":{}}]}'],
  ])('refuses %s', (_name, json) => {
    expect(findForbiddenKey(JSON.parse(json))).toMatch(/reserved key/);
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels without recursing`, () => {
    const deep = JSON.parse(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`);
    expect(findForbiddenKey(deep)).toMatch(/nested deeper/);
    const ok = JSON.parse(`${'['.repeat(MAX_JSON_DEPTH)}1${']'.repeat(MAX_JSON_DEPTH)}`);
    expect(findForbiddenKey(ok)).toBeUndefined();
  });
});

describe('channel authentication settings', () => {
  it.each([
    ['BOT_OPENID_METADATA_URL', 'http://keys.example.com/.well-known/openidconfiguration'],
    ['BOT_LOGIN_ENDPOINT', 'http://login.example.com/tenant'],
  ])('refuses plain http for %s outside loopback', (variable, value) => {
    expect(() => loadConfig({ BOT_ID: 'id', [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ BOT_ID: 'id', [variable]: value })).toThrow(variable);
  });

  it('accepts https anywhere and http on loopback', () => {
    const config = loadConfig({
      BOT_ID: 'id',
      BOT_OPENID_METADATA_URL: 'http://127.0.0.1:4000/.well-known/openidconfiguration',
      BOT_LOGIN_ENDPOINT: 'https://login.example.com/tenant',
    });
    expect(config.bot.openIdMetadataUrl).toContain('127.0.0.1');
  });

  it('refuses to run on App Service without BOT_ID (authentication cannot be off in production)', () => {
    expect(() => loadConfig({ WEBSITE_SITE_NAME: 'app' })).toThrow(/BOT_ID/);
  });

  it('reads the tenant allow-list as a comma-separated list', () => {
    expect(loadConfig({ ALLOWED_TENANT_IDS: ` ${T1}, ${T2} ,` }).bot.allowedTenantIds).toEqual([T1, T2]);
  });
});
