import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger';
import { routeConsoleToLogger } from '../../src/observability/consoleToLogger';

describe('routeConsoleToLogger', () => {
  it('turns console output of libraries into JSON log records, and can be undone', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const originalLog = console.log;
    const restore = routeConsoleToLogger(createLogger({ level: 'debug', destination }));
    try {
      console.log('model call failed: %s', 'status 429', { retryAfter: 30 });
      console.warn(new Error('deprecated option'));
      console.error('x'.repeat(10_000));
      console.error(
        "(node:42) [DEP0111] DeprecationWarning: Access to process.binding('http_parser') is deprecated.\n(Use `node --trace-deprecation ...` to show where the warning was created)",
      );
      // The same warning again (a second module calling the deprecated API) is not logged twice.
      console.error(
        "(node:42) [DEP0111] DeprecationWarning: Access to process.binding('http_parser') is deprecated.",
      );
      console.error('(node:42) Warning: another warning');
    } finally {
      restore();
    }
    expect(console.log).toBe(originalLog);
    const records = lines.map((l) => JSON.parse(l) as { level: number; msg: string; source: string });
    expect(records.map((r) => [r.level, r.source])).toEqual([
      [30, 'console'],
      [40, 'console'],
      [50, 'console'],
      [40, 'console'],
      [40, 'console'],
    ]);
    expect(records[0]!.msg).toBe('model call failed: status 429 { retryAfter: 30 }');
    expect(records[1]!.msg).toMatch(/^Error: deprecated option\n/);
    expect(records[2]!.msg).toHaveLength(4001);
  });
});
