import http from 'node:http';
import {
  message,
  personalConversation,
  type ConversationRef,
  type TestUser,
} from '../../test/helpers/activities';
import type { ReplyConnector } from './replyConnector';
import { elapsedMs, mean, percentile } from './stats';

/** What one simulated user says on its n-th turn. */
export interface TurnSpec {
  user: TestUser;
  text: string;
  /** A ready activity (e.g. replayed from ops/loadtest/activities.json) instead of one built from `text`. */
  activity?: (serviceUrl: string) => { id: string } & Record<string, unknown>;
}

export interface LoadOptions {
  botUrl: string;
  connector: ReplyConnector;
  /** Simulated users, each with its own personal conversation, each sending turns one after another. */
  concurrency: number;
  /** Total turns across all users. */
  turns: number;
  /** The script: turn `turnIndex` of user `userIndex`. */
  script: (userIndex: number, turnIndex: number) => TurnSpec;
  timeoutMs?: number;
  onTurnDone?: () => void;
  /** Sees each successful turn's reply (e.g. to record sample replies). */
  onReply?: (spec: TurnSpec, reply: Record<string, unknown>) => void;
}

export interface LoadResult {
  concurrency: number;
  turns: number;
  ok: number;
  errors: number;
  errorSamples: string[];
  wallSeconds: number;
  throughputPerSec: number;
  latencyMs: { p50: number; p95: number; p99: number; mean: number; max: number };
  /** Raw per-turn latencies of successful turns (ms), for histograms. */
  samplesMs: number[];
}

/** POSTs one activity on a keep-alive agent; resolves with the status code once the body is drained. */
function postActivity(agent: http.Agent, url: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Closed-loop load: `concurrency` users each post a Teams message, wait for both the HTTP response and
 * the bot's reply at the connector (matched by replyToId), then send their next turn. A turn's latency
 * runs from the first byte sent to whichever of the two arrives last.
 */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1)
    throw new Error('concurrency must be a positive integer');
  if (!Number.isInteger(opts.turns) || opts.turns < 1) throw new Error('turns must be a positive integer');
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const endpoint = new URL('/api/messages', opts.botUrl);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let next = 0;

  const user = async (userIndex: number) => {
    let conversation: ConversationRef | undefined;
    for (let turnIndex = 0; ; turnIndex++) {
      if (next >= opts.turns) return;
      next++;
      const spec = opts.script(userIndex, turnIndex);
      conversation ??= personalConversation(spec.user);
      const activity =
        spec.activity?.(opts.connector.url) ??
        message(opts.connector.url, conversation, spec.text, { user: spec.user });
      const start = process.hrtime.bigint();
      const reply = opts.connector.waitForReply(activity.id, timeoutMs);
      try {
        // A failed POST ends the turn at once instead of waiting for a reply that will not come.
        const posted = postActivity(agent, endpoint, JSON.stringify(activity)).then((status) => {
          if (status !== 200) throw new Error(`HTTP ${status}`);
        });
        const [, answer] = await Promise.all([posted, reply]);
        latencies.push(elapsedMs(start));
        opts.onReply?.(spec, answer.activity);
      } catch (err) {
        errors++;
        reply.catch(() => undefined);
        opts.connector.discard(activity.id);
        if (errorSamples.length < 5) errorSamples.push(`${spec.text}: ${(err as Error).message}`);
      }
      opts.onTurnDone?.();
    }
  };

  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: opts.concurrency }, (_, i) => user(i)));
  const wallSeconds = elapsedMs(start) / 1000;
  agent.destroy();
  return {
    concurrency: opts.concurrency,
    turns: opts.turns,
    ok: latencies.length,
    errors,
    errorSamples,
    wallSeconds,
    throughputPerSec: latencies.length / wallSeconds,
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      mean: mean(latencies),
      max: latencies.length ? Math.max(...latencies) : NaN,
    },
    samplesMs: latencies,
  };
}
