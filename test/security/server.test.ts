import type { AddressInfo } from 'node:net';
import { MiddlewareSet, type TurnContext } from 'botbuilder';
import type restify from 'restify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from '../../src/server';
import { createAdapter } from '../../src/teams/adapter';
import { loadConfig } from '../../src/config';
import { Readiness } from '../../src/readiness';
import { createMetrics, type BotMetrics } from '../../src/observability/metrics';
import { setTurnOutcome } from '../../src/observability/turnOutcome';
import { turnMetrics } from '../../src/teams/pipeline/metrics';
import { postJson } from '../helpers/bot';
import { LocalConnector } from '../helpers/connector';
import { message, personalConversation } from '../helpers/activities';

/** The HTTP surface with the turn-metrics step: /metrics protection, fixed JSON error bodies, turn metrics. */
const METRICS_TOKEN = 'metrics-token-for-tests';
let server: restify.Server;
let base: string;
let metrics: BotMetrics;
let connector: LocalConnector;
let turn: (context: TurnContext) => Promise<void> = async () => undefined;

beforeAll(async () => {
  connector = await new LocalConnector().start();
  metrics = createMetrics({ defaultMetrics: false });
  server = createServer({
    adapter: createAdapter(loadConfig({})),
    // The turn metrics are the pipeline's first step (src/teams/pipeline/metrics.ts).
    onTurn: (context) => new MiddlewareSet(turnMetrics(metrics)).run(context, () => turn(context)),
    readiness: new Readiness(),
    maxBodyBytes: 4096,
    metrics,
    metricsToken: METRICS_TOKEN,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await connector.stop();
});
beforeEach(() => {
  turn = async () => undefined;
  connector.reset();
});

const scrape = (token?: string) =>
  fetch(`${base}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

describe('GET /metrics', () => {
  it('requires the bearer token when METRICS_TOKEN is set', async () => {
    for (const res of [
      await scrape(),
      await scrape('wrong-token'),
      await fetch(`${base}/metrics`, { headers: { authorization: METRICS_TOKEN } }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.json()).toEqual({ error: 'unauthorized', message: expect.any(String) });
    }
  });

  it('serves the Prometheus text format with the right token', async () => {
    const res = await scrape(METRICS_TOKEN);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toContain('# TYPE bot_turn_duration_seconds histogram');
  });
});

describe('turn metrics', () => {
  it('labels a turn with the outcome its logic set, or ok, or error', async () => {
    const post = () => postJson(`${base}/api/messages`, message(connector.url, personalConversation(), 'hi'));
    turn = async (context) => setTurnOutcome(context, 'rate_limited');
    expect((await post()).status).toBe(200);
    turn = async () => undefined;
    expect((await post()).status).toBe(200);
    turn = async () => {
      throw new Error('boom with secret-detail-123');
    };
    const failed = await post();
    expect(failed.status).toBe(500);
    // The exception message stays on the server.
    expect(failed.body).toEqual({ error: 'internal_error', message: expect.any(String) });
    expect(JSON.stringify(failed.body)).not.toContain('secret-detail');

    const text = await (await scrape(METRICS_TOKEN)).text();
    expect(text).toContain('bot_turn_duration_seconds_count{outcome="rate_limited"} 1');
    expect(text).toContain('bot_turn_duration_seconds_count{outcome="ok"} 1');
    expect(text).toContain('bot_turn_duration_seconds_count{outcome="error"} 1');
  });

  it('passes an invoke response body through unchanged', async () => {
    turn = async (context) => {
      await context.sendActivity({
        type: 'invokeResponse',
        value: {
          status: 200,
          body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'done' },
        },
      });
    };
    const invoke = {
      ...message(connector.url, personalConversation(), ''),
      type: 'invoke',
      name: 'adaptiveCard/action',
    };
    const res = await postJson(`${base}/api/messages`, invoke);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'done',
    });
  });
});

describe('error bodies', () => {
  const MARKER = 'echo-marker-7f3a';
  it.each([
    [
      'malformed JSON',
      '/api/messages',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"type": "${MARKER}` },
      400,
    ],
    [
      'a body over the limit',
      '/api/messages',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: MARKER.repeat(1000) }),
      },
      413,
    ],
    [
      'a non-JSON content type',
      '/api/messages',
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: MARKER },
      415,
    ],
    ['an unknown path', `/${MARKER}`, { method: 'GET' }, 404],
    ['a wrong method', '/api/messages', { method: 'GET' }, 405],
    [
      'a reserved key',
      '/api/messages',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"type":"message","__proto__":{"${MARKER}":1}}`,
      },
      400,
    ],
  ])('answers %s with a fixed JSON error and no echo', async (_name, path, init, status) => {
    const res = await fetch(`${base}${path}`, init as RequestInit);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/json');
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: expect.any(String), message: expect.any(String) });
    expect(text).not.toContain(MARKER);
  });

  it('counts the refusals by reason', async () => {
    const text = await (await scrape(METRICS_TOKEN)).text();
    for (const reason of [
      'too_large',
      'unsupported_media_type',
      'not_found',
      'invalid_activity',
      'metrics_unauthenticated',
    ]) {
      expect(text).toMatch(new RegExp(`bot_rejected_requests_total\\{reason="${reason}"\\} [1-9]`));
    }
  });
});
