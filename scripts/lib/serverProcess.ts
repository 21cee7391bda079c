import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';

/**
 * A server (the bot, the benchmark's floor bot) in its own Node process on 127.0.0.1: how tests,
 * benchmarks and dev scripts start one and wait until it answers. One implementation for all of them.
 */
export interface ServerProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  pid: number;
  /** Exit code once the process has exited (null when killed by a signal), undefined while it runs. */
  exitCode(): number | null | undefined;
  /** The last lines the process wrote (stdout and stderr), for failure messages. */
  tail(): string;
  /** Every line the process wrote so far (up to the first 10,000), e.g. to look for warnings. */
  output(): readonly string[];
  /** Peak resident set size so far (VmHWM from /proc/<pid>/status), in MiB; NaN where /proc is absent. */
  peakRssMiB(): number;
  /** SIGTERM (graceful shutdown), SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface ServerProcessOptions {
  /** TypeScript (run through tsx's loader) or JavaScript entry, relative to the project root. */
  script: string;
  /** Environment on top of the base one; HOST and PORT are always set by this helper. */
  env?: Record<string, string>;
  /**
   * 'inherit' (default): this process's environment underneath. 'minimal': only PATH and HOME, so
   * the child sees nothing of the test runner (vitest's NODE_ENV=test, VITEST…), like a deployment.
   */
  baseEnv?: 'inherit' | 'minimal';
  /** Extra Node flags, e.g. ['--cpu-prof', '--cpu-prof-dir', dir]. */
  nodeFlags?: string[];
  /** Fixed port; default a free one (retried if another process takes it first). */
  port?: number;
  /** Path polled with GET until it answers 200. Default /healthz. */
  readyPath?: string;
  /** Default 60 s (the bot trains its intent model at start-up). */
  startTimeoutMs?: number;
  cwd?: string;
}

export const PROJECT_ROOT = resolve(__dirname, '..', '..');
const TAIL_LINES = 60;
const MAX_LINES = 10_000;

/** A free loopback port (closed again before the caller binds it). */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

export function readPeakRssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  if (options.port !== undefined) return startOnce(options, options.port);
  // A port found free can be taken (e.g. as the local port of some outgoing connection) before
  // the child binds it: on EADDRINUSE try another one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, await freeLoopbackPort());
    } catch (err) {
      if (attempt >= 3 || !(err instanceof PortInUseError)) throw err;
    }
  }
}

class PortInUseError extends Error {}

async function startOnce(options: ServerProcessOptions, port: number): Promise<ServerProcess> {
  const base: Record<string, string | undefined> =
    options.baseEnv === 'minimal'
      ? { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() }
      : process.env;
  const env = { ...base, LOG_LEVEL: 'warn', ...options.env, HOST: '127.0.0.1', PORT: String(port) };
  const loader = options.script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeFlags ?? []), ...loader, options.script],
    { cwd: options.cwd ?? PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  // Per stream: a chunk may end in the middle of a line.
  const collector = () => {
    let partial = '';
    return (chunk: Buffer) => {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) if (line && lines.length < MAX_LINES) lines.push(line);
    };
  };
  const tail = () => lines.slice(-TAIL_LINES).join('\n');
  child.stdout!.on('data', collector());
  child.stderr!.on('data', collector());
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((done) =>
    // 'close' (not 'exit'): fires once stdout/stderr are drained, so the last lines are in `lines`.
    child.once('close', (code) => {
      exitCode = code;
      done(code);
    }),
  );

  const url = `http://127.0.0.1:${port}`;
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exitCode !== undefined) {
      const message = `${options.script} exited with code ${exitCode} before it was ready:\n${tail()}`;
      throw lines.some((l) => l.includes('EADDRINUSE')) ? new PortInUseError(message) : new Error(message);
    }
    if (await answers200(`${url}${options.readyPath ?? '/healthz'}`)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`${options.script} was not ready within ${timeoutMs} ms:\n${tail()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    url,
    port,
    pid: child.pid!,
    exitCode: () => exitCode,
    tail,
    output: () => lines,
    peakRssMiB: () => readPeakRssMiB(child.pid!),
    stop: async (graceMs = 10_000) => {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

async function answers200(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false; // not listening yet
  }
}
