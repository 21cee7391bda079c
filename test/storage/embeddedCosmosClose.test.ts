import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('embedded Cosmos close()', () => {
  it('resolves in a process that has nothing else to wait for (the worker is unref’d while it runs)', async () => {
    // A script whose only pending work is close(): before the fix its event loop emptied while the
    // worker shut down, so the process exited with code 0 before the line after close() ran.
    const dir = mkdtempSync(join(tmpdir(), 'cosmos-close-'));
    const script = join(dir, 'close.ts');
    const modulePath = resolve('src/storage/embeddedCosmos.ts');
    writeFileSync(
      script,
      `import { startEmbeddedCosmos } from ${JSON.stringify(modulePath)};
(async () => {
  const cosmos = await startEmbeddedCosmos();
  console.log('counts', JSON.stringify(await cosmos.operationCounts()));
  await cosmos.close();
  console.log('closed');
})();
`,
    );
    const { stdout } = await run(resolve('node_modules/.bin/tsx'), [script], { timeout: 60_000 });
    expect(stdout).toContain('counts {');
    expect(stdout.trim().split('\n').pop()).toBe('closed');
  }, 90_000);
});
