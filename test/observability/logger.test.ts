import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, turnLogger } from '../../src/observability/logger';
import { correlationFields, hashId } from '../../src/observability/correlation';
import { loadConfig } from '../../src/config';
import { message, personalConversation, users } from '../helpers/activities';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return {
    logger: createLogger({ level: 'debug', destination }),
    lines,
    records: () => lines.map((l) => JSON.parse(l)),
  };
}

const SECRETS = {
  BOT_ID: 'bot-id',
  BOT_PASSWORD: 'pw-SECRET-1',
  COSMOS_ENDPOINT: 'https://cosmos.example.com',
  COSMOS_KEY: 'cosmos-SECRET-2',
  AZURE_OPENAI_ENDPOINT: 'https://aoai.example.com',
  AZURE_OPENAI_DEPLOYMENT: 'gpt',
  AZURE_OPENAI_API_KEY: 'aoai-SECRET-3',
  AZURE_SEARCH_ENDPOINT: 'https://search.example.com',
  AZURE_SEARCH_KEY: 'search-SECRET-4',
  ORDERS_API_URL: 'https://orders.example.com',
  ORDERS_API_TOKEN: 'orders-SECRET-5',
  TICKETS_WEBHOOK_URL: 'https://hooks.example.com',
  TICKETS_WEBHOOK_SECRET: 'hook-SECRET-6',
  CARD_SIGNING_SECRET: 'card-SECRET-7',
  METRICS_TOKEN: 'metrics-SECRET-8',
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=ai-SECRET-9',
  REDIS_URL: 'redis://:redis-SECRET-10@cache:6379',
};

describe('logger redaction', () => {
  it('never writes a secret from a logged configuration', () => {
    const { logger, lines } = capture();
    logger.info({ config: loadConfig(SECRETS) }, 'starting');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('cosmos.example.com');
    expect(lines[0]).not.toMatch(/SECRET/);
  });

  it('redacts authorization headers, tokens and passwords wherever they appear one level down', () => {
    const { logger, lines } = capture();
    logger.warn({ headers: { authorization: 'Bearer tok-SECRET' } }, 'a');
    logger.warn({ req: { headers: { authorization: 'Bearer tok-SECRET', cookie: 'c-SECRET' } } }, 'b');
    logger.warn({ client: { clientSecret: 'x-SECRET', accessToken: 'y-SECRET', password: 'z-SECRET' } }, 'c');
    expect(lines.join('\n')).not.toMatch(/SECRET/);
    expect(lines.join('\n')).toContain('[redacted]');
  });

  it('never writes message text, at any level', () => {
    const { logger, lines } = capture();
    logger.info({ text: 'my card number is 4111' }, 'x');
    logger.debug({ turn: { text: 'my card number is 4111' } }, 'y');
    expect(lines.join('\n')).not.toContain('4111');
  });

  it('reduces a logged activity to correlation fields', () => {
    const { logger, records } = capture();
    const conv = personalConversation();
    const activity = message('http://127.0.0.1:1/', conv, 'private words here');
    logger.info({ activity }, 'got');
    const line = JSON.stringify(records()[0]);
    expect(line).not.toContain('private words');
    expect(line).not.toContain(conv.id);
    expect(records()[0].activity).toMatchObject({ activityId: activity.id, conversation: hashId(conv.id) });
  });
});

describe('turnLogger', () => {
  it('adds activity id, hashed conversation and user, tenant and type to every line, and no text', () => {
    const { logger, records } = capture();
    const conv = personalConversation();
    const activity = message('http://127.0.0.1:1/', conv, 'hello there secret', { user: users.bea });
    turnLogger(activity, logger).info({ step: 'plan' }, 'planning');
    const record = records()[0];
    expect(record).toMatchObject({
      activityId: activity.id,
      activityType: 'message',
      channelId: 'msteams',
      conversation: hashId(conv.id),
      conversationType: 'personal',
      user: hashId(users.bea.aadObjectId),
      tenantId: activity.conversation.tenantId,
      step: 'plan',
    });
    expect(record.conversation).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(record)).not.toContain(conv.id);
    expect(JSON.stringify(record)).not.toContain(users.bea.aadObjectId);
    expect(JSON.stringify(record)).not.toContain('hello there');
  });

  it('copes with a missing or malformed activity', () => {
    expect(correlationFields(undefined)).toEqual({});
    expect(correlationFields({ id: 42, conversation: null, from: null } as never)).toEqual({});
    expect(correlationFields({ id: 'x'.repeat(1000) }).activityId).toHaveLength(128);
  });
});
