import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/** A bot server running in its own Node process (the same process model for the floor and the full bot). */
export interface ChildServer {
  url: string;
  pid: number;
  /** Peak resident set size so far (VmHWM from /proc/<pid>/status), in MiB; NaN where /proc is absent. */
  peakRssMiB(): number;
  /** Last lines the process wrote to stderr/stdout (for error messages). */
  tail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface ChildServerOptions {
  /** TypeScript or JavaScript entry, relative to the project root. */
  script: string;
  env?: Record<string, string>;
  /** Extra Node flags, e.g. ['--cpu-prof', '--cpu-prof-dir', 'report/profiles']. */
  nodeFlags?: string[];
  /** Path polled with GET until it answers 200 (default /healthz). */
  readyPath?: string;
  startTimeoutMs?: number;
  cwd?: string;
}

export const PROJECT_ROOT = resolve(__dirname, '..', '..');

/** Asks the OS for a free loopback port (closed again before the child binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const port = (probe.address() as { port: number }).port;
      probe.close(() => resolvePort(port));
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

/**
 * Starts `node [flags] --import tsx <script>` bound to 127.0.0.1 on a free port and waits until
 * `readyPath` answers 200. TypeScript entries go through tsx's loader (transpiled once at load).
 */
export async function startChildServer(opts: ChildServerOptions): Promise<ChildServer> {
  const port = await freePort();
  const cwd = opts.cwd ?? PROJECT_ROOT;
  const loader = opts.script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child: ChildProcess = spawn(process.execPath, [...(opts.nodeFlags ?? []), ...loader, opts.script], {
    cwd,
    env: { ...process.env, LOG_LEVEL: 'warn', ...opts.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((done) =>
    child.once('exit', (code) => {
      exitCode = code;
      done(code);
    }),
  );

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exitCode !== undefined)
      throw new Error(
        `${opts.script} exited with code ${exitCode} before it was ready:\n${lines.join('\n')}`,
      );
    try {
      const res = await fetch(`${url}${opts.readyPath ?? '/healthz'}`);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `${opts.script} was not ready within ${opts.startTimeoutMs ?? 60_000} ms:\n${lines.join('\n')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    url,
    pid: child.pid!,
    peakRssMiB: () => readPeakRssMiB(child.pid!),
    tail: () => lines.join('\n'),
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
