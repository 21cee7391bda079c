/**
 * Turn latency and throughput of the full bot against a bare CloudAdapter echo bot (the floor):
 *   npm run bench:turns -- --out report/turns.json [--turns 200,800,1600] [--concurrency 1,16,64]
 *     [--jit-warmup 4000] [--target both|floor|full|none] [--profile true] [--server src/index.ts]
 *     [--only template-cosmos,full] [--baseline <checkout of the unchanged bot>]
 *     [--cache-turns 800] (answer-cache hit path: one question asked over and over, cache on vs off)
 *     [--distinct-texts true] (a turn number appended to every text: no cache serves a turn)
 *     [--soak 20000 [--soak-store embedded|external]] (RSS over many turns; external: the
 *     Cosmos-protocol store in a process of its own, bench/cosmosStore.ts)
 * Both servers run as child processes on loopback; replies are matched at a local connector by replyToId.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { BenchUsageError, parseBenchArgs } from './lib/args';
import { Progress } from './lib/progress';
import { runCacheHitBenchmark, type CacheHitResult } from './lib/cacheHitBenchmark';
import { ReplyConnector } from './lib/replyConnector';
import { embeddedBotEnv, runTurnsBenchmark, type TargetSpec } from './lib/turnsBenchmark';

function log(message: string): void {
  process.stderr.write(`[bench:turns] ${message}\n`);
}

export function parseCounts(value: string, name: string): number[] {
  const counts = value.split(',').map((s) => Number(s.trim()));
  if (!counts.length || counts.some((n) => !Number.isInteger(n) || n < 1 || n > 100_000)) {
    throw new BenchUsageError(`--${name} must be a comma list of integers in 1..100000, got "${value}"`);
  }
  return counts;
}

async function main(): Promise<void> {
  const args = parseBenchArgs(
    process.argv.slice(2),
    {
      out: { description: 'where to write the JSON result', required: true },
      turns: {
        description: 'measured turns per concurrency level (one count, or one per level)',
        default: '200,800,1600',
      },
      concurrency: { description: 'simultaneous users per level', default: '1,16,64' },
      warmup: { description: 'unmeasured warm-up turns before each level', default: '40' },
      'jit-warmup': {
        description: 'unmeasured turns at c16 once per server first, so the levels measure optimised code',
        default: '4000',
      },
      target: { description: 'both | floor | full | none (none: the peers only)', default: 'both' },
      profile: {
        description: 'true: extra c16 run of the full bot under node --cpu-prof, top self-time functions',
        default: 'false',
      },
      server: { description: 'entry of the full bot', default: 'src/index.ts' },
      peers: {
        description: 'true: also run the peers (teams-ai templates, full bot on its LLM path) side by side',
        default: 'true',
      },
      rounds: { description: 'interleaved rounds of the peer comparison', default: '3' },
      'peer-turns': { description: 'measured turns per peer per round (at concurrency 16)', default: '800' },
      only: {
        description: 'comma list of peers to run (default all), e.g. template-cosmos,full',
        default: '',
      },
      baseline: {
        description: 'checkout of the unchanged bot, run as peer full-baseline in the same rounds',
        default: '',
      },
      'distinct-texts': {
        description:
          'true: a turn number is appended to every text, so no cache serves a turn (encoder cost)',
        default: 'false',
      },
      'profile-peers': {
        description:
          'comma list of peers to profile one by one after the rounds (event-loop ms per turn by group, and their gaps)',
        default: '',
      },
      soak: { description: 'turns of the full bot for the RSS-over-time check (0 = skip)', default: '0' },
      'soak-store': {
        description:
          'embedded: the soak bot runs its own Cosmos-protocol store; external: the store runs in a process of its own (COSMOS_ENDPOINT), RSS of both reported',
        default: 'embedded',
      },
      'cache-turns': {
        description:
          'measured turns of the answer-cache hit path (same question, cache on vs off, at c16; 0 = skip)',
        default: '0',
      },
    },
    'usage: npm run bench:turns -- --out <result.json> [--turns N] [--concurrency 1,16,64]',
  );
  const concurrency = parseCounts(args.concurrency, 'concurrency');
  let turns = parseCounts(args.turns, 'turns');
  if (turns.length === 1) turns = concurrency.map(() => turns[0]!);
  if (turns.length !== concurrency.length)
    throw new BenchUsageError('--turns needs one count, or one per concurrency level');
  const jitWarmupTurns = Number(args['jit-warmup']);
  if (!Number.isInteger(jitWarmupTurns) || jitWarmupTurns < 0 || jitWarmupTurns > 100_000)
    throw new BenchUsageError(`--jit-warmup must be an integer in 0..100000, got "${args['jit-warmup']}"`);
  if (!['both', 'floor', 'full', 'none'].includes(args.target))
    throw new BenchUsageError('--target must be both, floor, full or none');
  if (!['true', 'false'].includes(args.profile)) throw new BenchUsageError('--profile must be true or false');
  if (!['true', 'false'].includes(args.peers)) throw new BenchUsageError('--peers must be true or false');
  if (!['embedded', 'external'].includes(args['soak-store']))
    throw new BenchUsageError('--soak-store must be embedded or external');
  const [rounds] = parseCounts(args.rounds, 'rounds');
  const [peerTurns] = parseCounts(args['peer-turns'], 'peer-turns');
  const soakTurns = args.soak === '0' ? 0 : parseCounts(args.soak, 'soak')[0]!;
  const cacheTurns = args['cache-turns'] === '0' ? 0 : parseCounts(args['cache-turns'], 'cache-turns')[0]!;

  const dataDir = mkdtempSync(join(tmpdir(), 'turns-bot-'));
  const targets: TargetSpec[] = [];
  if (args.target === 'both' || args.target === 'floor')
    targets.push({ name: 'floor', script: 'bench/floorBot.ts' });
  if (args.target === 'both' || args.target === 'full')
    targets.push({ name: 'full', script: args.server, env: embeddedBotEnv(dataDir), readyPath: '/readyz' });

  const total = turns.reduce((a, b) => a + b, 0) * targets.length;
  const progress = new Progress('bench:turns');
  const bar = progress.stage('turns', total);
  try {
    const result = await runTurnsBenchmark({
      concurrency,
      turns,
      warmupTurns: Number(args.warmup),
      jitWarmupTurns,
      distinctTexts: args['distinct-texts'] === 'true',
      targets,
      profile: args.profile === 'true',
      peers:
        args.peers === 'true'
          ? {
              rounds: rounds!,
              turns: peerTurns!,
              dataDir,
              soakTurns,
              ...(args['profile-peers']
                ? { profilePeers: args['profile-peers'].split(',').map((s) => s.trim()) }
                : {}),
              soakStore: args['soak-store'] as 'embedded' | 'external',
              ...(args.only ? { only: args.only.split(',').map((s) => s.trim()) } : {}),
              ...(args.baseline ? { baselineDir: resolve(args.baseline) } : {}),
            }
          : undefined,
      log: (m) => progress.log(m),
      onTurnDone: () => bar.increment(),
    });
    let answerCache: CacheHitResult | undefined;
    if (cacheTurns) {
      const connector = await new ReplyConnector().start();
      try {
        answerCache = await runCacheHitBenchmark({
          env: (name) => embeddedBotEnv(dataDir, name),
          connector,
          concurrency: 16,
          turns: cacheTurns,
          warmupTurns: Number(args.warmup),
          log: (m) => progress.log(m),
        });
      } finally {
        await connector.stop();
      }
    }
    progress.stop();
    mkdirSync(dirname(args.out), { recursive: true });
    writeFileSync(
      args.out,
      `${JSON.stringify(answerCache ? { ...result, answerCache } : result, null, 2)}\n`,
    );
    log(
      `ratios at c16: p95 full/floor ${result.ratios.p95AtC16}, throughput full/floor ${result.ratios.throughputAtC16} -> ${args.out}`,
    );
    if (answerCache)
      log(
        `answer cache hit path: hit rate ${answerCache.runs[0]!.hitRate}, p50/p95 on/off ${answerCache.ratioOnOff.p50}/${answerCache.ratioOnOff.p95}`,
      );
    for (const r of result.peers?.ratios ?? [])
      log(
        `${r.of}/${r.to} (median of ${rounds} rounds): p95 ${r.p95.median}, throughput ${r.throughput.median}, event-loop CPU ${r.eventLoopCpu.median}`,
      );
  } finally {
    progress.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  if (error instanceof BenchUsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`[bench:turns] failed: ${(error as Error).message}\n`);
  process.exit(1);
});
