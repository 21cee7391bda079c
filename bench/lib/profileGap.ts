import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChildServer } from './childServer';
import { areaOf, readCpuProfile, selfTimeByLocation, type CpuProfile } from './cpuProfile';
import { runLoad } from './loadGenerator';
import type { PeerSpec } from './peerRounds';
import type { ReplyConnector } from './replyConnector';
import { mixScript } from './turnsBenchmark';

/**
 * Where the per-turn gap between two servers goes (`bench:turns --profile-peers …`): each named peer
 * runs alone under `node --cpu-prof`, is warmed up, then serves the same measured turns at c16; the
 * event-loop thread's samples inside the measured window are summed per coarse group (the Cosmos
 * client, botbuilder, teams-ai, the bot's own src/ folders, GC, …) and divided by the turns. Idle
 * samples are left out, so the groups add up to the event loop's busy time per turn. The gap of one
 * peer to another is then the difference per group: that is what explains a missed ratio.
 *
 * The profiler itself slows every server by a similar share (sampling every 1 ms by default), so the
 * absolute milliseconds are a little above the unprofiled event-loop CPU; the differences between
 * peers are what this is for.
 */
export interface PeerProfile {
  name: string;
  turns: number;
  /** Busy event-loop ms per turn in the measured window (idle left out). */
  busyMsPerTurn: number;
  /** ms per turn per coarse group, largest first. */
  groups: { group: string; msPerTurn: number }[];
  /** ms per turn per package or src/ folder (areaOf), largest first, top 25. */
  areas: { area: string; msPerTurn: number }[];
  /** The functions with the most self time, ms per turn, top 30. */
  functions: { function: string; location: string; msPerTurn: number }[];
}

export interface ProfileGap {
  of: string;
  to: string;
  /** of.busyMsPerTurn − to.busyMsPerTurn */
  busyMsPerTurn: number;
  /** Per group: of − to (ms per turn), largest absolute difference first. */
  groups: { group: string; ofMs: number; toMs: number; deltaMs: number }[];
}

const GROUPS: [RegExp, string][] = [
  [/^@azure\/cosmos$/, 'Cosmos client (@azure/cosmos)'],
  [
    /^(@azure\/core-|@azure\/abort-controller|@azure\/logger|@typespec\/ts-http-runtime)/,
    'Azure HTTP pipeline',
  ],
  [/^(botbuilder|botframework-|@azure\/msal|jsonwebtoken|jwks-rsa)/, 'botbuilder + connector'],
  [/^@microsoft\/teams-ai$/, 'teams-ai'],
  [/^(openai|gpt-tokenizer|js-tiktoken|tiktoken)/, 'openai client + tokenizer'],
  [/^(restify|find-my-way|send|formidable|csv|spdy|negotiator|mime)/, 'restify'],
  [/^(axios|node-fetch|undici|follow-redirects|form-data|agentkeepalive)/, 'HTTP clients (axios, fetch)'],
  [/^zod/, 'zod'],
  [/^(pino|sonic-boom|thread-stream|prom-client|@opentelemetry)/, 'logging, metrics, tracing'],
  [/^src\/(nlu|text|knowledge|encoder)$/, 'bot: understanding + knowledge'],
  [/^src\/(storage)$/, 'bot: storage wrappers'],
  [/^src\/(teams)$/, 'bot: Teams glue + cards'],
  [/^src/, 'bot: other src/'],
  [/^bench/, 'peer code (bench/)'],
  [/^node internals$/, 'Node internals (node:*)'],
];

function groupOf(area: string, functionName: string): string {
  if (area.startsWith('(native')) {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(program)') return 'V8 / native (program)';
    return 'native (other)';
  }
  for (const [re, name] of GROUPS) if (re.test(area)) return name;
  return 'other packages';
}

function sortedPerTurn<K extends string>(m: Map<string, number>, turns: number, key: K, limit = 100) {
  return [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(
      ([name, us]) =>
        ({ [key]: name, msPerTurn: round3(us / 1000 / turns) }) as Record<K, string> & {
          msPerTurn: number;
        },
    );
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** A profile's busy samples (idle left out) inside `window`, per group and per area, in ms per turn. */
export function perTurnByGroup(
  profile: CpuProfile,
  turns: number,
  window?: { fromUs: number; toUs: number },
): Omit<PeerProfile, 'name'> {
  const groups = new Map<string, number>();
  const areas = new Map<string, number>();
  let busyUs = 0;
  const busy = selfTimeByLocation(profile, window).filter((e) => e.function !== '(idle)');
  for (const e of busy) {
    const area = areaOf(e.location);
    const group = groupOf(area, e.function);
    busyUs += e.us;
    groups.set(group, (groups.get(group) ?? 0) + e.us);
    areas.set(area, (areas.get(area) ?? 0) + e.us);
  }
  return {
    turns,
    busyMsPerTurn: round3(busyUs / 1000 / turns),
    groups: sortedPerTurn(groups, turns, 'group'),
    areas: sortedPerTurn(areas, turns, 'area', 25),
    functions: busy
      .sort((a, b) => b.us - a.us)
      .slice(0, 30)
      .map((e) => ({ function: e.function, location: e.location, msPerTurn: round3(e.us / 1000 / turns) })),
  };
}

/**
 * Runs `peer` under `node --cpu-prof`: warm-up, then `turns` measured turns at c16. Returns the event
 * loop's profile (thread 0; the embedded Cosmos server and the encoder run on workers) and the
 * measured window on the monotonic clock the profile uses too, so start-up and training stay out.
 */
export async function profileMainThread(
  peer: Pick<PeerSpec, 'name' | 'script' | 'env' | 'readyPath' | 'cwd'>,
  connector: ReplyConnector,
  warmupTurns: number,
  turns: number,
): Promise<{ profile: CpuProfile; window: { fromUs: number; toUs: number } }> {
  const dir = mkdtempSync(join(tmpdir(), 'turns-prof-'));
  try {
    const server = await startChildServer({
      script: peer.script,
      env: peer.env,
      readyPath: peer.readyPath,
      cwd: peer.cwd,
      nodeFlags: ['--cpu-prof', '--cpu-prof-dir', dir],
    });
    let window: { fromUs: number; toUs: number };
    try {
      await runLoad({
        botUrl: server.url,
        connector,
        concurrency: 16,
        turns: warmupTurns,
        script: mixScript,
      });
      const fromUs = Number(process.hrtime.bigint() / 1000n);
      await runLoad({ botUrl: server.url, connector, concurrency: 16, turns, script: mixScript });
      window = { fromUs, toUs: Number(process.hrtime.bigint() / 1000n) };
    } finally {
      await server.stop(30_000);
    }
    // One profile per thread: CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile.
    const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    const file = files.find((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f)) ?? files[0];
    if (!file) throw new Error(`${peer.name} wrote no .cpuprofile (did it exit cleanly on SIGTERM?)`);
    return { profile: readCpuProfile(join(dir, file)), window };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Profiles one peer (profileMainThread) and sums its busy time per group. */
export async function profilePeer(
  peer: PeerSpec,
  connector: ReplyConnector,
  warmupTurns: number,
  turns: number,
): Promise<PeerProfile> {
  const { profile, window } = await profileMainThread(peer, connector, warmupTurns, turns);
  return { name: peer.name, ...perTurnByGroup(profile, turns, window) };
}

/** The per-group difference of two profiles (of − to), largest absolute difference first. */
export function profileGap(of: PeerProfile, to: PeerProfile): ProfileGap {
  const names = new Set([...of.groups, ...to.groups].map((g) => g.group));
  const ms = (p: PeerProfile, g: string) => p.groups.find((x) => x.group === g)?.msPerTurn ?? 0;
  const groups = [...names]
    .map((group) => ({
      group,
      ofMs: ms(of, group),
      toMs: ms(to, group),
      deltaMs: round3(ms(of, group) - ms(to, group)),
    }))
    .sort((a, b) => Math.abs(b.deltaMs) - Math.abs(a.deltaMs));
  return { of: of.name, to: to.name, busyMsPerTurn: round3(of.busyMsPerTurn - to.busyMsPerTurn), groups };
}
