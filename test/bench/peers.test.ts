import { afterAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startInstantOpenAi, type InstantOpenAi } from '../../bench/lib/instantOpenAi';
import { minMedMax, peerRatio, runPeerRounds, type PeerResult } from '../../bench/lib/peerRounds';
import { readCpuMs } from '../../bench/lib/procCpu';
import { ReplyConnector } from '../../bench/lib/replyConnector';

describe('instant OpenAI-compatible server', () => {
  let server: InstantOpenAi;
  afterAll(async () => server?.stop());

  it('answers the openai client plainly and as a stream', async () => {
    server = await startInstantOpenAi();
    const client = new OpenAI({ baseURL: server.baseUrl, apiKey: 'x' });
    const plain = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(plain.choices[0]?.message.content).toMatch(/short answer/);
    const stream = await client.chat.completions.create({
      model: 'm',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toMatch(/short answer/);
    expect(server.requests()).toBe(2);
  });
});

describe('peer ratios', () => {
  it('takes min / median / max over rounds of per-round ratios', () => {
    expect(minMedMax([3, 1, 2])).toEqual({ min: 1, median: 2, max: 3 });
    expect(minMedMax([4, 1, 2, 3])).toEqual({ min: 1, median: 2.5, max: 4 });
    const m = (p95Ms: number, throughputPerSec: number, cpu: number) => ({
      round: 1,
      p50Ms: 1,
      p95Ms,
      throughputPerSec,
      errors: 0,
      eventLoopCpuMsPerTurn: cpu,
      processCpuMsPerTurn: cpu,
      connectorActivitiesPerTurn: { message: 1 },
    });
    const results: PeerResult[] = [
      { name: 'a', script: 'a', env: {}, peakRssMiB: 1, rounds: [m(20, 100, 2), m(30, 50, 3)] },
      { name: 'b', script: 'b', env: {}, peakRssMiB: 1, rounds: [m(10, 200, 1), m(10, 100, 1)] },
    ];
    expect(peerRatio(results, 'a', 'b')).toEqual({
      of: 'a',
      to: 'b',
      p95: { min: 2, median: 2.5, max: 3 },
      throughput: { min: 0.5, median: 0.5, max: 0.5 },
      eventLoopCpu: { min: 2, median: 2.5, max: 3 },
    });
    expect(peerRatio(results, 'a', 'missing')).toBeUndefined();
  });

  it('reads CPU time of this process and of its main thread from /proc', () => {
    const cpu = readCpuMs(process.pid);
    expect(cpu.process).toBeGreaterThan(0);
    expect(cpu.eventLoop).toBeGreaterThan(0);
    expect(cpu.eventLoop).toBeLessThanOrEqual(cpu.process);
  });
});

describe('teams-ai template peer (real process, CosmosDbPartitionedStorage on the embedded server)', () => {
  it('answers turns through ActionPlanner + OpenAIModel and counts its Cosmos operations', async () => {
    const connector = await new ReplyConnector().start();
    const openAi = await startInstantOpenAi();
    try {
      const [template] = await runPeerRounds({
        peers: [
          {
            name: 'template-ai',
            script: 'bench/templateBot.ts',
            env: { TEMPLATE_STORAGE: 'cosmos', TEMPLATE_OPENAI_URL: openAi.baseUrl },
          },
        ],
        connector,
        rounds: 1,
        turns: 8,
        concurrency: 2,
        warmupTurns: 2,
        jitWarmupTurns: 0,
        log: () => undefined,
      });
      const round = template!.rounds[0]!;
      expect(round.errors).toBe(0);
      // Every turn: the model was called, and state was read and written in Cosmos.
      expect(openAi.requests()).toBeGreaterThanOrEqual(10);
      expect(round.cosmosOpsPerTurn?.read).toBeGreaterThanOrEqual(1);
      expect(round.cosmosOpsPerTurn?.upsert).toBeGreaterThanOrEqual(1);
      // …and one answer posted to the connector per turn.
      expect(round.connectorActivitiesPerTurn.message).toBe(1);
    } finally {
      await openAi.stop();
      await connector.stop();
    }
  }, 120_000);
});

describe('the unchanged bot as a peer (--baseline)', () => {
  it('runs full-baseline from the given checkout with its own data directory, only when asked', async () => {
    const { peerSpecs } = await import('../../bench/lib/turnsBenchmark');
    const without = peerSpecs('/tmp/data', 'http://127.0.0.1:1/v1');
    expect(without.map((p) => p.name)).not.toContain('full-baseline');
    const withBase = peerSpecs('/tmp/data', 'http://127.0.0.1:1/v1', 'src/index.ts', '/tmp/base');
    const base = withBase.find((p) => p.name === 'full-baseline');
    const full = withBase.find((p) => p.name === 'full');
    expect(base).toMatchObject({ script: 'src/index.ts', cwd: '/tmp/base', readyPath: '/readyz' });
    expect(full?.cwd).toBeUndefined();
    expect(base?.env?.EMBEDDED_DATA_DIR).toBeDefined();
    expect(base?.env?.EMBEDDED_DATA_DIR).not.toBe(full?.env?.EMBEDDED_DATA_DIR);
  });
});
