import { startChildServer, type ChildServer } from './childServer';
import { runLoad } from './loadGenerator';
import { readCpuMs } from './procCpu';
import type { ReplyConnector } from './replyConnector';
import { mixScript } from './turnsBenchmark';

/**
 * Peers side by side (bench:turns): every server runs at once, each warmed up once, then each round
 * measures every server at the same concurrency, in a rotated order, so drift on the shared machine
 * (other builds, thermal) spreads over all of them. Ratios are taken within a round and reported as
 * min / median / max over the rounds.
 */
export interface PeerSpec {
  name: string;
  script: string;
  env?: Record<string, string>;
  readyPath?: string;
  /** Project root the script runs from (default this checkout), e.g. a copy of the unchanged bot. */
  cwd?: string;
}

export interface PeerMeasurement {
  round: number;
  p50Ms: number;
  p95Ms: number;
  throughputPerSec: number;
  errors: number;
  errorSample?: string;
  /** CPU per turn (ms) of the main thread (the event loop) and of the whole process (all threads). */
  eventLoopCpuMsPerTurn: number;
  processCpuMsPerTurn: number;
  /** Requests the embedded Cosmos server answered per turn, by operation (absent without Cosmos). */
  cosmosOpsPerTurn?: Record<string, number>;
  /** Activities the server posted to the connector per turn, by type (message, typing, …). */
  connectorActivitiesPerTurn: Record<string, number>;
}

export interface PeerResult {
  name: string;
  script: string;
  env: Record<string, string>;
  rounds: PeerMeasurement[];
  peakRssMiB: number;
}

export interface RatioSummary {
  of: string;
  to: string;
  p95: MinMedMax;
  throughput: MinMedMax;
  eventLoopCpu: MinMedMax;
}
export type MinMedMax = { min: number; median: number; max: number };

export interface PeerOptions {
  peers: PeerSpec[];
  connector: ReplyConnector;
  rounds: number;
  turns: number;
  concurrency: number;
  warmupTurns: number;
  jitWarmupTurns: number;
  log: (message: string) => void;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

async function cosmosOps(url: string): Promise<Record<string, number> | undefined> {
  const res = await fetch(`${url}/metrics`).catch(() => undefined);
  if (!res?.ok) return undefined;
  const counts: Record<string, number> = {};
  for (const m of (await res.text()).matchAll(/^bot_embedded_cosmos_requests\{operation="(\w+)"\} (\d+)/gm))
    counts[m[1]!] = Number(m[2]);
  return Object.keys(counts).length ? counts : undefined;
}

function perTurn(before: Record<string, number>, after: Record<string, number>, turns: number) {
  const out: Record<string, number> = {};
  for (const [op, n] of Object.entries(after)) {
    const d = n - (before[op] ?? 0);
    if (d > 0) out[op] = round3(d / turns);
  }
  return out;
}

export function minMedMax(values: number[]): MinMedMax {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: round3(sorted[0]!), median: round3(median), max: round3(sorted.at(-1)!) };
}

async function measure(server: ChildServer, opts: PeerOptions, round: number): Promise<PeerMeasurement> {
  const load = {
    botUrl: server.url,
    connector: opts.connector,
    concurrency: opts.concurrency,
    script: mixScript,
  };
  await runLoad({ ...load, turns: Math.max(opts.warmupTurns, opts.concurrency) });
  const opsBefore = await cosmosOps(server.url);
  const postedBefore = { ...opts.connector.activityCounts };
  const cpuBefore = readCpuMs(server.pid);
  const result = await runLoad({ ...load, turns: opts.turns });
  const cpuAfter = readCpuMs(server.pid);
  const postedAfter = { ...opts.connector.activityCounts };
  const opsAfter = await cosmosOps(server.url);
  return {
    round,
    p50Ms: round3(result.latencyMs.p50),
    p95Ms: round3(result.latencyMs.p95),
    throughputPerSec: round3(result.throughputPerSec),
    errors: result.errors,
    ...(result.errors ? { errorSample: result.errorSamples[0] } : {}),
    eventLoopCpuMsPerTurn: round3((cpuAfter.eventLoop - cpuBefore.eventLoop) / result.turns),
    processCpuMsPerTurn: round3((cpuAfter.process - cpuBefore.process) / result.turns),
    ...(opsBefore && opsAfter ? { cosmosOpsPerTurn: perTurn(opsBefore, opsAfter, result.turns) } : {}),
    connectorActivitiesPerTurn: perTurn(postedBefore, postedAfter, result.turns),
  };
}

/** Starts every peer, warms each up, runs the rounds; stops them all. */
export async function runPeerRounds(opts: PeerOptions): Promise<PeerResult[]> {
  const servers: ChildServer[] = [];
  const results: PeerResult[] = [];
  try {
    for (const peer of opts.peers) {
      const server = await startChildServer({
        script: peer.script,
        env: peer.env,
        readyPath: peer.readyPath,
        ...(peer.cwd ? { cwd: peer.cwd } : {}),
      });
      servers.push(server);
      results.push({
        name: peer.name,
        script: peer.script,
        env: peer.env ?? {},
        rounds: [],
        peakRssMiB: NaN,
      });
      const t = Date.now();
      if (opts.jitWarmupTurns)
        await runLoad({
          botUrl: server.url,
          connector: opts.connector,
          concurrency: opts.concurrency,
          turns: opts.jitWarmupTurns,
          script: mixScript,
        });
      opts.log(`peer ${peer.name}: started and warmed up in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    for (let r = 0; r < opts.rounds; r++) {
      for (let k = 0; k < servers.length; k++) {
        const i = (k + r) % servers.length;
        const m = await measure(servers[i]!, opts, r + 1);
        results[i]!.rounds.push(m);
        opts.log(
          `round ${r + 1} ${results[i]!.name}: p95 ${m.p95Ms} ms, ${m.throughputPerSec} turns/s, ` +
            `event loop ${m.eventLoopCpuMsPerTurn} ms/turn${m.errors ? `, ${m.errors} errors (${m.errorSample})` : ''}`,
        );
      }
    }
    servers.forEach((s, i) => (results[i]!.peakRssMiB = Math.round(s.peakRssMiB() * 10) / 10));
    return results;
  } finally {
    await Promise.all(servers.map((s) => s.stop(30_000)));
  }
}

/** Per-round ratios of `of` to `to` (p95, throughput, event-loop CPU per turn), as min / median / max. */
export function peerRatio(results: PeerResult[], of: string, to: string): RatioSummary | undefined {
  const a = results.find((p) => p.name === of);
  const b = results.find((p) => p.name === to);
  if (!a || !b || a.rounds.length !== b.rounds.length || !a.rounds.length) return undefined;
  const ratios = (pick: (m: PeerMeasurement) => number) =>
    minMedMax(a.rounds.map((m, i) => pick(m) / pick(b.rounds[i]!)));
  return {
    of,
    to,
    p95: ratios((m) => m.p95Ms),
    throughput: ratios((m) => m.throughputPerSec),
    eventLoopCpu: ratios((m) => m.eventLoopCpuMsPerTurn),
  };
}
