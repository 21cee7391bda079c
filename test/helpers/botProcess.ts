import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSampleKnowledgeIndexed } from '../../src/knowledge';
import {
  freeLoopbackPort,
  PROJECT_ROOT,
  startServerProcess,
  type ServerProcess,
} from '../../scripts/lib/serverProcess';

export { PROJECT_ROOT };
export const freePort = freeLoopbackPort;

/**
 * The bot as its own Node process (`node --import tsx src/index.ts`, the real process entry with
 * its env parsing and SIGTERM handling), bound to 127.0.0.1, for tests that need more than one
 * bot instance or a process that stops and starts.
 */
export type BotProcess = ServerProcess;

/** How long a test waits for a bot process to become healthy (a deadline, not a sleep). */
export const STARTUP_DEADLINE_MS = 180_000;

export interface BotProcessOptions {
  /** Environment on top of a minimal one (PATH, HOME); HOST and PORT are set by the helper. */
  env?: Record<string, string>;
  /** Fixed port; default a free one. */
  port?: number;
  /**
   * Time to wait for GET /healthz. Default 180 s: the intent model is trained at start-up, which
   * takes well over a minute when several test files start processes at once on a loaded 2-core
   * machine (the wait ends as soon as the process is healthy).
   */
  startTimeoutMs?: number;
}

/** A temp directory for one test file's knowledge index (so tests never share `.data/`). */
export function tempDataDir(prefix = 'bot-test-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A temp directory with the sample knowledge base already indexed into `indexPath`, for bot
 * processes that share it (indexing once up front: several processes ingesting into one file at
 * start-up would race).
 */
export async function indexedDataDir(
  prefix: string,
): Promise<{ dir: string; indexPath: string; remove(): void }> {
  const data = tempDataDir(prefix);
  const indexPath = join(data.dir, 'knowledge-index.json');
  await ensureSampleKnowledgeIndexed(indexPath);
  return { ...data, indexPath };
}

export async function startBotProcess(options: BotProcessOptions = {}): Promise<BotProcess> {
  // Embedded Cosmos keeps its data in EMBEDDED_DATA_DIR (default `.data/cosmos`): give every
  // process that did not choose one its own temp dir, removed when it stops.
  // Likewise the transcript spool (TRANSCRIPT_SPOOL_DIR, used with COSMOS_ENDPOINT): never the
  // project's `.data/`, where another test's bot would drain it into its own Cosmos.
  const env = options.env ?? {};
  const data =
    env.COSMOS_ENDPOINT && env.TRANSCRIPT_SPOOL_DIR
      ? undefined
      : env.COSMOS_ENDPOINT || env.EMBEDDED_DATA_DIR
        ? tempDataDir('bot-spool-')
        : tempDataDir('bot-cosmos-');
  // A minimal env: vitest's own variables (VITEST, NODE_ENV=test) would silence the logger and
  // change nothing else, but a clean env keeps the child like a real deployment.
  const proc = await startServerProcess({
    script: 'src/index.ts',
    baseEnv: 'minimal',
    startTimeoutMs: STARTUP_DEADLINE_MS,
    ...options,
    env: !data
      ? env
      : env.COSMOS_ENDPOINT || env.EMBEDDED_DATA_DIR
        ? { TRANSCRIPT_SPOOL_DIR: data.dir, ...env }
        : { ...env, EMBEDDED_DATA_DIR: data.dir },
  }).catch((err: unknown) => {
    data?.remove();
    throw err;
  });
  if (!data) return proc;
  const stop = proc.stop.bind(proc);
  proc.stop = async (...args: Parameters<BotProcess['stop']>) => {
    try {
      return await stop(...args);
    } finally {
      data.remove();
    }
  };
  return proc;
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
