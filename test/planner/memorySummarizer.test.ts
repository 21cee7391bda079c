import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createMemorySummarizer } from '../../src/planner/memorySummarizer';
import { DependencyPolicy } from '../../src/resilience/dependencyPolicy';
import { completion, startFakeOpenAi, type FakeOpenAi } from '../fakes/fakeOpenAi';

/** The memory summary is a model call like any other: LLM_TIMEOUT_MS bounds it (it had its own 20 s). */
describe('memory summarizer timeout', () => {
  let fake: FakeOpenAi;
  beforeAll(async () => {
    fake = await startFakeOpenAi();
  });
  afterAll(() => fake.close());

  const summarizerWith = (timeoutMs: number) =>
    createMemorySummarizer(
      loadConfig({
        OPENAI_BASE_URL: `${fake.url}/v1`,
        OPENAI_MODEL: 'fake-model',
        LLM_TIMEOUT_MS: String(timeoutMs),
      }),
      new DependencyPolicy({
        name: 'openai',
        isFailure: () => true,
        breaker: { consecutiveFailures: 50, halfOpenAfterMs: 1000 },
      }),
    );
  const turns = [{ role: 'user' as const, text: 'Where is ORD-10421?', at: new Date().toISOString() }];

  it('gives up after LLM_TIMEOUT_MS and follows a longer one', async () => {
    fake.script({ ...completion({ content: 'too late' }), delayMs: 1500 });
    const started = Date.now();
    await expect(summarizerWith(300)('', turns)).rejects.toThrow(/timed out/i);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(1400);

    fake.script({ ...completion({ content: 'The user asked about ORD-10421.' }), delayMs: 500 });
    await expect(summarizerWith(5000)('', turns)).resolves.toBe('The user asked about ORD-10421.');
  });
});
