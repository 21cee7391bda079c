import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nodeFetch, { Headers } from 'node-fetch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isRetryableStatus, RETRYABLE_STATUSES, retryAfterMs } from '../../src/resilience/httpStatus';
import { createModelRequestPolicy } from '../../src/resilience/modelRequests';
import { createResilientFetch } from '../../src/resilience/resilientFetch';

/**
 * The one retry engine (cockatiel, src/resilience) against a real HTTP peer on loopback: which
 * statuses are re-sent, the wait the server asks for, and what the caller finally sees.
 */

interface Step {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Drop the connection instead of answering. */
  reset?: boolean;
}

let server: Server;
let base: string;
let script: Step[] = [];
let arrivals: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    arrivals.push(Date.now());
    req.resume();
    const step = script.shift() ?? { status: 200, body: '{"ok":true}' };
    if (step.reset) {
      req.socket.destroy();
      return;
    }
    res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
    res.end(step.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  script = [];
  arrivals = [];
});

/** The model's request policy with a tiny backoff, so only a honoured Retry-After takes time. */
const modelFetch = (maxRetries = 2, maxRetryAfterMs = 5000) =>
  createResilientFetch({
    policy: createModelRequestPolicy({ maxRetries, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs }),
    fetch: nodeFetch,
  });

const post = (f: ReturnType<typeof modelFetch>, init: Record<string, unknown> = {}) =>
  f(`${base}/chat`, { method: 'POST', body: '{"a":1}', ...init });

describe('HTTP retries (cockatiel policy, local peer)', () => {
  it('waits the Retry-After the server asks for (seconds and retry-after-ms), then returns the success', async () => {
    script = [{ status: 429, headers: { 'retry-after': '1' } }];
    const res = await post(modelFetch());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(arrivals).toHaveLength(2);
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(950);

    script = [{ status: 503, headers: { 'retry-after-ms': '300' } }];
    arrivals = [];
    expect((await post(modelFetch())).status).toBe(200);
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(280);
  });

  it('re-sends exactly the retryable statuses', async () => {
    for (const status of RETRYABLE_STATUSES) {
      script = [{ status }];
      arrivals = [];
      expect((await post(modelFetch())).status, `status ${status}`).toBe(200);
      expect(arrivals, `status ${status}`).toHaveLength(2);
    }
    for (const status of [400, 401, 403, 404, 422, 501, 505]) {
      script = [{ status, body: '{"error":"no"}' }];
      arrivals = [];
      const res = await post(modelFetch());
      expect(res.status, `status ${status}`).toBe(status);
      expect(arrivals, `status ${status}`).toHaveLength(1);
    }
  });

  it('returns the last failure with its body once retries are exhausted', async () => {
    script = [500, 502, 503].map((status) => ({ status, body: `{"error":{"code":"e${status}"}}` }));
    const res = await post(modelFetch(2));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: { code: 'e503' } });
    expect(arrivals).toHaveLength(3);
  });

  it('gives up at once when the server asks for a longer wait than a turn allows', async () => {
    script = [{ status: 429, headers: { 'retry-after-ms': '60000' }, body: '{"error":"busy"}' }];
    const started = Date.now();
    const res = await post(modelFetch(3, 5000));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after-ms')).toBe('60000');
    expect(arrivals).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('re-sends after a dropped connection', async () => {
    script = [{ status: 0, reset: true }];
    const res = await post(modelFetch());
    expect(res.status).toBe(200);
    expect(arrivals).toHaveLength(2);
  });

  it('stops waiting as soon as the caller aborts', async () => {
    script = [{ status: 429, headers: { 'retry-after': '4' } }];
    const controller = new AbortController();
    const pending = post(modelFetch(), { signal: controller.signal });
    while (arrivals.length === 0) await new Promise((r) => setImmediate(r));
    const started = Date.now();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(arrivals).toHaveLength(1);
  });
});

describe('retry facts of an HTTP answer', () => {
  const h = (init: Record<string, string> = {}) => new Headers(init);

  it('one status set; an explicit x-should-retry wins', () => {
    expect([...RETRYABLE_STATUSES].sort()).toEqual([408, 429, 500, 502, 503, 504]);
    expect(isRetryableStatus(400, h({ 'x-should-retry': 'true' }))).toBe(true);
    expect(isRetryableStatus(503, h({ 'x-should-retry': 'false' }))).toBe(false);
  });

  it('reads retry-after-ms, Retry-After seconds and Retry-After HTTP dates', () => {
    expect(retryAfterMs(h({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(h({ 'retry-after': '0.5' }))).toBe(500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs(h({ 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' }), now)).toBe(3000);
    expect(retryAfterMs(h({ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(h({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(h({ 'retry-after': '-3' }))).toBeUndefined();
    expect(retryAfterMs(h())).toBeUndefined();
  });
});
