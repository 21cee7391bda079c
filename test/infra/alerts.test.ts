import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Parser } from 'web-tree-sitter';
import {
  bicepParser,
  descendants,
  memberChain,
  objectEntries,
  propertyAt,
  readBicep,
  stringValue,
  unwrap,
  type BicepFile,
  type Node,
} from './bicepTree';

const root = resolve(__dirname, '..', '..');
const infra = (path: string) => join(root, 'infra', path);

export interface ReadmeAlert {
  name: string;
  text: string;
  /** Metric names, log messages and paths the bullet names in backticks. */
  signals: string[];
}

/** The bullets under "Alerts worth setting" in README.md's Operations section. */
export function readmeAlerts(readme: string): ReadmeAlert[] {
  const operations = readme.slice(readme.indexOf('## Operations'));
  const lines = operations.split('\n');
  const start = lines.findIndex((l) => l.startsWith('- Alerts worth setting'));
  if (start < 0) throw new Error('README.md has no "Alerts worth setting" list');
  const bullets: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('  - ')) bullets.push(line.slice(4));
    else if (!bullets.length && line.startsWith('  '))
      continue; // the intro sentence wraps
    else if (line.startsWith('    ') && bullets.length) bullets[bullets.length - 1] += ` ${line.trim()}`;
    else break;
  }
  return bullets.map((text) => {
    const name = /^\*\*([a-z0-9-]+)\*\*:/.exec(text)?.[1] ?? '';
    const signals = new Set<string>();
    for (const [, code] of text.matchAll(/`([^`]+)`/g)) {
      for (const metric of code.match(/\b(?:bot|process|nodejs)_[a-z_]+/g) ?? []) signals.add(metric);
      if (/^[a-z]+( [a-z]+)+$/.test(code)) signals.add(code); // a log message
      if (/^\/[a-z]+$/.test(code)) signals.add(code); // an endpoint
    }
    return { name, text, signals: [...signals] };
  });
}

interface RuleEntry {
  name: string;
  /** Description and query text of the rule (what an operator reads and what runs). */
  text: string;
}

/** The entries of the `rules` array the alert-rule loop iterates over. */
function alertRules(file: BicepFile): RuleEntry[] {
  const loop = file.resources.find((r) => r.type === 'Microsoft.Insights/scheduledQueryRules' && r.loop);
  if (!loop) return [];
  const iterable = loop.loop!.namedChildren.filter((c) => c.type !== 'comment')[1];
  const array = file.variables.get(iterable.text);
  if (!array || array.type !== 'array') return [];
  return array.namedChildren
    .filter((n) => n.type === 'object')
    .map((obj) => {
      const entries = objectEntries(obj);
      return {
        name: stringValue(entries.get('name')) ?? '',
        text: [entries.get('description')?.text ?? '', entries.get('query')?.text ?? ''].join('\n'),
      };
    });
}

function missingRules(alerts: ReadmeAlert[], rules: RuleEntry[]): string[] {
  const problems: string[] = [];
  for (const alert of alerts) {
    if (!alert.name) {
      problems.push(`README alert without a **name**: ${alert.text.slice(0, 60)}`);
      continue;
    }
    const rule = rules.find((r) => r.name === alert.name);
    if (!rule) {
      problems.push(`no alert rule named ${alert.name}`);
      continue;
    }
    for (const signal of alert.signals) {
      if (!rule.text.includes(signal)) problems.push(`rule ${alert.name} does not mention ${signal}`);
    }
  }
  for (const rule of rules) {
    if (!alerts.some((a) => a.name === rule.name)) problems.push(`rule ${rule.name} is not in the README`);
  }
  return problems;
}

let parser: Parser;
let main: BicepFile;
let alertsFile: BicepFile;

beforeAll(async () => {
  parser = await bicepParser();
  main = readBicep(parser, infra('main.bicep'));
  alertsFile = readBicep(parser, infra('modules/alerts.bicep'));
});

const moduleOf = (path: string) => {
  const m = main.modules.find((x) => x.path === path);
  if (!m) throw new Error(`main.bicep has no module for ${path}`);
  return m;
};

describe('README alert list as Azure Monitor alert rules', () => {
  it('has a scheduled query rule for every alert the README names, mentioning its signals', () => {
    const alerts = readmeAlerts(readFileSync(join(root, 'README.md'), 'utf8'));
    expect(alerts.length).toBeGreaterThanOrEqual(10);
    expect(alerts.flatMap((a) => a.signals)).toEqual(
      expect.arrayContaining(['bot_circuit_state', '/readyz', 'turn failed', 'unhandled rejection']),
    );
    const rules = alertRules(alertsFile);
    expect(missingRules(alerts, rules)).toEqual([]);
  });

  it('catches a README alert without a rule, and a rule that ignores its signal', () => {
    const alerts = readmeAlerts(
      [
        '## Operations',
        '- Alerts worth setting:',
        '  - **circuit-open**: any `bot_circuit_state` = 1;',
        '  - **new-one**: `something broke` log lines;',
        '  - an unnamed one.',
        '- Next item',
      ].join('\n'),
    );
    const problems = missingRules(alerts, [
      { name: 'circuit-open', text: 'customMetrics | where name == "bot_dependency_errors_total"' },
      { name: 'stale', text: '' },
    ]);
    expect(problems).toEqual([
      'rule circuit-open does not mention bot_circuit_state',
      'no alert rule named new-one',
      'README alert without a **name**: an unnamed one.',
      'rule stale is not in the README',
    ]);
  });

  it('notifies an action group whose e-mail is a parameter, scoped to Application Insights', () => {
    const group = alertsFile.resources.find((r) => r.type === 'Microsoft.Insights/actionGroups')!;
    expect(group).toBeDefined();
    const receivers = propertyAt(group.body, 'properties.emailReceivers')!;
    const address = descendants(receivers, ['object_property']).find(
      (p) => p.namedChildren[0].text === 'emailAddress',
    );
    expect(address?.namedChildren[1].text).toBe('alertEmail');
    expect(
      objectEntries(propertyAt(moduleOf('modules/alerts.bicep').body, 'params')).get('alertEmail')?.text,
    ).toBe('alertEmail');
    expect(stringValue(main.params.find((p) => p.name === 'alertEmail')?.defaultValue)).toBe('');
    const loop = alertsFile.resources.find((r) => r.type === 'Microsoft.Insights/scheduledQueryRules')!;
    expect(propertyAt(loop.body, 'properties.scopes')!.text).toBe('[applicationInsights.id]');
    expect(propertyAt(loop.body, 'properties.actions.actionGroups')!.text).toBe(`[${group.symbol}.id]`);
    expect(propertyAt(loop.body, 'properties.criteria')!.text).toContain('query: rule.query');
    // The /readyz rule reads the availability test that probes the bot's host.
    const test = alertsFile.resources.find((r) => r.type === 'Microsoft.Insights/webtests')!;
    expect(propertyAt(test.body, 'properties.Request.RequestUrl')?.text).toBe(
      "'https://${botHostName}/readyz'",
    );
    expect(
      objectEntries(propertyAt(moduleOf('modules/alerts.bicep').body, 'params')).get('botHostName')?.text,
    ).toBe('botHostName');
  });
});

describe('diagnostic settings to the Log Analytics workspace', () => {
  const scoped: Record<string, string> = {
    'modules/appservice.bicep': 'Microsoft.Web/sites',
    'modules/containerapp.bicep': 'Microsoft.App/managedEnvironments',
    'modules/cosmos.bicep': 'Microsoft.DocumentDB/databaseAccounts',
    'modules/search.bicep': 'Microsoft.Search/searchServices',
    'modules/openai.bicep': 'Microsoft.CognitiveServices/accounts',
  };

  it('sends logs and metrics of the app, Cosmos DB, Search and OpenAI to the workspace', () => {
    const monitoring = moduleOf('modules/monitoring.bicep').symbol;
    const monitoringFile = readBicep(parser, infra('modules/monitoring.bicep'));
    const workspace = monitoringFile.resources.find(
      (r) => r.type === 'Microsoft.OperationalInsights/workspaces',
    )!;
    expect(unwrap(monitoringFile.outputs.find((o) => o.name === 'logAnalyticsId')!.value).text).toBe(
      `${workspace.symbol}.id`,
    );
    for (const [path, type] of Object.entries(scoped)) {
      const file = readBicep(parser, infra(path));
      const target = file.resources.find((r) => r.type === type && !r.existing)!;
      const settings = file.resources.filter((r) => r.type === 'Microsoft.Insights/diagnosticSettings');
      expect(settings, path).toHaveLength(1);
      const body = settings[0].body;
      expect(propertyAt(body, 'scope')?.text, path).toBe(target.symbol);
      expect(propertyAt(body, 'properties.workspaceId')?.text, path).toBe('logAnalyticsWorkspaceId');
      const logs = propertyAt(body, 'properties.logs')!;
      const categories = descendants(logs, ['object']).filter(
        (o) => objectEntries(o).get('enabled')?.text === 'true',
      );
      expect(categories.length, `${path} log categories`).toBeGreaterThan(0);
      expect(propertyAt(body, 'properties.metrics')!.text, path).toContain("'AllMetrics'");
      const wired: Node | undefined = objectEntries(propertyAt(moduleOf(path).body, 'params')).get(
        'logAnalyticsWorkspaceId',
      );
      expect(wired ? memberChain(wired) : null, path).toEqual([monitoring, 'outputs', 'logAnalyticsId']);
    }
  });

  it('ships the console log (pino on stdout) of the app in both hosting modes', () => {
    for (const [path, category] of [
      ['modules/appservice.bicep', 'AppServiceConsoleLogs'],
      ['modules/containerapp.bicep', 'ContainerAppConsoleLogs'],
    ]) {
      const file = readBicep(parser, infra(path));
      const settings = file.resources.find((r) => r.type === 'Microsoft.Insights/diagnosticSettings')!;
      expect(propertyAt(settings.body, 'properties.logs')!.text, path).toContain(`'${category}'`);
    }
  });
});
