import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../scripts/lib/serverProcess';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { tempDataDir } from '../helpers/botProcess';

/**
 * ops/prometheus/alerts.yml and ops/grafana/*.json only reference metrics the real bot serves at
 * GET /metrics (read from the running server, not from a list kept by hand).
 */

/** Series Prometheus adds itself for every scrape target. */
const PROMETHEUS_SYNTHETIC = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
]);

/** Metric names a PromQL expression selects (functions, labels, keywords and literals removed). */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ') // string literals
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // range selectors
    .replace(/(?<![A-Za-z0-9_:])\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi, ' ') // number literals
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' '); // label lists
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const word = m[0];
    const after = stripped.slice((m.index ?? 0) + word.length);
    if (/^\s*\(/.test(after)) continue; // a function call
    if (PROMQL_WORDS.has(word.toLowerCase())) continue;
    names.add(word);
  }
  return [...names];
}

/** `# TYPE name kind` lines of a Prometheus text exposition → the series names they produce. */
function exportedSeries(exposition: string): Set<string> {
  const series = new Set<string>();
  for (const m of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, kind] = m;
    series.add(name);
    if (kind === 'histogram') for (const s of ['_bucket', '_sum', '_count']) series.add(name + s);
    if (kind === 'summary') for (const s of ['_sum', '_count']) series.add(name + s);
  }
  return series;
}

interface RuleFile {
  groups: Array<{ name: string; rules: Array<{ alert?: string; expr: string; for?: string }> }>;
}

const alerts = parse(readFileSync(join(PROJECT_ROOT, 'ops/prometheus/alerts.yml'), 'utf8')) as RuleFile;
const dashboard = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'ops/grafana/teams-service-bot.json'), 'utf8'),
) as { uid: string; panels: Array<{ title: string; targets: Array<{ expr: string }> }> };

const ruleExprs = alerts.groups.flatMap((g) =>
  g.rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })),
);
const panelExprs = dashboard.panels.flatMap((p) =>
  p.targets.map((t) => ({ where: `panel "${p.title}"`, expr: t.expr })),
);

describe('metricNames (PromQL)', () => {
  it('finds the selected metrics and nothing else', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (le, backend) (rate(bot_retrieval_duration_seconds_bucket{x="a b"}[5m]))) > 2',
      ),
    ).toEqual(['bot_retrieval_duration_seconds_bucket']);
    expect(metricNames('sum(rate(a_total[5m])) / clamp_min(sum(rate(b_count[5m])), 1e-9) > 0.05')).toEqual([
      'a_total',
      'b_count',
    ]);
    expect(metricNames('process_resident_memory_bytes > 1.5e9')).toEqual(['process_resident_memory_bytes']);
  });
});

describe('ops/ Prometheus rules and Grafana dashboard', () => {
  let bot: BotUnderTest;
  let data: ReturnType<typeof tempDataDir>;
  let exported: Set<string>;

  beforeAll(async () => {
    data = tempDataDir('ops-metrics-');
    bot = await startBotUnderTest({ KNOWLEDGE_INDEX_PATH: join(data.dir, 'knowledge-index.json') });
    const res = await fetch(`${bot.bot.url}/metrics`);
    expect(res.status).toBe(200);
    exported = exportedSeries(await res.text());
  }, 120_000);

  afterAll(async () => {
    await bot?.stop();
    data?.remove();
  });

  it('the rule file and the dashboard have expressions (each selecting at least one metric)', () => {
    expect(ruleExprs.length).toBeGreaterThanOrEqual(5);
    expect(panelExprs.length).toBeGreaterThanOrEqual(5);
    for (const { where, expr } of [...ruleExprs, ...panelExprs])
      expect(metricNames(expr), `${where}: ${expr}`).not.toHaveLength(0);
    for (const group of alerts.groups)
      for (const rule of group.rules) {
        expect(rule.alert, JSON.stringify(rule)).toMatch(/^[A-Z][A-Za-z0-9]+$/);
        expect(rule.for, `${rule.alert}: for`).toMatch(/^\d+[smh]$/);
      }
  });

  it('every metric they reference is exported by the running bot at GET /metrics', () => {
    expect(exported.has('bot_turn_duration_seconds_bucket')).toBe(true);
    const missing = [...ruleExprs, ...panelExprs].flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((name) => !exported.has(name) && !PROMETHEUS_SYNTHETIC.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(missing).toEqual([]);
  });
});
