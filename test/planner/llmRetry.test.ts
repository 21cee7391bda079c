import { Headers, Response } from 'node-fetch';
import { describe, expect, it } from 'vitest';
import { createRetryingFetch, abortableSleep, type FetchFn } from '../../src/planner/retryingFetch';
import {
  backoffDelayMs,
  decideRetry,
  isRetryableResponse,
  resolveRetryPolicy,
  retryAfterMs,
  DEFAULT_RETRY_POLICY,
} from '../../src/planner/retryPolicy';

const h = (init: Record<string, string> = {}) => new Headers(init);

describe('retry policy', () => {
  it('retries throttling, timeouts and transient server errors only', () => {
    for (const status of [408, 429, 500, 502, 503, 504]) expect(isRetryableResponse(status, h())).toBe(true);
    for (const status of [400, 401, 403, 404, 422, 501, 505])
      expect(isRetryableResponse(status, h())).toBe(false);
    expect(isRetryableResponse(400, h({ 'x-should-retry': 'true' }))).toBe(true);
    expect(isRetryableResponse(503, h({ 'x-should-retry': 'false' }))).toBe(false);
  });

  it('reads retry-after-ms, Retry-After seconds and Retry-After HTTP dates', () => {
    expect(retryAfterMs(h({ 'retry-after-ms': '250' }))).toBe(250);
    expect(retryAfterMs(h({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(h({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(h({ 'retry-after': '0.5' }))).toBe(500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs(h({ 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' }), now)).toBe(3000);
    expect(retryAfterMs(h({ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(h({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(h({ 'retry-after': '-3' }))).toBeUndefined();
    expect(retryAfterMs(h())).toBeUndefined();
  });

  it('backs off exponentially with full jitter under the cap', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelayMs(0, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(0, policy, () => 0.999)).toBe(99);
    expect(backoffDelayMs(2, policy, () => 0.5)).toBe(200);
    expect(backoffDelayMs(10, policy, () => 0.999)).toBe(999);
  });

  it('decides: honour a short Retry-After, give up on a long one, stop when exhausted', () => {
    const policy = resolveRetryPolicy({ maxRetries: 2, maxRetryAfterMs: 5000 });
    expect(decideRetry(429, h({ 'retry-after': '1' }), 0, policy)).toEqual({
      retry: true,
      delayMs: 1000,
      reason: 'retry-after',
    });
    expect(decideRetry(429, h({ 'retry-after': '30' }), 0, policy)).toEqual({
      retry: false,
      reason: 'retry-after-too-long',
    });
    expect(decideRetry(500, h(), 2, policy)).toEqual({ retry: false, reason: 'exhausted' });
    expect(decideRetry(400, h(), 0, policy)).toEqual({ retry: false, reason: 'not-retryable' });
    expect(decideRetry(503, h(), 1, policy, () => 0.5)).toEqual({
      retry: true,
      delayMs: 500,
      reason: 'backoff',
    });
  });

  it('fills defaults and rejects nonsense', () => {
    expect(resolveRetryPolicy()).toEqual(DEFAULT_RETRY_POLICY);
    expect(resolveRetryPolicy({ maxRetries: undefined, baseDelayMs: 5 }).baseDelayMs).toBe(5);
    expect(() => resolveRetryPolicy({ maxRetries: -1 })).toThrow(/maxRetries/);
    expect(() => resolveRetryPolicy({ baseDelayMs: 1.5 })).toThrow(/baseDelayMs/);
    expect(() => resolveRetryPolicy({ maxRetries: 50 })).toThrow(/at most 10/);
  });
});

/** A scripted transport: each call takes the next step (a Response factory or an error). */
function scripted(steps: Array<() => Response | Error>) {
  const calls: Array<{ url: string; body: unknown }> = [];
  const fetch: FetchFn = async (url, init) => {
    calls.push({ url: String(url), body: init?.body });
    const step = steps[calls.length - 1];
    if (!step) throw new Error('unexpected extra request');
    const result = step();
    if (result instanceof Error) throw result;
    return result;
  };
  return { fetch, calls };
}

describe('createRetryingFetch', () => {
  const policy = resolveRetryPolicy({
    maxRetries: 2,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    maxRetryAfterMs: 5000,
  });
  const recordSleeps = () => {
    const waits: number[] = [];
    return { waits, sleep: async (ms: number) => void waits.push(ms) };
  };

  it('waits what Retry-After asks, re-sends the same body, and returns the success', async () => {
    const t = scripted([
      () => new Response('busy', { status: 429, headers: { 'retry-after': '2' } }),
      () => new Response('{"ok":true}', { status: 200 }),
    ]);
    const s = recordSleeps();
    const res = await createRetryingFetch({ policy, fetch: t.fetch, sleep: s.sleep })('https://x.test/chat', {
      method: 'POST',
      body: '{"a":1}',
    });
    expect(res.status).toBe(200);
    expect(s.waits).toEqual([2000]);
    expect(t.calls.map((c) => c.body)).toEqual(['{"a":1}', '{"a":1}']);
  });

  it('returns the last failure once retries are exhausted', async () => {
    const t = scripted([
      () => new Response('', { status: 500 }),
      () => new Response('', { status: 502 }),
      () => new Response('', { status: 503 }),
    ]);
    const s = recordSleeps();
    const res = await createRetryingFetch({ policy, fetch: t.fetch, sleep: s.sleep, random: () => 0.5 })(
      'https://x.test/chat',
      { body: '{}' },
    );
    expect(res.status).toBe(503);
    expect(s.waits).toEqual([50, 100]);
    expect(t.calls).toHaveLength(3);
  });

  it('gives up at once when the server asks for a longer wait than a turn allows', async () => {
    const t = scripted([() => new Response('', { status: 429, headers: { 'retry-after-ms': '60000' } })]);
    const s = recordSleeps();
    const res = await createRetryingFetch({ policy, fetch: t.fetch, sleep: s.sleep })('https://x.test/chat', {
      body: '{}',
    });
    expect(res.status).toBe(429);
    expect(s.waits).toEqual([]);
  });

  it('does not retry client errors', async () => {
    const t = scripted([() => new Response('bad', { status: 400 })]);
    const res = await createRetryingFetch({ policy, fetch: t.fetch, sleep: recordSleeps().sleep })(
      'https://x.test/chat',
      { body: '{}' },
    );
    expect(res.status).toBe(400);
    expect(t.calls).toHaveLength(1);
  });

  it('retries connection errors but not aborts', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const t = scripted([() => reset, () => new Response('ok', { status: 200 })]);
    const res = await createRetryingFetch({ policy, fetch: t.fetch, sleep: recordSleeps().sleep })(
      'https://x.test/chat',
      { body: '{}' },
    );
    expect(res.status).toBe(200);

    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    const t2 = scripted([() => abort]);
    await expect(
      createRetryingFetch({ policy, fetch: t2.fetch, sleep: recordSleeps().sleep })('https://x.test/chat', {
        body: '{}',
      }),
    ).rejects.toThrow('aborted');
    expect(t2.calls).toHaveLength(1);
  });

  it('an abort cancels a pending wait with an AbortError', async () => {
    const controller = new AbortController();
    const pending = abortableSleep(60_000, controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(abortableSleep(10, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});
