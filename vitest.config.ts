import { defineConfig } from 'vitest/config';

// Unit + integration suite (`npm test`). The browser suite lives in test/e2e and runs
// with its own config (`npm run test:e2e`) because it needs Chromium and the Playground.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**', 'dist/**'],
    pool: 'forks',
    testTimeout: 30_000,
    // A deadline for start-ups (bots train their intent model; slow when the machine is loaded).
    hookTimeout: 300_000,
    // 2-core CI machine: keep parallelism modest so servers in tests are not starved.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
