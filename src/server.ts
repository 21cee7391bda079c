import restify from 'restify';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import { logger } from './observability/logger';
import type { Readiness } from './readiness';

/**
 * The HTTP surface: POST /api/messages (Bot Framework), GET /healthz (liveness),
 * GET /readyz (readiness per dependency) and any extra routes the caller mounts.
 * Requests are size-limited and must carry a JSON object with an activity `type`
 * before they reach the adapter; everything else gets a 4xx with a JSON body.
 */
export interface ServerOptions {
  adapter: CloudAdapter;
  /** Runs one turn; called only for requests that passed the adapter's authentication. */
  onTurn: (context: TurnContext) => Promise<void>;
  readiness: Readiness;
  maxBodyBytes: number;
  /** Optional hook to mount more routes (e.g. /metrics) before listening. */
  extend?: (server: restify.Server) => void;
}

export function createServer(options: ServerOptions): restify.Server {
  const server = restify.createServer({ name: 'teams-service-bot', handleUncaughtExceptions: false });

  server.use(
    restify.plugins.bodyParser({
      maxBodySize: options.maxBodyBytes,
      mapParams: false,
      rejectUnknown: true,
    }),
  );

  server.post('/api/messages', async (req, res) => {
    const problem = describeInvalidActivity(req.body);
    if (problem) {
      res.status(400);
      res.json({ error: 'invalid_activity', message: problem });
      return;
    }
    await options.adapter.process(req, res, options.onTurn);
  });

  server.get('/healthz', async (_req, res) => {
    res.json(200, { status: 'ok' });
  });

  server.get('/readyz', async (_req, res) => {
    const report = await options.readiness.report();
    res.json(report.ready ? 200 : 503, report);
  });

  options.extend?.(server);

  // restify answers parser failures itself (400 bad JSON, 413 too large, 415 wrong type)
  // with a JSON body; log them without the body so nothing personal lands in the logs.
  server.on('restifyError', (req, _res, err, callback) => {
    logger.warn({ path: req.path(), status: err.statusCode, error: err.name }, 'request rejected');
    return callback();
  });

  return server;
}

/** Returns why a parsed body is not a Bot Framework activity, or undefined when it looks like one. */
export function describeInvalidActivity(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return 'The request body must be a JSON object (a Bot Framework activity).';
  }
  const activity = body as Record<string, unknown>;
  if (typeof activity.type !== 'string' || activity.type.length === 0) {
    return 'The activity needs a string "type".';
  }
  for (const field of ['text', 'id', 'serviceUrl', 'channelId', 'replyToId'] as const) {
    if (activity[field] !== undefined && typeof activity[field] !== 'string') {
      return `The activity field "${field}" must be a string.`;
    }
  }
  for (const field of ['conversation', 'from', 'recipient'] as const) {
    const value = activity[field];
    if (value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      return `The activity field "${field}" must be an object.`;
    }
  }
  if (activity.entities !== undefined && !Array.isArray(activity.entities)) {
    return 'The activity field "entities" must be an array.';
  }
  if (activity.attachments !== undefined && !Array.isArray(activity.attachments)) {
    return 'The activity field "attachments" must be an array.';
  }
  return undefined;
}
