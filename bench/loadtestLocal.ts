/**
 * The load test's scenario against the embedded bot on this machine:
 *   npm run loadtest:local [-- --users 8 --turns 400 --out report/loadtest.json]
 * Replays ops/loadtest/activities.json (the same file the Azure Load Testing JMeter plan reads) from
 * `--users` simulated Teams users, each in its own personal chat, and prints JSON: turns, errors,
 * p50/p95 latency and throughput. The bot runs as a child process on loopback in embedded mode; its
 * replies go to a local connector (the activities' serviceUrl is replaced by it).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { users } from '../test/helpers/activities';
import { BenchUsageError, parseBenchArgs } from './lib/args';
import { startChildServer } from './lib/childServer';
import { runLoad, type TurnSpec } from './lib/loadGenerator';
import { ACTIVITIES_FILE, instantiate, loadActivities } from './lib/loadtestActivities';
import { ReplyConnector } from './lib/replyConnector';
import { embeddedBotEnv } from './lib/turnsBenchmark';

function log(message: string): void {
  process.stderr.write(`[loadtest:local] ${message}\n`);
}

function positive(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000)
    throw new BenchUsageError(`--${name} must be an integer in 1..100000, got "${value}"`);
  return n;
}

const round = (n: number) => Math.round(n * 10) / 10;

async function main(): Promise<void> {
  const args = parseBenchArgs(
    process.argv.slice(2),
    {
      users: { description: 'simultaneous simulated users (JMeter threads)', default: '8' },
      turns: { description: 'measured turns in total', default: '400' },
      warmup: { description: 'unmeasured turns first (JIT, first Cosmos containers)', default: '40' },
      out: { description: 'also write the JSON result to this file', default: '' },
      server: { description: 'entry of the bot', default: 'src/index.ts' },
    },
    'usage: npm run loadtest:local -- [--users N] [--turns N] [--out result.json]',
  );
  const concurrency = positive(args.users, 'users');
  const turns = positive(args.turns, 'turns');
  const warmup = args.warmup === '0' ? 0 : positive(args.warmup, 'warmup');
  const { scenarios } = loadActivities();

  // The same order the JMeter plan uses: each user walks the file from its own offset.
  const script = (userIndex: number, turnIndex: number): TurnSpec => {
    const { activity } = scenarios[(userIndex + turnIndex) % scenarios.length]!;
    return {
      user: users.alex,
      text: activity.text,
      activity: (serviceUrl) => instantiate(activity, serviceUrl, `vu${userIndex}`),
    };
  };

  const dataDir = mkdtempSync(join(tmpdir(), 'loadtest-bot-'));
  const connector = await new ReplyConnector().start();
  const t0 = Date.now();
  const server = await startChildServer({
    script: args.server,
    env: embeddedBotEnv(dataDir, 'loadtest'),
    readyPath: '/readyz',
  });
  try {
    log(`bot ready in ${((Date.now() - t0) / 1000).toFixed(1)} s at ${server.url}`);
    const sampleReplies: Record<string, string> = {};
    const scenarioOf = new Map(scenarios.map((s) => [s.activity.text, s.scenario]));
    if (warmup)
      await runLoad({
        botUrl: server.url,
        connector,
        concurrency,
        turns: Math.max(warmup, scenarios.length),
        script,
        onReply: (spec, reply) => {
          const key = `${scenarioOf.get(spec.text)}: ${spec.text}`;
          sampleReplies[key] ??= String(
            reply.text ?? (Array.isArray(reply.attachments) ? '[card]' : ''),
          ).slice(0, 120);
        },
      });
    const result = await runLoad({ botUrl: server.url, connector, concurrency, turns, script });
    const summary = {
      benchmark: 'loadtest:local',
      activities: ACTIVITIES_FILE,
      scenarios: scenarios.map((s) => s.scenario),
      users: concurrency,
      turns: result.turns,
      ok: result.ok,
      errors: result.errors,
      errorSamples: result.errorSamples,
      latencyMs: Object.fromEntries(Object.entries(result.latencyMs).map(([k, v]) => [k, round(v)])),
      throughputPerSec: round(result.throughputPerSec),
      wallSeconds: round(result.wallSeconds),
      peakRssMiB: round(server.peakRssMiB()),
      sampleReplies,
    };
    const json = `${JSON.stringify(summary, null, 2)}\n`;
    process.stdout.write(json);
    if (args.out) {
      mkdirSync(dirname(args.out), { recursive: true });
      writeFileSync(args.out, json);
    }
    if (result.errors) process.exitCode = 1;
  } finally {
    await server.stop();
    await connector.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  if (error instanceof BenchUsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`[loadtest:local] failed: ${(error as Error).message}\n`);
  process.exit(1);
});
