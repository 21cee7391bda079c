import { timingSafeEqual, createHash } from 'node:crypto';
import restify from 'restify';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import { logger } from './observability/logger';
import { getMetrics, type BotMetrics } from './observability/metrics';
import { findForbiddenKey } from './security/bodyGuards';
import type { Readiness } from './readiness';
import type { InboundEventRequest, InboundEventResponse } from './tickets/events/ticketEventReceiver';

/**
 * The HTTP surface: POST /api/messages (Bot Framework), GET /healthz (liveness),
 * GET /readyz (readiness per dependency), GET /metrics (Prometheus) and any extra routes the
 * caller mounts. Requests are size-limited and must carry a JSON object with an activity `type`
 * before they reach the adapter. Every 4xx/5xx answer has a JSON body `{ error, message }` with a
 * fixed message: nothing from the request is echoed back.
 */
export interface ServerOptions {
  adapter: CloudAdapter;
  /**
   * Runs one turn (the turn pipeline, src/teams/pipeline, which also times and logs it); called
   * only for requests that passed the adapter's authentication.
   */
  onTurn: (context: TurnContext) => Promise<void>;
  readiness: Readiness;
  maxBodyBytes: number;
  /**
   * Handles `POST /api/tickets/events` (the ticket system's signed status events). Unset
   * (TICKETS_WEBHOOK_SECRET not configured): the route does not exist (404), nothing unsigned is accepted.
   */
  ticketEvents?: { handle(request: InboundEventRequest): Promise<InboundEventResponse> };
  /** Optional hook to mount more routes before listening. */
  extend?: (server: restify.Server) => void;
  /** Metrics updated per request and served at GET /metrics (default: the process-wide set). */
  metrics?: BotMetrics;
  /** When set, GET /metrics requires `Authorization: Bearer <metricsToken>` (METRICS_TOKEN). */
  metricsToken?: string;
  /** Time allowed to receive a whole request (slow-body protection). Default 15 s. */
  requestTimeoutMs?: number;
  /** Time allowed to receive the request headers (slowloris protection). Default 10 s. */
  headersTimeoutMs?: number;
}

const ERROR_TEXT: Record<number, [string, string]> = {
  400: ['bad_request', 'The request is not a valid Bot Framework activity.'],
  401: ['unauthorized', 'A valid Bot Framework token is required.'],
  403: ['forbidden', 'This request is not allowed.'],
  404: ['not_found', 'There is nothing at this address.'],
  405: ['method_not_allowed', 'This method is not allowed here.'],
  408: ['request_timeout', 'The request took too long to arrive.'],
  413: ['payload_too_large', 'The request body is too large.'],
  415: ['unsupported_media_type', 'The request body must be JSON (application/json).'],
  429: ['too_many_requests', 'Too many requests; try again later.'],
  500: ['internal_error', 'Something went wrong on our side.'],
  501: ['not_implemented', 'The bot does not handle this kind of request.'],
  503: ['unavailable', 'The service is not available right now.'],
};

/** The JSON error body for a status; fixed texts only, so no request content can leak back. */
export function errorBody(status: number): { error: string; message: string } {
  const [error, message] = ERROR_TEXT[status] ?? (status >= 500 ? ERROR_TEXT[500] : ERROR_TEXT[400]);
  return { error, message };
}

const REJECTION_REASON: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'too_large',
  415: 'unsupported_media_type',
};

export function createServer(options: ServerOptions): restify.Server {
  const metrics = options.metrics ?? getMetrics();
  const server = restify.createServer({ name: 'teams-service-bot', handleUncaughtExceptions: false });
  server.server.requestTimeout = options.requestTimeoutMs ?? 15_000;
  server.server.headersTimeout = options.headersTimeoutMs ?? 10_000;
  const reject: Reject = (res, status, reason, detail) => {
    metrics.rejectedRequests.inc({ reason });
    res.json(status, detail ? { ...errorBody(status), message: detail } : errorBody(status));
  };
  guardBodies(server, options.maxBodyBytes, reject);
  mountMessages(server, options, metrics, reject);
  if (options.ticketEvents) mountTicketEvents(server, options.ticketEvents, metrics);
  mountProbes(server, options, metrics, reject);
  options.extend?.(server);
  answerRestifyErrors(server, metrics);
  return server;
}

type Reject = (res: restify.Response, status: number, reason: string, detail?: string) => void;

/** Body limits and parsing for every route. */
function guardBodies(server: restify.Server, maxBodyBytes: number, reject: Reject): void {
  // Before any byte of the body is read: JSON only, no compression (a small gzip body can
  // inflate to hundreds of MB, and the size limit counts compressed bytes), and a declared
  // length over the limit is refused at once instead of after reading it all.
  server.use((req, res, next) => {
    if (req.method !== 'POST' && req.method !== 'PUT' && req.method !== 'PATCH') return next();
    const problem = describeUnacceptableBody(req.headers, maxBodyBytes);
    if (!problem) return next();
    // The body was never read: close the connection rather than leave it to be parsed as the next request.
    res.header('connection', 'close');
    reject(res, problem.status, problem.reason);
    return next(false);
  });
  server.use(restify.plugins.bodyReader({ maxBodySize: maxBodyBytes }));
  server.use(restify.plugins.jsonBodyParser({ mapParams: false, bodyReader: true }));
}

/** POST /api/messages: a checked activity through the adapter (authentication) to the turn. */
function mountMessages(
  server: restify.Server,
  options: ServerOptions,
  metrics: BotMetrics,
  reject: Reject,
): void {
  server.post('/api/messages', async (req, res) => {
    const problem = describeInvalidActivity(req.body);
    if (problem) return reject(res, 400, 'invalid_activity', problem);

    const captured = new CapturedResponse();
    try {
      await options.adapter.process(req, captured, options.onTurn);
    } catch (err) {
      logger.error({ err }, 'adapter failed');
      captured.status(500).send(undefined);
    }
    const status = captured.statusCode;
    if (status >= 400) {
      if (REJECTION_REASON[status]) metrics.rejectedRequests.inc({ reason: REJECTION_REASON[status] });
      if (status === 401) logger.warn({ status }, 'unauthenticated request refused');
    }
    for (const [name, value] of captured.headers) res.header(name, value);
    // Bodies the adapter writes for errors are exception messages: replace them with fixed text.
    // Object bodies are invoke responses (card actions) and go out as they are.
    if (captured.body !== undefined && captured.body !== null && typeof captured.body === 'object') {
      res.json(status, captured.body);
    } else if (status >= 400) {
      res.json(status, errorBody(status));
    } else {
      res.send(status);
    }
  });
}

/** POST /api/tickets/events (only when TICKETS_WEBHOOK_SECRET is set). */
function mountTicketEvents(
  server: restify.Server,
  ticketEvents: NonNullable<ServerOptions['ticketEvents']>,
  metrics: BotMetrics,
): void {
  // Same body limits as /api/messages (JSON only, MAX_BODY_BYTES, no compression; see above).
  server.post('/api/tickets/events', async (req, res) => {
    const raw = (req as restify.Request & { rawBody?: string | Buffer }).rawBody;
    let answer: InboundEventResponse;
    try {
      answer = await ticketEvents.handle({ rawBody: raw, headers: req.headers });
    } catch (err) {
      logger.error({ err: String(err) }, 'ticket event failed');
      answer = { status: 500, body: errorBody(500) };
    }
    if (answer.status >= 400) {
      metrics.rejectedRequests.inc({
        reason: `ticket_event_${String(answer.body.error ?? answer.status)}`,
      });
      logger.warn({ status: answer.status, error: answer.body.error }, 'ticket event refused');
    }
    res.json(answer.status, answer.body);
  });
}

/** GET /healthz, /readyz and /metrics. */
function mountProbes(
  server: restify.Server,
  options: ServerOptions,
  metrics: BotMetrics,
  reject: Reject,
): void {
  server.get('/healthz', async (_req, res) => {
    res.json(200, { status: 'ok' });
  });

  server.get('/readyz', async (_req, res) => {
    const report = await options.readiness.report();
    res.json(report.ready ? 200 : 503, report);
  });

  server.get('/metrics', async (req, res) => {
    if (options.metricsToken && !bearerMatches(req.header('authorization'), options.metricsToken)) {
      res.header('WWW-Authenticate', 'Bearer');
      return reject(res, 401, 'metrics_unauthenticated', 'A valid metrics token is required.');
    }
    const body = await metrics.render();
    res.setHeader('content-type', metrics.contentType);
    res.writeHead(200);
    res.end(body);
  });
}

function answerRestifyErrors(server: restify.Server, metrics: BotMetrics): void {
  // restify answers parser failures itself (400 bad JSON, 413 too large, 415 wrong type, 404,
  // 405): give those the same fixed JSON body (restify's own messages quote the input) and log
  // them without the body so nothing personal lands in the logs.
  server.on(
    'restifyError',
    (req: restify.Request, _res: restify.Response, err: RestifyHttpError, callback: () => void) => {
      const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
      const body = errorBody(status);
      err.toJSON = () => body;
      err.toString = () => body.message;
      metrics.rejectedRequests.inc({ reason: REJECTION_REASON[status] ?? 'server_error' });
      // A wrong path or method is client noise (the Agents Playground probes /api/messages with a
      // GET on every page load): counted in the metric, logged at debug. Malformed bodies warn.
      const level = status === 404 || status === 405 ? 'debug' : 'warn';
      logger[level]({ path: req.path(), method: req.method, status, error: err.name }, 'request rejected');
      return callback();
    },
  );
}

interface RestifyHttpError extends Error {
  statusCode?: number;
  toJSON?: () => unknown;
}

/**
 * What the adapter writes, held back so the server can decide what actually goes out
 * (botbuilder writes raw exception messages as error bodies). It has exactly the methods
 * botbuilder's response check asks for: status, header, send, end.
 */
class CapturedResponse {
  /** Part of botbuilder's Response shape; never read for HTTP (non-streaming) requests. */
  readonly socket: unknown = undefined;
  statusCode = 200;
  body: unknown;
  readonly headers = new Map<string, string>();

  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  header(name: string, value: unknown): this {
    this.headers.set(name, String(value));
    return this;
  }
  send(...args: unknown[]): this {
    this.body = args[0];
    return this;
  }
  end(): this {
    return this;
  }
}

/** Refusals decided from the request headers alone (before the body is read). */
export function describeUnacceptableBody(
  headers: Record<string, string | string[] | undefined>,
  maxBodyBytes: number,
): { status: 413 | 415; reason: string } | undefined {
  const encoding = String(headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding !== 'identity' && encoding !== '') return { status: 415, reason: 'content_encoding' };
  const length = Number(headers['content-length'] ?? 0);
  if (Number.isFinite(length) && length > maxBodyBytes) return { status: 413, reason: 'too_large' };
  const type = String(headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  const hasBody = length > 0 || headers['transfer-encoding'] !== undefined;
  if (hasBody && type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type)) {
    return { status: 415, reason: 'unsupported_media_type' };
  }
  return undefined;
}

function bearerMatches(header: string | undefined, expected: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match) return false;
  // Compare digests so the comparison takes the same time whatever the token length.
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(match[1].trim()), digest(expected));
}

/** Returns why a parsed body is not a Bot Framework activity, or undefined when it looks like one. */
export function describeInvalidActivity(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return 'The request body must be a JSON object (a Bot Framework activity).';
  }
  const forbidden = findForbiddenKey(body);
  if (forbidden) return forbidden;
  const activity = body as Record<string, unknown>;
  if (typeof activity.type !== 'string' || activity.type.length === 0) {
    return 'The activity needs a string "type".';
  }
  for (const field of ['text', 'id', 'serviceUrl', 'channelId', 'replyToId', 'name', 'locale'] as const) {
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
  if (activity.serviceUrl !== undefined && !isHttpUrl(activity.serviceUrl as string)) {
    return 'The activity field "serviceUrl" must be an http(s) URL.';
  }
  return undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
