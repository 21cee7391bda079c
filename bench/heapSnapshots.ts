/**
 * Is the full bot's main-thread heap growth a leak? Runs the full bot (embedded mode, as bench:turns
 * does) under `node --heapsnapshot-signal=SIGUSR2`, takes a heap snapshot (which collects garbage
 * first) after each of the given turn counts, and compares the last with the first by constructor:
 * what is retained more, in objects and bytes. Nothing in the bot knows it is being watched.
 *
 *   npm run bench:heap -- --out report/bench/heap-snapshots.json [--at 2000,12000] [--keep <dir>]
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BenchUsageError, parseBenchArgs } from './lib/args';
import { startChildServer } from './lib/childServer';
import { runLoad } from './lib/loadGenerator';
import { readRssMiB } from './lib/procCpu';
import { ReplyConnector } from './lib/replyConnector';
import { embeddedBotEnv, mixScript } from './lib/turnsBenchmark';

function log(message: string): void {
  process.stderr.write(`[bench:heap] ${message}\n`);
}

interface Group {
  count: number;
  selfBytes: number;
}

/** Objects and self bytes by "type:name" (constructor name for objects) in a .heapsnapshot file. */
export function summariseSnapshot(file: string): Map<string, Group> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const groups = new Map<string, Group>();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + typeAt!]!]!;
    // Strings and code are grouped by type only: their "names" are their contents.
    const name = ['object', 'closure', 'native', 'hidden'].includes(type)
      ? snap.strings[snap.nodes[i + nameAt!]!]!
      : '';
    const key = `${type}:${name}`;
    const g = groups.get(key) ?? { count: 0, selfBytes: 0 };
    g.count++;
    g.selfBytes += snap.nodes[i + sizeAt!]!;
    groups.set(key, g);
  }
  return groups;
}

async function snapshotOf(pid: number, dir: string): Promise<string> {
  const before = new Set(readdirSync(dir));
  process.kill(pid, 'SIGUSR2');
  // The file appears at once and grows while V8 writes it: wait until its size stops changing.
  for (let last = -1; ;) {
    await new Promise((r) => setTimeout(r, 1000));
    const file = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (!file) continue;
    const size = statSync(join(dir, file)).size;
    if (size === last && size > 0) return join(dir, file);
    last = size;
  }
}

function compare(first: Map<string, Group>, last: Map<string, Group>, top = 25) {
  const total = (m: Map<string, Group>) => [...m.values()].reduce((a, g) => a + g.selfBytes, 0);
  const growth = [...last.entries()]
    .map(([key, g]) => {
      const f = first.get(key) ?? { count: 0, selfBytes: 0 };
      return { key, count: g.count - f.count, selfKiB: Math.round((g.selfBytes - f.selfBytes) / 1024) };
    })
    .sort((a, b) => b.selfKiB - a.selfKiB)
    .slice(0, top);
  return {
    liveHeapMiB: [total(first), total(last)].map((b) => Math.round((b / 1024 / 1024) * 10) / 10),
    topGrowth: growth,
  };
}

async function main(): Promise<void> {
  const args = parseBenchArgs(
    process.argv.slice(2),
    {
      out: { description: 'where to write the JSON result', required: true },
      at: { description: 'turn counts after which to take a snapshot (ascending)', default: '2000,12000' },
      keep: { description: 'directory to keep the .heapsnapshot files in (default: deleted)', default: '' },
    },
    'usage: npm run bench:heap -- --out <result.json> [--at 2000,12000]',
  );
  const at = args.at.split(',').map(Number);
  if (at.length < 2 || at.some((n, i) => !Number.isInteger(n) || n < 1 || (i > 0 && n <= at[i - 1]!)))
    throw new BenchUsageError('--at must be two or more ascending turn counts');
  const dataDir = mkdtempSync(join(tmpdir(), 'heap-bot-'));
  const snapDir = args.keep || join(dataDir, 'snapshots');
  mkdirSync(snapDir, { recursive: true });
  const connector = await new ReplyConnector().start();
  const bot = await startChildServer({
    script: 'src/index.ts',
    env: embeddedBotEnv(dataDir),
    readyPath: '/readyz',
    nodeFlags: ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapDir}`],
  });
  const points: { turns: number; rssMiB: number; file: string }[] = [];
  try {
    let done = 0;
    for (const turns of at) {
      const load = { botUrl: bot.url, connector, concurrency: 16, script: mixScript };
      const result = await runLoad({ ...load, turns: turns - done });
      done = turns;
      const rssMiB = Math.round(readRssMiB(bot.pid) * 10) / 10;
      const file = await snapshotOf(bot.pid, snapDir);
      points.push({ turns, rssMiB, file });
      log(`${turns} turns (${result.errors} errors), RSS ${rssMiB} MiB before the snapshot: ${file}`);
    }
  } finally {
    await bot.stop(30_000);
    await connector.stop();
  }
  const first = summariseSnapshot(points[0]!.file);
  const last = summariseSnapshot(points.at(-1)!.file);
  const result = {
    date: new Date().toISOString(),
    command: `npm run bench:heap -- ${process.argv.slice(2).join(' ')}`,
    points: points.map(({ turns, rssMiB }) => ({ turns, rssMiB })),
    ...compare(first, last),
  };
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
  log(
    `live heap ${result.liveHeapMiB.join(' -> ')} MiB; top growth: ${JSON.stringify(result.topGrowth.slice(0, 8))}`,
  );
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  if (error instanceof BenchUsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`[bench:heap] failed: ${(error as Error).message}\n`);
  process.exit(1);
});
