/* eslint-disable @typescript-eslint/no-require-imports -- exporters and instrumentations load only when configured */
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { MetricReader, PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { BRIDGE_SCOPE, PromClientMetricProducer } from './promBridge';
import { getMetrics } from './metrics';
import { UrlRedactingSpanProcessor } from './spanPrivacy';

/**
 * OpenTelemetry for the process: traces, logs and the bot's metrics, exported to Application
 * Insights (Azure Monitor distro) when `APPLICATIONINSIGHTS_CONNECTION_STRING` is set and/or to an
 * OTLP/HTTP endpoint (JSON encoding) when `OTEL_EXPORTER_OTLP_ENDPOINT` is set. Neither: nothing
 * is loaded and the API's no-op tracer stays in place.
 *
 * It must run before pino, restify, http clients and the Azure SDKs are first required, so the
 * instrumentations can hook them: src/observability/preload.ts calls it and is the first import
 * of src/index.ts. This module therefore imports neither the logger nor any instrumented library
 * at the top.
 *
 * What it captures: http server and client spans (the turn's POST /api/messages, the connector,
 * Cosmos, Azure AI Search, Graph), undici (global fetch: the model, the ticket webhook), Azure SDK
 * spans (Cosmos, Search), pino records as OTel log records (after pino's redaction: the
 * instrumentation reads the serialised line), manual spans where no library call exists
 * (src/observability/tracing.ts), and every `bot_*` prom-client metric (promBridge.ts).
 */
interface TelemetryConfig {
  observability: {
    appInsightsConnectionString?: string;
    otlpEndpoint?: string;
    serviceName?: string;
    metricExportIntervalMs?: number;
  };
}

export interface Telemetry {
  enabled: boolean;
  /** Where it exports: 'azure-monitor', 'otlp' (both when both are configured). */
  exporters: string[];
  shutdown(): Promise<void>;
}

/** The subset of @azure/monitor-opentelemetry this module calls; injectable for tests. */
export interface AzureMonitorModule {
  useAzureMonitor(options: Record<string, unknown>): void;
  shutdownAzureMonitor(): Promise<void>;
}

const loadAzureMonitor = (): AzureMonitorModule =>
  require('@azure/monitor-opentelemetry') as AzureMonitorModule;

const disabled: Telemetry = { enabled: false, exporters: [], shutdown: async () => undefined };

const DEFAULT_SERVICE_NAME = 'teams-service-bot';
const DEFAULT_METRIC_INTERVAL_MS = 60_000;

export function startTelemetry(
  config: TelemetryConfig,
  load: () => AzureMonitorModule = loadAzureMonitor,
): Telemetry {
  const { appInsightsConnectionString: connectionString, otlpEndpoint } = config.observability;
  if (!connectionString && !otlpEndpoint) return disabled;
  const serviceName = config.observability.serviceName ?? DEFAULT_SERVICE_NAME;
  const intervalMs = config.observability.metricExportIntervalMs ?? DEFAULT_METRIC_INTERVAL_MS;
  const producer = new PromClientMetricProducer(() => getMetrics().registry);
  const otlp = otlpEndpoint ? otlpPipeline(otlpEndpoint, intervalMs, producer) : undefined;

  if (connectionString) {
    const monitor = load();
    const { AzureMonitorMetricExporter } =
      require('@azure/monitor-opentelemetry-exporter') as typeof import('@azure/monitor-opentelemetry-exporter');
    const { PeriodicExportingMetricReader } =
      require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
    const { resourceFromAttributes } =
      require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
    // The distro's own reader exports the SDK's metrics; this one adds only the bot's (bridged)
    // metrics, so nothing reaches Application Insights twice.
    const botMetricsToAzure = new PeriodicExportingMetricReader({
      exporter: onlyScope(new AzureMonitorMetricExporter({ connectionString }), BRIDGE_SCOPE),
      exportIntervalMillis: intervalMs,
      metricProducers: [producer],
    });
    monitor.useAzureMonitor({
      azureMonitorExporterOptions: { connectionString },
      resource: resourceFromAttributes({ 'service.name': serviceName }),
      // http and the Azure SDKs are the distro's own instrumentations (on by default).
      instrumentationOptions: { http: { enabled: true }, azureSdk: { enabled: true } },
      spanProcessors: [new UrlRedactingSpanProcessor(), ...(otlp ? [otlp.spans] : [])],
      logRecordProcessors: otlp ? [otlp.logs] : [],
      metricReaders: [botMetricsToAzure, ...(otlp ? [otlp.metrics] : [])],
    });
    // pino and undici are not among the distro's instrumentations: register them on its providers.
    const { registerInstrumentations } =
      require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
    const extra = registerInstrumentations({
      instrumentations: [undiciInstrumentation(), pinoInstrumentation()],
    });
    return {
      enabled: true,
      exporters: ['azure-monitor', ...(otlp ? ['otlp'] : [])],
      shutdown: async () => {
        extra();
        await monitor.shutdownAzureMonitor();
      },
    };
  }

  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { resourceFromAttributes } =
    require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { createAzureSdkInstrumentation } =
    require('@azure/opentelemetry-instrumentation-azure-sdk') as typeof import('@azure/opentelemetry-instrumentation-azure-sdk');
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const sdk = new NodeSDK({
    // No resource detectors that probe the network (cloud metadata endpoints): name and host only.
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    autoDetectResources: false,
    spanProcessors: [new UrlRedactingSpanProcessor(), otlp!.spans],
    logRecordProcessors: [otlp!.logs],
    metricReaders: [otlp!.metrics],
    instrumentations: [
      new HttpInstrumentation(),
      undiciInstrumentation(),
      pinoInstrumentation(),
      createAzureSdkInstrumentation() as Instrumentation,
    ],
  });
  sdk.start();
  return { enabled: true, exporters: ['otlp'], shutdown: () => sdk.shutdown() };
}

function otlpPipeline(
  endpoint: string,
  intervalMs: number,
  producer: PromClientMetricProducer,
): { spans: SpanProcessor; logs: LogRecordProcessor; metrics: MetricReader } {
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { OTLPLogExporter } =
    require('@opentelemetry/exporter-logs-otlp-http') as typeof import('@opentelemetry/exporter-logs-otlp-http');
  const { OTLPMetricExporter } =
    require('@opentelemetry/exporter-metrics-otlp-http') as typeof import('@opentelemetry/exporter-metrics-otlp-http');
  const { BatchSpanProcessor } =
    require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { BatchLogRecordProcessor } =
    require('@opentelemetry/sdk-logs') as typeof import('@opentelemetry/sdk-logs');
  const { PeriodicExportingMetricReader } =
    require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
  const base = endpoint.replace(/\/+$/, '');
  return {
    spans: new BatchSpanProcessor(new OTLPTraceExporter({ url: `${base}/v1/traces` })),
    logs: new BatchLogRecordProcessor(new OTLPLogExporter({ url: `${base}/v1/logs` })),
    metrics: new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: `${base}/v1/metrics` }),
      exportIntervalMillis: intervalMs,
      exportTimeoutMillis: Math.min(30_000, intervalMs),
      metricProducers: [producer],
    }),
  };
}

function undiciInstrumentation(): Instrumentation {
  const { UndiciInstrumentation } =
    require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
  return new UndiciInstrumentation();
}

function pinoInstrumentation(): Instrumentation {
  const { PinoInstrumentation } =
    require('@opentelemetry/instrumentation-pino') as typeof import('@opentelemetry/instrumentation-pino');
  // Log records go to the OTel logs pipeline; trace_id/span_id are added to stdout lines too.
  return new PinoInstrumentation();
}

/** A metric exporter that passes on only one instrumentation scope's metrics. */
function onlyScope(exporter: PushMetricExporter, scope: string): PushMetricExporter {
  return {
    export: (metrics, done) =>
      exporter.export(
        { ...metrics, scopeMetrics: metrics.scopeMetrics.filter((s) => s.scope.name === scope) },
        done,
      ),
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
    selectAggregationTemporality: exporter.selectAggregationTemporality?.bind(exporter),
  };
}
