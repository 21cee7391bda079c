import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { emptyResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type CollectionResult,
  type DataPoint,
  type MetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import type { Registry } from 'prom-client';

/**
 * The bot's own metrics as OpenTelemetry metrics: an OTel `MetricProducer` that reads the
 * prom-client registry behind /metrics at each export. One source of truth (every `bot_*`
 * metric, whoever adds it later), no second set of instruments to keep in step, and histograms
 * keep their buckets (cumulative temporality, as Prometheus counts).
 */
export const BRIDGE_SCOPE = 'teams-service-bot/prom-client';

interface PromValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}
interface PromMetric {
  name: string;
  help: string;
  type: string;
  values: PromValue[];
}

const toHrTime = (ms: number): HrTime => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];

function unitOf(name: string): string {
  if (name.endsWith('_seconds')) return 's';
  if (name.endsWith('_bytes')) return 'By';
  return '';
}

export class PromClientMetricProducer implements MetricProducer {
  private readonly startTime = toHrTime(Date.now());

  constructor(
    private readonly registry: () => Registry,
    private readonly prefix = 'bot_',
  ) {}

  async collect(): Promise<CollectionResult> {
    const now = toHrTime(Date.now());
    const metrics: MetricData[] = [];
    const errors: unknown[] = [];
    let json: PromMetric[] = [];
    try {
      json = (await this.registry().getMetricsAsJSON()) as unknown as PromMetric[];
    } catch (err) {
      errors.push(err);
    }
    for (const metric of json) {
      if (!metric.name.startsWith(this.prefix)) continue;
      const data = this.convert(metric, now);
      if (data) metrics.push(data);
    }
    return {
      // The reader keeps the SDK's resource; only the scope metrics are merged in.
      resourceMetrics: {
        resource: emptyResource(),
        scopeMetrics: [{ scope: { name: BRIDGE_SCOPE }, metrics }],
      },
      errors,
    };
  }

  private convert(metric: PromMetric, now: HrTime): MetricData | undefined {
    const descriptor = {
      name: metric.name,
      description: metric.help,
      unit: unitOf(metric.name),
      valueType: ValueType.DOUBLE,
    };
    const point = <T>(attributes: Attributes, value: T): DataPoint<T> => ({
      startTime: this.startTime,
      endTime: now,
      attributes,
      value,
    });
    if (metric.type === 'counter') {
      return {
        descriptor,
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.SUM,
        isMonotonic: true,
        dataPoints: metric.values.map((v) => point(v.labels, v.value)),
      };
    }
    if (metric.type === 'gauge') {
      return {
        descriptor,
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.GAUGE,
        dataPoints: metric.values.map((v) => point(v.labels, v.value)),
      };
    }
    if (metric.type === 'histogram') return this.histogram(metric, descriptor, point);
    return undefined; // summaries: none among the bot's metrics
  }

  private histogram(
    metric: PromMetric,
    descriptor: MetricData['descriptor'],
    point: <T>(attributes: Attributes, value: T) => DataPoint<T>,
  ): MetricData {
    // prom-client lists cumulative `_bucket{le}` values plus `_sum` and `_count` per label set.
    const series = new Map<
      string,
      { labels: Attributes; le: [number, number][]; sum: number; count: number }
    >();
    for (const v of metric.values) {
      const { le, ...labels } = v.labels;
      const key = JSON.stringify(Object.entries(labels).sort());
      let s = series.get(key);
      if (!s) series.set(key, (s = { labels, le: [], sum: 0, count: 0 }));
      if (v.metricName?.endsWith('_bucket')) {
        if (le !== '+Inf') s.le.push([Number(le), v.value]);
      } else if (v.metricName?.endsWith('_sum')) s.sum = v.value;
      else if (v.metricName?.endsWith('_count')) s.count = v.value;
    }
    const dataPoints = [...series.values()].map((s) => {
      s.le.sort((a, b) => a[0] - b[0]);
      const boundaries = s.le.map(([bound]) => bound);
      // OTel counts per bucket, Prometheus cumulatively: difference them; the last is (+Inf).
      const counts = s.le.map(([, cumulative], i) => cumulative - (i ? s.le[i - 1][1] : 0));
      counts.push(s.count - (s.le.length ? s.le[s.le.length - 1][1] : 0));
      return point(s.labels, { buckets: { boundaries, counts }, sum: s.sum, count: s.count });
    });
    return {
      descriptor,
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints,
    };
  }
}
