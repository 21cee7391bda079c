import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ACTIVITIES_FILE,
  activitiesFile,
  instantiate,
  loadActivities,
  teamsMessageActivity,
} from '../../bench/lib/loadtestActivities';
import { PROJECT_ROOT } from '../../scripts/lib/serverProcess';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';

/**
 * ops/loadtest/: the Azure Load Testing config and its JMeter plan parse and fit together, and every
 * activity they replay is a Teams message the real bot answers.
 */

const dir = join(PROJECT_ROOT, 'ops/loadtest');
const config = parse(readFileSync(join(dir, 'loadtest.yaml'), 'utf8')) as Record<string, any>;
const jmxText = readFileSync(join(dir, config.testPlan as string), 'utf8');
const jmx = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(jmxText);

/** Every element named `name` anywhere in the parsed XML tree. */
function elements(node: unknown, name: string, found: any[] = []): any[] {
  if (Array.isArray(node)) for (const n of node) elements(n, name, found);
  else if (node && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) {
      if (key === name) found.push(...(Array.isArray(value) ? value : [value]));
      elements(value, name, found);
    }
  return found;
}

/** The text of a `<stringProp name="...">` child of a JMeter element. */
function prop(element: any, name: string): string | undefined {
  const props = [element.stringProp ?? []].flat() as any[];
  const p = props.find((x) => x['@name'] === name);
  return p === undefined ? undefined : String(p['#text'] ?? '');
}

describe('ops/loadtest/loadtest.yaml (Azure Load Testing)', () => {
  it('is a v0.1 JMX test whose plan and configuration files exist', () => {
    expect(config.version).toBe('v0.1');
    expect(config.testId).toMatch(/^[a-z0-9_-]{2,50}$/);
    expect(config.testType).toBe('JMX');
    expect(String(config.description).length).toBeLessThanOrEqual(100);
    expect(Number.isInteger(config.engineInstances) && config.engineInstances >= 1).toBe(true);
    expect(existsSync(join(dir, config.testPlan))).toBe(true);
    expect(config.configurationFiles).toContain('activities.json');
    for (const file of config.configurationFiles as string[]) expect(existsSync(join(dir, file))).toBe(true);
  });

  it('fails on average response time and error percentage', () => {
    const criteria = config.failureCriteria as string[];
    const pattern =
      /^(avg|min|max|p\d+(\.\d+)?|percentage|count)\((response_time_ms|error|latency|requests_per_sec|requests)\) [<>] \d+(\.\d+)?$/;
    for (const c of criteria) expect(c).toMatch(pattern);
    expect(criteria.some((c) => c.startsWith('avg(response_time_ms) >'))).toBe(true);
    expect(criteria.some((c) => c.startsWith('percentage(error) >'))).toBe(true);
  });

  it('sets every environment variable and secret the plan reads', () => {
    const defined = new Set([
      ...(config.env as { name: string }[]).map((e) => e.name),
      ...(config.secrets as { name: string }[]).map((s) => s.name),
    ]);
    const read = new Set([...jmxText.matchAll(/getenv\('([A-Z_]+)'\)/g)].map((m) => m[1]!));
    read.delete('ACTIVITIES_FILE'); // optional override for runs outside Azure Load Testing
    expect(read.size).toBeGreaterThan(5);
    for (const name of read) expect(defined, `${name} is read by the plan`).toContain(name);
    for (const m of jmxText.matchAll(/__GetSecret\(([A-Z_]+)\)/g)) expect(defined).toContain(m[1]);
  });
});

describe('ops/loadtest/teams-bot.jmx', () => {
  it('is a JMeter plan that POSTs to /api/messages with the activity as raw JSON and asserts HTTP 200', () => {
    expect(jmx.jmeterTestPlan).toBeDefined();
    const [sampler, ...more] = elements(jmx, 'HTTPSamplerProxy');
    expect(more).toHaveLength(0);
    expect(prop(sampler, 'HTTPSampler.path')).toBe('/api/messages');
    expect(prop(sampler, 'HTTPSampler.method')).toBe('POST');
    expect(jmxText).toContain('<stringProp name="Argument.value">${activityBody}</stringProp>');
    const headers = elements(jmx, 'HeaderManager')
      .flatMap((h) => elements(h, 'elementProp'))
      .map((e) => [prop(e, 'Header.name'), prop(e, 'Header.value')]);
    expect(headers).toContainEqual(['Content-Type', 'application/json']);
    expect(headers).toContainEqual(['Authorization', '${__P(loadtest.authorization,)}']);
    const assertion = elements(jmx, 'ResponseAssertion')[0];
    expect(prop(assertion, 'Assertion.test_field')).toBe('Assertion.response_code');
  });

  it('reads the activity file and builds each request like the local replay', () => {
    const pre = elements(jmx, 'JSR223PreProcessor');
    expect(pre).toHaveLength(1);
    const script = prop(pre[0], 'script')!;
    expect(script).toContain("'activities.json'");
    for (const field of [
      'activity.id',
      'activity.timestamp',
      'activity.serviceUrl',
      'activity.conversation.id',
    ])
      expect(script).toContain(`${field} =`);
    expect(script).toContain("vars.put('activityBody'");
    for (const s of elements(jmx, 'JSR223Sampler').concat(pre))
      expect(prop(s, 'scriptLanguage')).toBe('groovy');
  });
});

describe(ACTIVITIES_FILE, () => {
  const file = loadActivities();

  it('holds order status, knowledge and ticket-draft activities, each a Teams message activity', () => {
    expect(new Set(file.scenarios.map((s) => s.scenario))).toEqual(
      new Set(['order-status', 'knowledge-question', 'ticket-draft']),
    );
    for (const { activity } of file.scenarios)
      expect(teamsMessageActivity.safeParse(activity).success).toBe(true);
  });

  it('the schema refuses what the bot could not answer', () => {
    const [{ activity }] = file.scenarios as [(typeof file.scenarios)[0]];
    const broken = [
      { ...activity, type: 'event' },
      { ...activity, channelId: 'webchat' },
      { ...activity, text: '' },
      { ...activity, serviceUrl: 'not a url' },
      { ...activity, conversation: { ...activity.conversation, tenantId: undefined } },
    ];
    for (const b of broken)
      expect(
        activitiesFile.safeParse({ ...file, scenarios: [{ scenario: 'ticket-draft', activity: b }] }).success,
      ).toBe(false);
  });

  describe('against the real bot', () => {
    let t: BotUnderTest;
    beforeAll(async () => {
      t = await startBotUnderTest({ RATE_LIMIT_USER_PER_MIN: '10000' });
    });
    afterAll(async () => t?.stop());

    it('every activity, replayed as the load test does, gets HTTP 200 and a reply to it', async () => {
      for (const [i, { scenario, activity }] of file.scenarios.entries()) {
        const sent = instantiate(activity, t.connector.url, `test${i}`);
        const res = await t.post(sent);
        expect(res.status, scenario).toBe(200);
        const replies = t.connector
          .messages(sent.conversation.id)
          .filter((c) => c.activityId === sent.id && c.activity.type === 'message');
        expect(replies.length, `${scenario}: ${activity.text}`).toBeGreaterThan(0);
        const reply = replies[0]!.activity;
        expect(String(reply.text ?? '') + JSON.stringify(reply.attachments ?? [])).not.toMatch(
          /sorry|went wrong/i,
        );
      }
    });
  });
});
