import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The bot as its own Node process (`node --import tsx src/index.ts`, the real process entry with
 * its env parsing and SIGTERM handling), bound to 127.0.0.1, for tests that need more than one
 * bot instance or a process that stops and starts.
 */
export interface BotProcess {
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
  /** SIGTERM (graceful shutdown in src/index.ts), SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface BotProcessOptions {
  /** Environment on top of a minimal one (PATH, HOME); HOST and PORT are set by the helper. */
  env?: Record<string, string>;
  /** Fixed port; default a free one. */
  port?: number;
  /** Time to wait for GET /healthz. Default 60 s (the intent model is trained at start-up). */
  startTimeoutMs?: number;
}

export const PROJECT_ROOT = resolve(__dirname, '..', '..');
const TAIL_LINES = 60;
const MAX_LINES = 10_000;

/** A free loopback port (closed again before the caller binds it). */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

/** A temp directory for one test file's knowledge index (so tests never share `.data/`). */
export function tempDataDir(prefix = 'bot-test-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startBotProcess(options: BotProcessOptions = {}): Promise<BotProcess> {
  if (options.port !== undefined) return startOnce(options, options.port);
  // A port found free can be taken (e.g. as the local port of some outgoing connection) before
  // the child binds it: on EADDRINUSE try another one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, await freePort());
    } catch (err) {
      if (attempt >= 3 || !(err instanceof PortInUseError)) throw err;
    }
  }
}

class PortInUseError extends Error {}

async function startOnce(options: BotProcessOptions, port: number): Promise<BotProcess> {
  // Only what the bot needs: vitest's own variables (VITEST, NODE_ENV=test) would silence the
  // logger and change nothing else, but a clean env keeps the child like a real deployment.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    LOG_LEVEL: 'warn',
    ...options.env,
    HOST: '127.0.0.1',
    PORT: String(port),
  };
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
      const message = `bot process exited with code ${exitCode} before it was ready:\n${tail()}`;
      throw lines.some((l) => l.includes('EADDRINUSE')) ? new PortInUseError(message) : new Error(message);
    }
    if (await answers200(`${url}/healthz`)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`bot process was not ready within ${timeoutMs} ms:\n${tail()}`);
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

/** GET a JSON endpoint (e.g. /readyz): status and parsed body. */
export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  try {
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  } catch {
    return { status: res.status, body: text };
  }
}

/**
 * POSTs an activity to a bot's /api/messages. Fails after `timeoutMs` (default 15 s: the time
 * Teams waits for the bot's HTTP answer before it gives up and retries).
 */
export async function postActivity(
  botUrl: string,
  activity: unknown,
  timeoutMs = 15_000,
): Promise<{ status: number; body: string }> {
  const res = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: res.status, body: await res.text() };
}
