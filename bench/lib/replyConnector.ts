import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One activity the bot posted to the connector. */
export interface PostedActivity {
  conversationId: string;
  activity: Record<string, unknown>;
}

/**
 * A minimal Bot Framework connector for load runs: answers POST /v3/conversations/{id}/activities[/{replyToId}]
 * and resolves whoever waits for the first non-typing reply to a given inbound activity id (replyToId).
 * Unlike test/helpers/connector.ts it keeps no history, so memory and matching stay O(1) per turn.
 */
export class ReplyConnector {
  private server?: http.Server;
  private readonly waiting = new Map<
    string,
    { resolve: (reply: PostedActivity) => void; timer: NodeJS.Timeout }
  >();
  /** Replies that arrived before anyone waited for them (the HTTP response can lag the reply). */
  private readonly early = new Map<string, PostedActivity>();
  private counter = 0;
  /** Activities posted to the connector since start, by type (message, typing, …). */
  readonly activityCounts: Record<string, number> = {};
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Resolves with the first non-typing activity whose replyToId is `activityId`; rejects after `timeoutMs`. */
  waitForReply(activityId: string, timeoutMs: number): Promise<PostedActivity> {
    const ready = this.early.get(activityId);
    if (ready) {
      this.early.delete(activityId);
      return Promise.resolve(ready);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(activityId);
        reject(new Error(`no reply to ${activityId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(activityId, {
        timer,
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
      });
    });
  }

  /** Abandons the wait for `activityId` (its promise stays pending) and forgets an early reply. */
  discard(activityId: string): void {
    const waiter = this.waiting.get(activityId);
    if (waiter) clearTimeout(waiter.timer);
    this.waiting.delete(activityId);
    this.early.delete(activityId);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
      if (!match || (req.method !== 'POST' && req.method !== 'PUT')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"NotFound"}}');
        return;
      }
      let activity: Record<string, unknown>;
      try {
        activity = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        res.writeHead(400).end();
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ id: `reply-${++this.counter}` }));
      const type = typeof activity.type === 'string' ? activity.type : 'unknown';
      this.activityCounts[type] = (this.activityCounts[type] ?? 0) + 1;
      if (activity.type === 'typing') return;
      const replyTo =
        typeof activity.replyToId === 'string'
          ? activity.replyToId
          : match[2]
            ? decodeURIComponent(match[2])
            : undefined;
      if (!replyTo) return;
      const posted = { conversationId: decodeURIComponent(match[1]!), activity };
      const waiter = this.waiting.get(replyTo);
      if (waiter) {
        this.waiting.delete(replyTo);
        waiter.resolve(posted);
      } else if (!this.early.has(replyTo)) {
        this.early.set(replyTo, posted);
      }
    });
  }
}
