import { logger } from './logger';

/**
 * OpenTelemetry export to Application Insights. Call `startTelemetry` first thing at process
 * start (before the HTTP server and SDK clients are loaded) so auto-instrumentation can hook
 * them. Without a connection string it does nothing and loads nothing.
 */
export interface TelemetryConfig {
  observability: { appInsightsConnectionString?: string };
}

export interface Telemetry {
  enabled: boolean;
  shutdown(): Promise<void>;
}

/** The subset of @azure/monitor-opentelemetry this module calls; injectable for tests. */
export interface AzureMonitorModule {
  useAzureMonitor(options: { azureMonitorExporterOptions: { connectionString: string } }): void;
  shutdownAzureMonitor(): Promise<void>;
}

const loadAzureMonitor = (): AzureMonitorModule =>
  // Loaded lazily: the SDK is large and only needed when telemetry is configured.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@azure/monitor-opentelemetry') as AzureMonitorModule;

const disabled: Telemetry = { enabled: false, shutdown: async () => undefined };

export function startTelemetry(
  config: TelemetryConfig,
  load: () => AzureMonitorModule = loadAzureMonitor,
): Telemetry {
  const connectionString = config.observability.appInsightsConnectionString;
  if (!connectionString) return disabled;
  const monitor = load();
  monitor.useAzureMonitor({ azureMonitorExporterOptions: { connectionString } });
  logger.info('Azure Monitor OpenTelemetry started');
  return { enabled: true, shutdown: () => monitor.shutdownAzureMonitor() };
}
