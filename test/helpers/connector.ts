import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the Bot Framework connector API. */
export interface ConnectorCall {
  method: string;
  /** Conversation id, URL-decoded from the path. */
  conversationId: string;
  /** Present for replies (`/activities/{replyToId}`) and updates (PUT). */
  activityId?: string;
  authorization?: string;
  activity: Record<string, any>;
  /** The id this connector answered with (what Teams would show the activity under). */
  responseId: string;
}

/**
 * A local stand-in for the Teams connector (the activity's serviceUrl): records what the
 * bot POSTs to /v3/conversations/{id}/activities[/{replyToId}] and PUTs to update activities.
 */
export class LocalConnector {
  readonly calls: ConnectorCall[] = [];
  /** Conversations the bot created (POST /v3/conversations), with the parameters it sent. */
  readonly createdConversations: Array<{ id: string; parameters: Record<string, any> }> = [];
  private server?: http.Server;
  private waiters: Array<() => void> = [];
  private counter = 0;
  private held = 0;
  /** Roster per conversation (or team) id for GET /v3/conversations/{id}/members/{userId}. */
  private readonly rosters = new Map<string, Array<{ id: string; aadObjectId?: string; name?: string }>>();
  url = '';
  /**
   * Hold every answer this long (a slow Teams connector), so a turn is still in flight while a
   * test does something else, e.g. shuts the bot down. The call is recorded when it is answered.
   */
  replyDelayMs = 0;
  /**
   * Answers an activity with this HTTP status instead of 200 when it returns one, e.g. 403
   * `ContentStreamNotAllowed`, as Teams does for updates to a stream the user stopped. The call
   * is still recorded.
   */
  refuse?: (activity: Record<string, any>) => number | undefined;

  /**
   * When set, every message POST is refused with this status and not recorded (the bot removed
   * from the chat, the connector down); creating conversations still works.
   */
  refuseActivitiesWith: number | undefined;

  /** Answer conversation creates with 403 (the app is not installed for the user), e.g. to test fallbacks. */
  failConversationCreates = false;

  constructor(options: { replyDelayMs?: number } = {}) {
    this.replyDelayMs = options.replyDelayMs ?? 0;
  }

  /** Requests received and not answered yet (only non-zero with `replyDelayMs`). */
  heldRequests(): number {
    return this.held;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Calls whose activity is not a typing indicator, optionally for one conversation. */
  messages(conversationId?: string): ConnectorCall[] {
    return this.calls.filter(
      (c) =>
        c.activity.type !== 'typing' && (conversationId === undefined || c.conversationId === conversationId),
    );
  }

  /** Waits until `predicate` holds for the recorded calls, or fails after `timeoutMs`. */
  async waitFor(
    predicate: (calls: ConnectorCall[]) => boolean,
    timeoutMs = 10_000,
  ): Promise<ConnectorCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.calls)) {
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw new Error(
          `connector: condition not met within ${timeoutMs} ms; saw ${this.calls.length} calls`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(remaining, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.calls;
  }

  reset(): void {
    this.calls.length = 0;
  }

  /** Declares who is a member of a conversation (or team): answered by GET .../members/{userId}. */
  setMembers(
    conversationId: string,
    members: Array<{ id: string; aadObjectId?: string; name?: string }>,
  ): void {
    this.rosters.set(conversationId, members);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'POST' && /^\/v3\/conversations\/?$/.test(url.pathname)) {
        this.createConversation(res, Buffer.concat(chunks).toString('utf8'));
        return;
      }
      const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)\/?$/.exec(url.pathname);
      if (member && req.method === 'GET') {
        const found = this.rosters
          .get(decodeURIComponent(member[1]!))
          ?.find((m) => m.id === decodeURIComponent(member[2]!));
        res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            found ?? { error: { code: 'MemberNotFoundInConversation', message: 'not a member' } },
          ),
        );
        return;
      }
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/.exec(url.pathname);
      if (!match || (req.method !== 'POST' && req.method !== 'PUT')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'NotFound', message: `${req.method} ${url.pathname}` } }));
        return;
      }
      if (this.refuseActivitiesWith !== undefined) {
        res.writeHead(this.refuseActivitiesWith, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'Refused', message: 'refused by the test' } }));
        return;
      }
      let activity: Record<string, any> = {};
      try {
        activity = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        res.writeHead(400);
        res.end();
        return;
      }
      if (this.replyDelayMs > 0) {
        this.held++;
        setTimeout(() => {
          this.held--;
          this.answer(req, res, match, activity);
        }, this.replyDelayMs).unref();
        return;
      }
      this.answer(req, res, match, activity);
    });
  }

  /** Teams answers a create with the (existing or new) 1:1 conversation's id. */
  private createConversation(res: http.ServerResponse, body: string): void {
    let parameters: Record<string, any>;
    try {
      parameters = JSON.parse(body || '{}');
    } catch {
      res.writeHead(400);
      res.end();
      return;
    }
    if (this.failConversationCreates) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'BotNotInConversationRoster', message: 'not installed' } }));
      return;
    }
    const member = String(parameters.members?.[0]?.id ?? 'unknown');
    const id = `a:personal-${member}`;
    this.createdConversations.push({ id, parameters });
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id, activityId: `created-${++this.counter}` }));
  }

  private answer(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    match: RegExpExecArray,
    activity: Record<string, any>,
  ): void {
    // As Teams does: every update of a stream, the final message included, is the one message the
    // first update created, so it answers with the stream's id.
    const streamId =
      activity.channelData?.streamId ??
      (activity.entities as Array<Record<string, any>> | undefined)?.find((e) => e.type === 'streaminfo')
        ?.streamId;
    const responseId = typeof streamId === 'string' && streamId ? streamId : `reply-${++this.counter}`;
    this.calls.push({
      responseId,
      method: req.method ?? 'POST',
      conversationId: decodeURIComponent(match[1]),
      activityId: match[2] ? decodeURIComponent(match[2]) : undefined,
      authorization: req.headers.authorization,
      activity,
    });
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
    const refused = this.refuse?.(activity);
    if (refused) {
      res.writeHead(refused, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { code: 'ContentStreamNotAllowed', message: 'Content stream was cancelled by user.' },
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: responseId }));
  }
}
