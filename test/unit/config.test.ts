import { describe, expect, it } from 'vitest';
import { isAbsolute } from 'node:path';
import { ConfigError, componentModes, loadConfig, logLevel } from '../../src/config';
import { knowledgeOptions } from '../../src/knowledge/settings';

describe('loadConfig', () => {
  it('runs every component embedded when nothing is configured', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3978);
    expect(config.host).toBe('127.0.0.1');
    expect(config.bot.authEnabled).toBe(false);
    expect(config.llm.mode).toBe('embedded');
    expect(config.search.mode).toBe('embedded');
    expect(config.cosmos.mode).toBe('embedded');
    expect(componentModes(config)).toMatchObject({
      channelAuth: expect.stringMatching(/^off/),
      model: 'embedded intent model',
      search: 'embedded index',
      cosmos: expect.stringMatching(/embedded/),
    });
  });

  it('switches a component to Azure when its settings are present', () => {
    const config = loadConfig({
      BOT_ID: 'id',
      BOT_TYPE: 'UserAssignedMsi',
      BOT_TENANT_ID: 'tenant',
      AZURE_OPENAI_ENDPOINT: 'https://aoai.example.com',
      AZURE_OPENAI_DEPLOYMENT: 'gpt-4o',
      AZURE_SEARCH_ENDPOINT: 'https://search.example.com',
      COSMOS_ENDPOINT: 'https://cosmos.example.com:443',
      WEBSITE_SITE_NAME: 'app',
      PORT: '8080',
    });
    expect(config.bot.authEnabled).toBe(true);
    expect(config.llm).toMatchObject({ mode: 'azure', deployment: 'gpt-4o' });
    expect(config.search).toMatchObject({ mode: 'azure', index: 'knowledge' });
    expect(config.cosmos.mode).toBe('azure');
    expect(config.host).toBe('0.0.0.0');
    expect(config.port).toBe(8080);
  });

  it.each([
    [{ AZURE_OPENAI_ENDPOINT: 'not a url', AZURE_OPENAI_DEPLOYMENT: 'x' }, 'AZURE_OPENAI_ENDPOINT'],
    [{ AZURE_OPENAI_ENDPOINT: 'https://a.example.com' }, 'AZURE_OPENAI_DEPLOYMENT'],
    [{ AZURE_OPENAI_DEPLOYMENT: 'gpt' }, 'AZURE_OPENAI_ENDPOINT'],
    [{ COSMOS_KEY: 'k' }, 'COSMOS_ENDPOINT'],
    [{ BOT_PASSWORD: 'p' }, 'BOT_ID'],
    [{ BOT_ID: 'id', BOT_TYPE: 'SingleTenant' }, 'BOT_TENANT_ID'],
    [{ BOT_TYPE: 'Whatever' }, 'BOT_TYPE'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ AZURE_SEARCH_SEMANTIC: 'maybe' }, 'AZURE_SEARCH_SEMANTIC'],
    [{ TICKETS_WEBHOOK_URL: 'https://hooks.example.com/x' }, 'TICKETS_WEBHOOK_SECRET'],
    [{ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' }, 'OPENAI_MODEL'],
    [{ HOST: '0.0.0.0' }, 'BOT_ID'],
    [{ HOST: '192.168.1.20' }, 'BOT_ID'],
    [
      { AZURE_OPENAI_ENDPOINT: 'http://aoai.example.com', AZURE_OPENAI_DEPLOYMENT: 'gpt' },
      'AZURE_OPENAI_ENDPOINT',
    ],
    [
      { OPENAI_BASE_URL: 'http://llm.lan:8000/v1', OPENAI_MODEL: 'm', OPENAI_API_KEY: 'k' },
      'OPENAI_BASE_URL',
    ],
    [{ AZURE_SEARCH_ENDPOINT: 'http://search.example.com' }, 'AZURE_SEARCH_ENDPOINT'],
    [{ GRAPH_GROUPS: 'true', GRAPH_BASE_URL: 'http://graph.example.com' }, 'GRAPH_BASE_URL'],
    [{ ORDERS_API_URL: 'http://orders.example.com', ORDERS_API_TOKEN: 't' }, 'ORDERS_API_URL'],
    [
      { TICKETS_WEBHOOK_URL: 'http://hooks.example.com/x', TICKETS_WEBHOOK_SECRET: 's'.repeat(32) },
      'TICKETS_WEBHOOK_URL',
    ],
  ])('rejects %j naming %s', (env, variable) => {
    let caught: unknown;
    try {
      loadConfig(env as NodeJS.ProcessEnv);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe(variable);
    expect((caught as Error).message).toContain(variable);
  });

  it('reads ENCODER, or its old name KNOWLEDGE_ENCODER, for both the intent model and the index', () => {
    expect(loadConfig({}).encoder).toBe('none');
    for (const env of [{ ENCODER: 'embedded' }, { KNOWLEDGE_ENCODER: 'embedded' }]) {
      const config = loadConfig(env);
      expect(config.encoder).toBe('embedded');
      expect(config.search).toMatchObject({ mode: 'embedded', encoder: 'embedded' });
    }
    // The new name wins when both are set.
    const both = loadConfig({ ENCODER: 'none', KNOWLEDGE_ENCODER: 'embedded' });
    expect(both.encoder).toBe('none');
    expect(both.search).toMatchObject({ encoder: 'none' });
    expect(() => loadConfig({ ENCODER: 'bert' })).toThrow(/ENCODER/);
  });

  it('treats empty strings as unset (Teams Toolkit env files leave blanks)', () => {
    expect(loadConfig({ BOT_ID: '', COSMOS_ENDPOINT: '' }).bot.authEnabled).toBe(false);
  });

  it('accepts loopback http and a loopback HOST without BOT_ID, and a public HOST with BOT_ID', () => {
    expect(loadConfig({ HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: 'localhost' }).host).toBe('localhost');
    expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
    expect(loadConfig({ HOST: '0.0.0.0', BOT_ID: 'id' }).host).toBe('0.0.0.0');
    const local = loadConfig({
      AZURE_SEARCH_ENDPOINT: 'http://127.0.0.1:7001',
      ORDERS_API_URL: 'http://localhost:7002',
      ORDERS_API_TOKEN: 't',
      TICKETS_WEBHOOK_URL: 'http://127.0.0.1:7003/hook',
      TICKETS_WEBHOOK_SECRET: 's'.repeat(32),
    });
    expect(local.search.mode).toBe('azure');
    // A keyless self-hosted model on the LAN carries no credential.
    expect(loadConfig({ OPENAI_BASE_URL: 'http://llm.lan:8000/v1', OPENAI_MODEL: 'm' }).llm.mode).toBe(
      'openai-compatible',
    );
  });

  it('is the one reader: npm run ingest and the bot parse a variable the same way', () => {
    const azure = loadConfig({
      AZURE_SEARCH_ENDPOINT: 'https://search.example',
      AZURE_SEARCH_KEY: 'k',
      AZURE_SEARCH_SEMANTIC: '1',
    });
    expect(azure.search.mode === 'azure' && azure.search.semantic).toBe(true);
    expect(knowledgeOptions(azure).azure).toMatchObject({ semantic: true, apiKey: 'k', maxRetries: 0 });
  });

  it('resolves every default path from the project root, whatever the working directory', () => {
    const config = loadConfig({});
    const paths = [
      config.search.mode === 'embedded' ? config.search.indexPath : '',
      config.knowledgeDir,
      config.groups.mode === 'embedded' ? config.groups.directoryFile : '',
      config.cosmos.embeddedDataDir,
      config.rbac.policyFile,
    ];
    for (const p of paths) expect(isAbsolute(p), p).toBe(true);
  });
});

describe('logLevel', () => {
  it('is LOG_LEVEL when set, else info, or silent under tests', () => {
    expect(logLevel({ LOG_LEVEL: 'warn', VITEST: 'true' })).toBe('warn');
    expect(logLevel({ LOG_LEVEL: ' debug ' })).toBe('debug');
    expect(logLevel({})).toBe('info');
    expect(logLevel({ NODE_ENV: 'test' })).toBe('silent');
    expect(logLevel({ VITEST: 'true', LOG_LEVEL: '' })).toBe('silent');
  });
});
