import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { users } from '../../test/helpers/activities';
import { startChildServer, type ChildServer } from './childServer';
import { topSelfTime, type SelfTimeEntry } from './cpuProfile';
import { runLoad, type LoadResult, type TurnSpec } from './loadGenerator';
import { ReplyConnector } from './replyConnector';
import { startInstantOpenAi } from './instantOpenAi';
import { profileGap, profileMainThread, profilePeer, type PeerProfile, type ProfileGap } from './profileGap';
import { runSoak, type SoakResult, type SoakStore } from './soak';
import {
  minMedMax,
  peerRatio,
  runPeerRounds,
  type PeerResult,
  type PeerSpec,
  type RatioSummary,
} from './peerRounds';

/** The mix of turns the full pipeline gets: greeting, knowledge with citations, order lookup (alex owns ORD-10421). */
export const FULL_MIX = [
  'hi',
  'how do I return an item?',
  'status of ORD-10421',
  'what are the phone support hours?',
  'list my orders',
  'how long does express shipping take?',
] as const;

export function mixScript(userIndex: number, turnIndex: number): TurnSpec {
  // Offset by user so concurrent users are not all on the same kind of turn at once.
  return { user: users.alex, text: FULL_MIX[(userIndex + turnIndex) % FULL_MIX.length]! };
}

/** FULL_MIX with a turn number appended, counted across every call: no text is sent twice. */
export function distinctMixScript(): (userIndex: number, turnIndex: number) => TurnSpec {
  let sent = 0;
  return (userIndex, turnIndex) => {
    const spec = mixScript(userIndex, turnIndex);
    return { ...spec, text: `${spec.text} (${++sent})` };
  };
}

export interface TargetSpec {
  name: 'floor' | 'full';
  script: string;
  env?: Record<string, string>;
  readyPath?: string;
}

export interface LevelResult extends Omit<LoadResult, 'samplesMs'> {
  /** Samples are kept only for concurrency 16 (the histogram in the eval report). */
  samplesMs?: number[];
}

export interface TargetResult {
  name: string;
  script: string;
  levels: LevelResult[];
  peakRssMiB: number;
  startSeconds: number;
  /** One reply per kind of turn (first 160 characters), to show what the server actually did. */
  sampleReplies: { said: string; reply: string }[];
}

export interface TurnsBenchmarkResult {
  benchmark: 'turns';
  floor?: TargetResult;
  full?: TargetResult;
  ratios: { p95AtC16?: number; throughputAtC16?: number; p95AtC1?: number; throughputAtC64?: number };
  targets: { p95RatioMax: 2; throughputRatioMin: 0.5; met?: boolean };
  mix: readonly string[];
  profile?: {
    concurrency: number;
    turns: number;
    totalMs: number;
    top: SelfTimeEntry[];
    byArea: { area: string; selfPercent: number }[];
  };
  peers?: PeersResult;
  machine: { cpus: number; cpuModel?: string; node: string; loadAverage1mAtStart: number };
  finishedAt: string;
}

/** The side-by-side comparison with the peers a Teams developer would build instead (docs/measurement.md). */
export interface PeersResult {
  concurrency: 16;
  turnsPerRound: number;
  rounds: number;
  servers: PeerResult[];
  ratios: RatioSummary[];
  /** Median over rounds of the full bot's event-loop CPU per turn, ms. */
  fullEventLoopCpuMsPerTurn?: number;
  /** `--profile-peers`: each named peer's event-loop time per turn by group, and the gaps between them. */
  profiles?: PeerProfile[];
  gaps?: ProfileGap[];
  soak?: SoakResult;
  targets: {
    fullVsTemplateCosmos: { p95Max: 1; throughputMin: 1; met?: boolean };
    fullLlmVsTemplateAi: { p95Max: 1; met?: boolean };
    fullVsFloor: { p95Max: 2; met?: boolean };
    eventLoopCpuMsPerTurnMax: 1.5;
    eventLoopCpuMet?: boolean;
    /** Bot process RSS after the soak within 10 % of RSS after its first step. */
    rssFlatMet?: boolean;
  };
}

export interface TurnsOptions {
  concurrency: number[];
  turns: number[];
  warmupTurns: number;
  /**
   * Every turn's text is new (a turn number appended), so no cache (encoder, answers) serves it:
   * the cost of turns that need the encoder. Default false: the six texts of FULL_MIX repeat.
   */
  distinctTexts?: boolean;
  /**
   * Unmeasured turns at concurrency 16 once per server before the first level, so the levels
   * measure JIT-compiled code. The full bot runs far more code than the floor (Cosmos SDK, teams-ai,
   * NLU, search): after a few dozen turns V8 is still optimising it on its background threads (about
   * 400 TurboFan compilations in 1,200 turns after a 400-turn warm-up; 57 after 4,000).
   */
  jitWarmupTurns?: number;
  targets: TargetSpec[];
  profile: boolean;
  /** Run the peers side by side after the levels (rounds at concurrency 16). */
  peers?: {
    rounds: number;
    turns: number;
    dataDir: string;
    soakTurns: number;
    /** Peers to profile one by one after the rounds (`--profile-peers`), e.g. full,template-cosmos. */
    profilePeers?: string[];
    /** Where the soak's Cosmos-protocol store runs: in the bot (embedded, default) or its own process. */
    soakStore?: SoakStore;
    /** Only these peers (default all). */
    only?: string[];
    /**
     * A checkout of the unchanged bot (e.g. `git archive` of main, node_modules linked): runs as peer
     * `full-baseline` in the same rounds, so a change is measured against the bot without it.
     */
    baselineDir?: string;
  };
  log: (message: string) => void;
  onTurnDone?: () => void;
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * Limits lifted so a load or evaluation run measures the turn, not the rate limiter (which still runs):
 * every simulated user is alex in one tenant, far above the production per-user/tenant defaults.
 * Whole replies, not streams: a streamed answer waits 1.5 s after each update (teams-ai's throttle
 * for Teams' update rate), which is no work of the server's and would swamp the turn latency.
 */
export const UNTHROTTLED_ENV = {
  RATE_LIMIT_USER_PER_MIN: '100000',
  RATE_LIMIT_TENANT_PER_MIN: '10000000',
  STREAMING: 'false',
} as const;

/** Env for the full bot in embedded mode, with its knowledge index in a private temp folder. */
export function embeddedBotEnv(dataDir: string, name = 'full'): Record<string, string> {
  return {
    KNOWLEDGE_INDEX_PATH: join(dataDir, 'knowledge-index.json'),
    // Its own embedded Cosmos data directory: never the developer's .data/, never shared by two processes.
    EMBEDDED_DATA_DIR: join(dataDir, `cosmos-${name}`),
    NODE_ENV: 'production',
    ...UNTHROTTLED_ENV,
  };
}

/**
 * With ENCODER=embedded the English intent model with sentence vectors trains after start-up (the
 * n-gram model serves meanwhile): wait for it, so the turns measured are the ones it serves.
 */
async function intentModelSettled(url: string, log: (m: string) => void): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const res = await fetch(`${url}/readyz`).catch(() => undefined);
    const body = (await res?.json().catch(() => undefined)) as
      { dependencies?: Record<string, { detail?: string }> } | undefined;
    const detail = body?.dependencies?.intents?.detail ?? '';
    if (!/training/.test(detail) || Date.now() > deadline) {
      if (detail) log(`intent model: ${detail}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function measureTarget(
  target: TargetSpec,
  opts: TurnsOptions,
  connector: ReplyConnector,
  nodeFlags: string[] = [],
) {
  const t0 = Date.now();
  const server: ChildServer = await startChildServer({
    script: target.script,
    env: target.env,
    readyPath: target.readyPath,
    nodeFlags,
  });
  const startSeconds = (Date.now() - t0) / 1000;
  if (target.readyPath) await intentModelSettled(server.url, opts.log);
  // The floor echoes the same texts.
  const script = opts.distinctTexts ? distinctMixScript() : mixScript;
  const levels: LevelResult[] = [];
  const sampleReplies: TargetResult['sampleReplies'] = [];
  try {
    await runLoad({
      botUrl: server.url,
      connector,
      concurrency: 1,
      turns: FULL_MIX.length,
      script,
      onReply: (spec, reply) =>
        sampleReplies.push({
          said: spec.text,
          reply: String(reply.text ?? (Array.isArray(reply.attachments) ? '[card]' : '')).slice(0, 160),
        }),
    });
    if (opts.jitWarmupTurns) {
      const t = Date.now();
      await runLoad({ botUrl: server.url, connector, concurrency: 16, turns: opts.jitWarmupTurns, script });
      opts.log(
        `${target.name}: ${opts.jitWarmupTurns} warm-up turns in ${((Date.now() - t) / 1000).toFixed(1)} s`,
      );
    }
    for (let i = 0; i < opts.concurrency.length; i++) {
      const concurrency = opts.concurrency[i]!;
      // Warm-up turns (JIT, caches, first Cosmos containers) are not measured.
      await runLoad({
        botUrl: server.url,
        connector,
        concurrency,
        turns: Math.max(opts.warmupTurns, concurrency),
        script,
      });
      const result = await runLoad({
        botUrl: server.url,
        connector,
        concurrency,
        turns: opts.turns[i]!,
        script,
        onTurnDone: opts.onTurnDone,
      });
      const { samplesMs, ...rest } = result;
      levels.push({
        ...rest,
        wallSeconds: round(rest.wallSeconds, 3),
        throughputPerSec: round(rest.throughputPerSec, 1),
        latencyMs: Object.fromEntries(
          Object.entries(rest.latencyMs).map(([k, v]) => [k, round(v)]),
        ) as LoadResult['latencyMs'],
        ...(concurrency === 16 ? { samplesMs: samplesMs.map((s) => round(s)) } : {}),
      });
      opts.log(
        `${target.name} c${concurrency}: ${result.ok}/${result.turns} ok, p50 ${result.latencyMs.p50.toFixed(1)} ms, p95 ${result.latencyMs.p95.toFixed(1)} ms, ` +
          `${result.throughputPerSec.toFixed(0)} turns/s${result.errors ? `, ${result.errors} errors (${result.errorSamples[0]})` : ''}`,
      );
    }
    const peakRssMiB = round(server.peakRssMiB(), 1);
    return {
      name: target.name,
      script: target.script,
      levels,
      peakRssMiB,
      startSeconds: round(startSeconds),
      sampleReplies,
    };
  } finally {
    await server.stop();
  }
}

async function profileFull(target: TargetSpec, opts: TurnsOptions, connector: ReplyConnector) {
  const turns = opts.turns[opts.concurrency.indexOf(16)] ?? 800;
  const warmup = opts.warmupTurns + (opts.jitWarmupTurns ?? 0);
  const { profile, window } = await profileMainThread(target, connector, warmup, turns);
  return { concurrency: 16, turns, ...topSelfTime(profile, 20, window) };
}

/**
 * The peers: the floor; the teams-ai template with MemoryStorage, with CosmosDbPartitionedStorage on
 * the embedded Cosmos server, and that plus ActionPlanner/OpenAIModel; the full bot in embedded mode
 * and on its LLM path. Both LLM peers call the same instant OpenAI-compatible server.
 */
export function peerSpecs(
  dataDir: string,
  openAiBaseUrl: string,
  fullScript = 'src/index.ts',
  baselineDir?: string,
): PeerSpec[] {
  const template = 'bench/templateBot.ts';
  const baseline: PeerSpec[] = baselineDir
    ? [
        {
          name: 'full-baseline',
          script: 'src/index.ts',
          cwd: baselineDir,
          env: embeddedBotEnv(dataDir, 'peer-full-baseline'),
          readyPath: '/readyz',
        },
      ]
    : [];
  return [
    { name: 'floor', script: 'bench/floorBot.ts' },
    { name: 'template-memory', script: template, env: { TEMPLATE_STORAGE: 'memory' } },
    {
      name: 'template-cosmos',
      script: template,
      env: { TEMPLATE_STORAGE: 'cosmos', TEMPLATE_COSMOS_DATA_DIR: join(dataDir, 'cosmos-template') },
    },
    {
      name: 'template-ai',
      script: template,
      env: {
        TEMPLATE_STORAGE: 'cosmos',
        TEMPLATE_COSMOS_DATA_DIR: join(dataDir, 'cosmos-template-ai'),
        TEMPLATE_OPENAI_URL: openAiBaseUrl,
      },
    },
    { name: 'full', script: fullScript, env: embeddedBotEnv(dataDir, 'peer-full'), readyPath: '/readyz' },
    {
      name: 'full-llm',
      script: fullScript,
      env: {
        ...embeddedBotEnv(dataDir, 'peer-llm'),
        OPENAI_BASE_URL: openAiBaseUrl,
        OPENAI_MODEL: 'gpt-4o-mini',
      },
      readyPath: '/readyz',
    },
    ...baseline,
  ];
}

/** `--profile-peers`: each named peer alone under the profiler, then the gaps of the target pairs. */
async function profileNamedPeers(
  specs: PeerSpec[],
  peers: NonNullable<TurnsOptions['peers']>,
  opts: TurnsOptions,
  connector: ReplyConnector,
): Promise<{ profiles?: PeerProfile[]; gaps?: ProfileGap[] }> {
  if (!peers.profilePeers?.length) return {};
  const profiles: PeerProfile[] = [];
  for (const name of peers.profilePeers) {
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new Error(`--profile-peers: no peer named ${name}`);
    opts.log(`profiling ${name} at c16 (node --cpu-prof, ${peers.turns} turns)`);
    profiles.push(
      await profilePeer(spec, connector, opts.warmupTurns + (opts.jitWarmupTurns ?? 0), peers.turns),
    );
  }
  const byName = (n: string) => profiles.find((p) => p.name === n);
  const gaps = PROFILE_PAIRS.flatMap(([of, to]) => {
    const a = byName(of);
    const b = byName(to);
    return a && b ? [profileGap(a, b)] : [];
  });
  return { profiles, gaps };
}

const PROFILE_PAIRS = [
  ['full', 'template-cosmos'],
  ['full-llm', 'template-ai'],
  ['full', 'floor'],
  ['template-cosmos', 'floor'],
] as const;

async function comparePeers(
  opts: TurnsOptions,
  peers: NonNullable<TurnsOptions['peers']>,
  connector: ReplyConnector,
): Promise<PeersResult> {
  const openAi = await startInstantOpenAi();
  try {
    const allSpecs = peerSpecs(
      peers.dataDir,
      openAi.baseUrl,
      opts.targets.find((t) => t.name === 'full')?.script,
      peers.baselineDir,
    );
    const specs = allSpecs.filter((p) => !peers.only || peers.only.includes(p.name));
    opts.log(`peers side by side: ${specs.map((p) => p.name).join(', ')}; ${peers.rounds} rounds at c16`);
    const servers = await runPeerRounds({
      peers: specs,
      connector,
      rounds: peers.rounds,
      turns: peers.turns,
      concurrency: 16,
      warmupTurns: opts.warmupTurns,
      jitWarmupTurns: opts.jitWarmupTurns ?? 0,
      log: opts.log,
    });
    const ratios = (
      [
        ['full', 'template-cosmos'],
        ['full', 'template-memory'],
        ['full-llm', 'template-ai'],
        ['full', 'floor'],
        ['template-cosmos', 'floor'],
        ['full', 'full-baseline'],
        ['full-baseline', 'template-cosmos'],
      ] as const
    )
      .map(([of, to]) => peerRatio(servers, of, to))
      .filter((r): r is RatioSummary => r !== undefined);
    const ratio = (of: string, to: string) => ratios.find((r) => r.of === of && r.to === to);
    const fullCpu = servers.find((s) => s.name === 'full')?.rounds.map((m) => m.eventLoopCpuMsPerTurn) ?? [];
    const fullEventLoopCpuMsPerTurn = fullCpu.length ? minMedMax(fullCpu).median : undefined;
    const soak = peers.soakTurns
      ? await runSoak({
          peer: specs.find((s) => s.name === 'full')!,
          connector,
          turns: peers.soakTurns,
          samples: 10,
          store: peers.soakStore ?? 'embedded',
          dataDir: peers.dataDir,
          log: opts.log,
        })
      : undefined;
    const profiled = await profileNamedPeers(allSpecs, peers, opts, connector);
    const vsCosmos = ratio('full', 'template-cosmos');
    const vsAi = ratio('full-llm', 'template-ai');
    const vsFloor = ratio('full', 'floor');
    return {
      concurrency: 16,
      turnsPerRound: peers.turns,
      rounds: peers.rounds,
      servers,
      ratios,
      fullEventLoopCpuMsPerTurn,
      ...(soak ? { soak } : {}),
      ...profiled,
      targets: {
        fullVsTemplateCosmos: {
          p95Max: 1,
          throughputMin: 1,
          met: vsCosmos ? vsCosmos.p95.median <= 1 && vsCosmos.throughput.median >= 1 : undefined,
        },
        fullLlmVsTemplateAi: { p95Max: 1, met: vsAi ? vsAi.p95.median <= 1 : undefined },
        fullVsFloor: { p95Max: 2, met: vsFloor ? vsFloor.p95.median <= 2 : undefined },
        eventLoopCpuMsPerTurnMax: 1.5,
        eventLoopCpuMet:
          fullEventLoopCpuMsPerTurn !== undefined ? fullEventLoopCpuMsPerTurn <= 1.5 : undefined,
        rssFlatMet: soak ? soak.rssMiB.at(-1)! <= (soak.rssMiB[1] ?? soak.rssMiB[0]!) * 1.1 : undefined,
      },
    };
  } finally {
    await openAi.stop();
  }
}

/** Runs the floor and/or the full bot at each concurrency level and compares them. */
export async function runTurnsBenchmark(opts: TurnsOptions): Promise<TurnsBenchmarkResult> {
  if (opts.concurrency.length !== opts.turns.length)
    throw new Error('--turns needs one count per concurrency level (or a single count)');
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    node: process.version,
    loadAverage1mAtStart: round(loadavg()[0] ?? NaN),
  };
  const connector = await new ReplyConnector().start();
  const result: TurnsBenchmarkResult = {
    benchmark: 'turns',
    ratios: {},
    targets: { p95RatioMax: 2, throughputRatioMin: 0.5 },
    mix: FULL_MIX,
    machine,
    finishedAt: '',
  };
  try {
    for (const target of opts.targets) {
      opts.log(`starting ${target.name} (${target.script})`);
      result[target.name] = await measureTarget(target, opts, connector);
    }
    const full = opts.targets.find((t) => t.name === 'full');
    if (opts.profile && full) {
      opts.log('profiling the full bot at concurrency 16 (node --cpu-prof)');
      result.profile = await profileFull(full, opts, connector);
    }
    if (opts.peers) result.peers = await comparePeers(opts, opts.peers, connector);
  } finally {
    await connector.stop();
  }
  const at = (t: TargetResult | undefined, c: number) => t?.levels.find((l) => l.concurrency === c);
  const ratio = (a?: number, b?: number) =>
    a !== undefined && b !== undefined && b > 0 ? round(a / b, 3) : undefined;
  result.ratios = {
    p95AtC16: ratio(at(result.full, 16)?.latencyMs.p95, at(result.floor, 16)?.latencyMs.p95),
    throughputAtC16: ratio(at(result.full, 16)?.throughputPerSec, at(result.floor, 16)?.throughputPerSec),
    p95AtC1: ratio(at(result.full, 1)?.latencyMs.p95, at(result.floor, 1)?.latencyMs.p95),
    throughputAtC64: ratio(at(result.full, 64)?.throughputPerSec, at(result.floor, 64)?.throughputPerSec),
  };
  if (result.ratios.p95AtC16 !== undefined && result.ratios.throughputAtC16 !== undefined) {
    result.targets.met = result.ratios.p95AtC16 <= 2 && result.ratios.throughputAtC16 >= 0.5;
  }
  result.finishedAt = new Date().toISOString();
  return result;
}
