import { describe, expect, it } from 'vitest';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import { createMetrics } from '../../src/observability/metrics';
import { BRIDGE_SCOPE, PromClientMetricProducer } from '../../src/observability/promBridge';
import { redactUrl } from '../../src/observability/spanPrivacy';

describe('PromClientMetricProducer', () => {
  it('turns prom-client counters and histograms into OTel sums and bucketed histograms', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.toolCalls.inc({ tool: 'get_order_status', outcome: 'ok' }, 2);
    metrics.turnDuration.observe({ outcome: 'ok' }, 0.03);
    metrics.turnDuration.observe({ outcome: 'ok' }, 0.3);
    metrics.turnDuration.observe({ outcome: 'ok' }, 99);
    const { resourceMetrics } = await new PromClientMetricProducer(() => metrics.registry).collect();
    const [scope] = resourceMetrics.scopeMetrics;
    expect(scope.scope.name).toBe(BRIDGE_SCOPE);
    const tools = scope.metrics.find((m) => m.descriptor.name === 'bot_tool_calls_total')!;
    expect(tools.dataPointType).toBe(DataPointType.SUM);
    expect(tools.dataPoints).toEqual([
      expect.objectContaining({ attributes: { tool: 'get_order_status', outcome: 'ok' }, value: 2 }),
    ]);
    const turns = scope.metrics.find((m) => m.descriptor.name === 'bot_turn_duration_seconds')!;
    expect(turns.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(turns.descriptor.unit).toBe('s');
    const [point] = turns.dataPoints as any[];
    expect(point.attributes).toEqual({ outcome: 'ok' });
    expect(point.value.count).toBe(3);
    expect(point.value.sum).toBeCloseTo(99.33);
    const { boundaries, counts } = point.value.buckets;
    expect(boundaries).toEqual([0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30]);
    // Per bucket, not cumulative: 0.03 in (0.025, 0.05], 0.3 in (0.25, 0.5], 99 above 30.
    expect(counts).toEqual([0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
  });
});

describe('redactUrl', () => {
  it('replaces ids after conversation, document and user path segments and drops the query', () => {
    expect(redactUrl('http://127.0.0.1:1/v3/conversations/a%3A1personal-x/activities/act-1')).toBe(
      'http://127.0.0.1:1/v3/conversations/{id}/activities/{id}',
    );
    expect(redactUrl('/dbs/teamsbot/colls/state/docs/msteams*2f28:bot*2fconversations*2fa:1')).toBe(
      '/dbs/teamsbot/colls/state/docs/{id}',
    );
    expect(redactUrl('https://graph.microsoft.com/v1.0/users/0000-a001/transitiveMemberOf?$top=999')).toBe(
      'https://graph.microsoft.com/v1.0/users/{id}/transitiveMemberOf?[redacted]',
    );
    expect(redactUrl('/api/messages')).toBe('/api/messages');
  });
});
