import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { message, personalConversation, users } from '../helpers/activities';
import { indexedDataDir, postActivity, startBotProcess, type BotProcess } from '../helpers/botProcess';
import { LocalConnector } from '../helpers/connector';

/**
 * Issue #18, telemetry that arrives: the real bot process (src/index.ts, so the preload runs
 * first) exports to an OTLP/HTTP stand-in on loopback. One knowledge turn must arrive as a trace
 * (the POST's server span → `bot.turn` → knowledge search, the model, Cosmos and connector calls),
 * pino's turn line as an OTel log record in the same trace, and the bot's prom-client metrics as
 * OTel metrics — without the message text or a configured secret in any payload.
 */

type KeyValue = { key: string; value: Record<string, unknown> };
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: KeyValue[];
}

/** A plain http server that records OTLP/HTTP JSON exports by path (what the exporters send). */
class OtlpStandIn {
  readonly bodies: { path: string; raw: string; json: any }[] = [];
  private server?: Server;
  private waiters: (() => void)[] = [];
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        const raw = body.toString('utf8');
        const json: unknown = req.headers['content-type']?.includes('json') ? JSON.parse(raw) : undefined;
        this.bodies.push({ path: req.url ?? '', raw, json });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  spans(): OtlpSpan[] {
    return this.of('/v1/traces').flatMap((b) =>
      b.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans as OtlpSpan[])),
    );
  }
  logs(): any[] {
    return this.of('/v1/logs').flatMap((b) =>
      b.resourceLogs.flatMap((r: any) => r.scopeLogs.flatMap((s: any) => s.logRecords)),
    );
  }
  metrics(): any[] {
    return this.of('/v1/metrics').flatMap((b) =>
      b.resourceMetrics.flatMap((r: any) => r.scopeMetrics.flatMap((s: any) => s.metrics)),
    );
  }
  resources(path: string): any[] {
    const key = {
      '/v1/traces': 'resourceSpans',
      '/v1/logs': 'resourceLogs',
      '/v1/metrics': 'resourceMetrics',
    }[path]!;
    return this.of(path).flatMap((b) => b[key].map((r: any) => r.resource));
  }
  private of(path: string): any[] {
    return this.bodies.filter((b) => b.path === path && b.json).map((b) => b.json);
  }

  /** Resolves once `found()` returns a value (re-checked on every export), or fails after `timeoutMs`. */
  async waitFor<T>(what: string, found: () => T | undefined, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = found();
      if (value !== undefined) return value;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`OTLP stand-in: no ${what} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }
}

const attr = (attributes: KeyValue[] | undefined, key: string): unknown => {
  const v = attributes?.find((a) => a.key === key)?.value;
  if (!v) return undefined;
  if ('arrayValue' in v) return ((v.arrayValue as any).values ?? []).map((x: any) => Object.values(x)[0]);
  const inner = Object.values(v)[0];
  return 'intValue' in v ? Number(inner) : inner;
};

/** The span's URL, old or new http semantic conventions. */
const url = (span: OtlpSpan | undefined): string =>
  String(attr(span?.attributes, 'url.full') ?? attr(span?.attributes, 'http.url') ?? '');

const QUESTION = 'How do I return an item?';
const SECRET = 'otlp-test-webhook-secret-4f9c2b7e';

describe('OpenTelemetry export over OTLP/HTTP (real bot process)', () => {
  let otlp: OtlpStandIn;
  let connector: LocalConnector;
  let bot: BotProcess;
  let data: Awaited<ReturnType<typeof indexedDataDir>>;

  beforeAll(async () => {
    otlp = await new OtlpStandIn().start();
    connector = await new LocalConnector().start();
    data = await indexedDataDir('otlp-');
    bot = await startBotProcess({
      env: {
        KNOWLEDGE_INDEX_PATH: data.indexPath,
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
        OTEL_METRIC_EXPORT_INTERVAL: '500',
        // The SDK's own batch delays (its documented variables), so the test need not wait 5 s.
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_BLRP_SCHEDULE_DELAY: '200',
        LOG_LEVEL: 'info',
        TICKETS_WEBHOOK_SECRET: SECRET,
        STREAMING: 'false',
      },
    });
  }, 300_000);

  afterAll(async () => {
    await bot?.stop();
    await connector?.stop();
    await otlp?.stop();
    data?.remove();
  });

  it('one turn arrives as a trace, a log record and metrics, with no text or secret in them', async () => {
    const conv = personalConversation();
    const activity = message(connector.url, conv, QUESTION);
    const res = await postActivity(bot.url, activity);
    expect(res.status).toBe(200);
    await connector.waitFor((calls) =>
      calls.some((c) => c.conversationId === conv.id && c.activity.type === 'message'),
    );

    // The trace: bot.turn under the POST's server span, with the turn's work as descendants.
    const turn = await otlp.waitFor('bot.turn span', () =>
      otlp
        .spans()
        .find((s) => s.name === 'bot.turn' && attr(s.attributes, 'bot.activity.type') === 'message'),
    );
    expect(attr(turn.attributes, 'bot.outcome')).toBe('ok');
    expect(attr(turn.attributes, 'bot.conversation.type')).toBe('personal');
    expect(attr(turn.attributes, 'bot.channel')).toBe('msteams');
    const inTrace = () => otlp.spans().filter((s) => s.traceId === turn.traceId);
    const byId = (id?: string) => inTrace().find((s) => s.spanId === id);
    const isUnderTurn = (s: OtlpSpan): boolean => {
      for (let p = byId(s.parentSpanId); p; p = byId(p.parentSpanId))
        if (p.spanId === turn.spanId) return true;
      return false;
    };
    const server = byId(turn.parentSpanId);
    expect(server?.kind).toBe(2); // SPAN_KIND_SERVER: the instrumented POST /api/messages
    expect(url(server)).toMatch(/\/api\/messages$/);

    const search = await otlp.waitFor('knowledge.search span', () =>
      inTrace().find((s) => s.name === 'knowledge.search' && isUnderTurn(s)),
    );
    expect(attr(search.attributes, 'bot.search.backend')).toBe('embedded');
    expect(attr(search.attributes, 'bot.search.hits')).toBeGreaterThan(0);
    const model = await otlp.waitFor('model.complete span', () =>
      inTrace().find((s) => s.name === 'model.complete' && isUnderTurn(s)),
    );
    expect(attr(model.attributes, 'gen_ai.system')).toBe('embedded');
    expect(attr(model.attributes, 'bot.model.status')).toBe('success');
    // Client spans (kind 3) under the turn: the embedded Cosmos server (state, transcript) and the connector.
    const connectorPort = new URL(connector.url).port;
    await otlp.waitFor('connector client span', () =>
      inTrace().find(
        (s) => s.kind === 3 && isUnderTurn(s) && url(s).includes(`:${connectorPort}/v3/conversations/`),
      ),
    );
    // Ids in URLs are replaced (conversation, activity): the span keeps the route's shape only.
    expect(
      inTrace()
        .filter((s) => url(s).includes(`:${connectorPort}/`))
        .map(url),
    ).toContain(`http://127.0.0.1:${connectorPort}/v3/conversations/{id}/activities/{id}`);
    const cosmos = await otlp.waitFor('Cosmos span', () =>
      inTrace().find(
        (s) => s.kind === 3 && isUnderTurn(s) && /\/dbs\/teamsbot\/colls\/state\/docs/.test(url(s)),
      ),
    );
    expect(url(cosmos)).not.toContain(conv.id);

    // pino's per-turn line as an OTel log record, correlated with the trace.
    const turnLog = await otlp.waitFor('turn log record', () =>
      otlp.logs().find((l) => l.body?.stringValue === 'turn' && l.traceId === turn.traceId),
    );
    expect(attr(turnLog.attributes, 'outcome')).toBe('ok');
    expect(turnLog.severityText).toBe('info');

    // The bot's prom-client metrics as OTel metrics (histogram with buckets; counters as sums).
    const duration = await otlp.waitFor('bot_turn_duration_seconds', () =>
      otlp
        .metrics()
        .filter((m) => m.name === 'bot_turn_duration_seconds')
        .flatMap((m) => m.histogram.dataPoints)
        .find((p: any) => attr(p.attributes, 'outcome') === 'ok' && Number(p.count) >= 1),
    );
    expect(duration.bucketCounts.map(Number).reduce((a: number, b: number) => a + b, 0)).toBe(
      Number(duration.count),
    );
    expect(duration.explicitBounds.length + 1).toBe(duration.bucketCounts.length);
    const intents = otlp.metrics().find((m) => m.name === 'bot_intents_total');
    expect(intents?.sum?.isMonotonic).toBe(true);
    expect(otlp.metrics().some((m) => m.name === 'bot_circuit_state' && m.gauge)).toBe(true);

    for (const path of ['/v1/traces', '/v1/logs', '/v1/metrics'])
      expect(attr(otlp.resources(path)[0]?.attributes, 'service.name')).toBe('teams-service-bot');
    // Neither the user's words nor a configured secret leave the process in telemetry.
    for (const body of otlp.bodies) {
      expect(body.raw).not.toContain(QUESTION);
      expect(body.raw).not.toContain(SECRET);
      expect(body.raw).not.toContain(conv.id.split('-').slice(-5).join('-'));
      expect(body.raw).not.toContain(users.alex.aadObjectId);
    }
  }, 90_000);
});
