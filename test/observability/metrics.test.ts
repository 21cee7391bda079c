import { describe, expect, it } from 'vitest';
import { createMetrics, getMetrics } from '../../src/observability/metrics';
import { startTelemetry, type AzureMonitorModule } from '../../src/observability/telemetry';
import { loadConfig } from '../../src/config';

describe('metrics', () => {
  it('records turns by outcome, intents, tool calls, retrieval latency and dependency errors', async () => {
    const m = createMetrics({ defaultMetrics: false });
    const end = m.startTurn();
    end('ok');
    end('error'); // a second call is ignored: one turn, one observation
    m.startTurn()('rate_limited');
    m.intents.inc({ intent: 'order_status' });
    m.toolCalls.inc({ tool: 'get_order_status', outcome: 'ok' });
    m.toolCalls.inc({ tool: 'get_order_status', outcome: 'denied' });
    await expect(m.timeRetrieval('embedded', async () => 'hits')).resolves.toBe('hits');
    await expect(m.timeRetrieval('azure', async () => Promise.reject(new Error('down')))).rejects.toThrow(
      'down',
    );

    const text = await m.render();
    expect(text).toContain('bot_turn_duration_seconds_count{outcome="ok"} 1');
    expect(text).not.toContain('bot_turn_duration_seconds_count{outcome="error"}');
    expect(text).toContain('bot_turn_duration_seconds_count{outcome="rate_limited"} 1');
    expect(text).toContain('bot_intents_total{intent="order_status"} 1');
    expect(text).toContain('bot_tool_calls_total{tool="get_order_status",outcome="denied"} 1');
    expect(text).toContain('bot_retrieval_duration_seconds_count{backend="embedded"} 1');
    expect(text).toContain('bot_retrieval_duration_seconds_count{backend="azure"} 1');
    expect(text).toContain('bot_dependency_errors_total{dependency="search_azure"} 1');
  });

  it('includes Node process metrics by default', async () => {
    const text = await createMetrics().render();
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes /m);
  });

  it('keeps separate sets apart and shares one process-wide set', async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.intents.inc({ intent: 'x' });
    expect(await b.render()).not.toContain('intent="x"');
    expect(getMetrics()).toBe(getMetrics());
  });
});

describe('startTelemetry', () => {
  it('is a no-op without APPLICATIONINSIGHTS_CONNECTION_STRING and loads nothing', async () => {
    let loaded = false;
    const telemetry = startTelemetry(loadConfig({}), () => {
      loaded = true;
      throw new Error('must not load');
    });
    expect(telemetry.enabled).toBe(false);
    expect(loaded).toBe(false);
    await expect(telemetry.shutdown()).resolves.toBeUndefined();
  });

  it('starts Azure Monitor with the connection string when it is set', async () => {
    const calls: unknown[] = [];
    let shutdowns = 0;
    const fake: AzureMonitorModule = {
      useAzureMonitor: (options) => calls.push(options),
      shutdownAzureMonitor: async () => {
        shutdowns++;
      },
    };
    const connectionString = 'InstrumentationKey=00000000-0000-0000-0000-000000000000';
    const telemetry = startTelemetry(
      loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString }),
      () => fake,
    );
    expect(telemetry.enabled).toBe(true);
    expect(calls).toHaveLength(1);
    const options = calls[0] as Record<string, any>;
    expect(options.azureMonitorExporterOptions).toEqual({ connectionString });
    // The bot's own metrics go to Application Insights through one extra reader; no OTLP here.
    expect(options.metricReaders).toHaveLength(1);
    expect(options.spanProcessors).toHaveLength(1); // the URL-redacting processor only
    expect(telemetry.exporters).toEqual(['azure-monitor']);
    await telemetry.shutdown();
    expect(shutdowns).toBe(1);
  });
});
