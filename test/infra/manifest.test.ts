import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppManifestUtils, type TeamsManifest } from '@microsoft/app-manifest';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderColorIcon, renderOutlineIcon } from '../../scripts/make-icons';
import { createBotIntentModel, extractEntities } from '../../src/nlu';
import { ME_COMMANDS, parseUnfurlUrl } from '../../src/teams/messageExtension';

const root = resolve(__dirname, '..', '..');
const appPackage = join(root, 'appPackage');
const manifestText = readFileSync(join(appPackage, 'manifest.json'), 'utf8');

/** Sample values for the ${{VAR}} placeholders the Toolkit fills in at zipAppPackage time. */
const SAMPLE_ENV: Record<string, string> = {
  TEAMS_APP_ID: '00000000-0000-4000-8000-000000000001',
  BOT_ID: '00000000-0000-4000-8000-000000000002',
  BOT_DOMAIN: 'app-bot-abc123.azurewebsites.net',
  APP_NAME_SUFFIX: '-dev',
};

const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

function substitute(text: string, env: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    if (!(name in env)) throw new Error(`no sample value for placeholder ${whole}`);
    return env[name];
  });
}

/** The JSON schema bundled in @microsoft/app-manifest for the manifest's $schema URL (never fetched). */
function bundledSchema(schemaUrl: string): object {
  const version = /\/teams\/(v[\d.]+)\/MicrosoftTeams\.schema\.json$/.exec(schemaUrl)?.[1];
  if (!version) throw new Error(`unexpected $schema ${schemaUrl}`);
  const packageRoot = dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const path = join(packageRoot, 'build', 'json-schemas', 'teams', version, 'MicrosoftTeams.schema.json');
  return JSON.parse(readFileSync(path, 'utf8')) as object;
}

function validate(manifest: object): Promise<string[]> {
  const schemaUrl = (manifest as { $schema: string }).$schema;
  return AppManifestUtils.validateAgainstSchema(manifest as TeamsManifest, bundledSchema(schemaUrl) as never);
}

function readPng(name: string): PNG {
  return PNG.sync.read(readFileSync(join(appPackage, name)));
}

function pixels(png: PNG): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  for (let i = 0; i < png.data.length; i += 4)
    out.push([png.data[i], png.data[i + 1], png.data[i + 2], png.data[i + 3]]);
  return out;
}

/** The parts of the manifest these tests read (the schema validation covers the rest). */
interface ManifestUnderTest {
  $schema: string;
  manifestVersion: string;
  description: { short: string; full: string };
  developer: { name: string; privacyUrl: string };
  validDomains?: string[];
  bots: Array<{
    botId: string;
    scopes: string[];
    supportsFiles?: boolean;
    commandLists?: Array<{ scopes: string[]; commands: Array<{ title: string; description: string }> }>;
  }>;
}

describe('appPackage/manifest.json', () => {
  let manifest: ManifestUnderTest;

  beforeAll(() => {
    manifest = JSON.parse(substitute(manifestText, SAMPLE_ENV));
  });

  it('uses only the placeholders the lifecycle files provide', () => {
    const used = [...manifestText.matchAll(PLACEHOLDER)].map((m) => m[1]);
    expect(new Set(used)).toEqual(new Set(Object.keys(SAMPLE_ENV)));
  });

  it('declares manifest schema 1.19 or later', () => {
    expect(manifest.$schema).toBe(
      `https://developer.microsoft.com/en-us/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
    );
    const [major, minor] = String(manifest.manifestVersion).split('.').map(Number);
    expect(major === 1 && minor >= 19).toBe(true);
  });

  it('validates against the bundled JSON schema', async () => {
    expect(await validate(manifest)).toEqual([]);
  });

  it('fails schema validation for a broken manifest', async () => {
    const broken = JSON.parse(JSON.stringify(manifest));
    delete broken.description;
    broken.bots[0].scopes = ['everywhere'];
    const errors = await validate(broken);
    expect(errors.join('\n')).toContain('description');
    expect(errors.join('\n')).toContain('/bots/0/scopes/0');
  });

  it('offers the bot in personal, team and group chat with a command list for each', () => {
    const bot = manifest.bots[0];
    expect(bot.botId).toBe(SAMPLE_ENV.BOT_ID);
    expect([...bot.scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot.supportsFiles).toBe(false);
    const lists = bot.commandLists ?? [];
    expect(lists.flatMap((l) => l.scopes).sort()).toEqual(['groupChat', 'personal', 'team']);
    for (const list of lists) {
      expect(list.commands.map((c) => c.title).sort()).toEqual(
        ['ask', 'help', 'my orders', 'open ticket', 'order status', 'reset', 'ticket status'].sort(),
      );
    }
    expect(manifest.validDomains).toEqual([SAMPLE_ENV.BOT_DOMAIN]);
  });

  it('declares the bot as a custom engine agent for Microsoft 365 Copilot', () => {
    const agents = (manifest as unknown as { copilotAgents?: { customEngineAgents?: object[] } })
      .copilotAgents?.customEngineAgents;
    // The schema requires the agent id to be a bot of this app with personal scope.
    expect(agents).toEqual([{ id: manifest.bots[0].botId, type: 'bot' }]);
    expect(manifest.bots[0].scopes).toContain('personal');
  });

  it("gives examples in its command descriptions that the bot's own intent model understands", async () => {
    const model = await createBotIntentModel();
    const expected: Record<string, string> = {
      'order status': 'order_status',
      'open ticket': 'create_ticket',
      'ticket status': 'ticket_status',
    };
    for (const command of manifest.bots[0].commandLists![0].commands) {
      const example = /e\.g\. '([^']+)'/.exec(command.description)?.[1];
      if (!(command.title in expected)) continue;
      expect(example, command.title).toBeDefined();
      expect(model.classify(example!).intent, example).toBe(expected[command.title]);
      const entities = extractEntities(example!);
      if (command.title === 'order status') expect(entities.orderId).toBe('ORD-10421');
      if (command.title === 'ticket status') expect(entities.ticketId).toBe('TKT-000001');
    }
  });

  it('has a zh-CN language file that validates and names only strings the manifest has', async () => {
    const info = (
      manifest as unknown as {
        localizationInfo: {
          defaultLanguageTag: string;
          additionalLanguages: { languageTag: string; file: string }[];
        };
      }
    ).localizationInfo;
    expect(info.defaultLanguageTag).toBe('en-us');
    const zh = info.additionalLanguages.find((l) => l.languageTag === 'zh-cn');
    expect(zh).toBeDefined();
    const file = JSON.parse(
      substitute(readFileSync(join(appPackage, zh!.file), 'utf8'), SAMPLE_ENV),
    ) as Record<string, string>;
    const schemaPath = join(
      dirname(require.resolve('@microsoft/app-manifest/package.json')),
      'build',
      'json-schemas',
      'teams',
      `v${manifest.manifestVersion}`,
      'MicrosoftTeams.Localization.schema.json',
    );
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as {
      required: string[];
      properties: Record<string, { maxLength?: number }>;
      patternProperties: Record<string, { maxLength?: number }>;
    };
    // The bundled schema's key patterns are not valid in ajv's unicode mode: check its rules directly.
    for (const key of schema.required) expect(file[key], key).toBeDefined();
    for (const [key, value] of Object.entries(file)) {
      const rule =
        schema.properties[key] ??
        Object.entries(schema.patternProperties).find(([pattern]) => new RegExp(pattern).test(key))?.[1];
      expect(rule, `${key} is allowed by the localization schema`).toBeDefined();
      if (rule?.maxLength) expect(value.length, key).toBeLessThanOrEqual(rule.maxLength);
    }
    for (const [key, value] of Object.entries(file)) {
      if (key === '$schema') continue;
      // "bots[0].commandLists[1].commands[2].description" → the same path in the manifest.
      const english = key
        .split(/[.[\]]+/)
        .filter(Boolean)
        .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], manifest);
      expect(typeof english, key).toBe('string');
      expect(value).toMatch(/[\u4e00-\u9fff]/);
    }
    // Command titles stay English: clicking one sends its title, which is what the bot understands.
    expect(Object.keys(file).some((k) => k.endsWith('.title'))).toBe(false);
  });

  it('declares the search message extension the bot handles, and link previews for its own domain', () => {
    const [extension, ...more] = (
      manifest as unknown as {
        composeExtensions: Array<{
          botId: string;
          commands: Array<{ id: string; type: string; context: string[]; parameters: { name: string }[] }>;
          messageHandlers: Array<{ type: string; value: { domains: string[] } }>;
        }>;
      }
    ).composeExtensions;
    expect(more).toEqual([]);
    expect(extension.botId).toBe(manifest.bots[0].botId);
    expect(extension.commands.map((c) => c.id).sort()).toEqual(Object.values(ME_COMMANDS).sort());
    for (const command of extension.commands) {
      expect(command.type).toBe('query');
      expect(command.context).toContain('compose');
      // The handlers read the parameter named 'query'.
      expect(command.parameters.map((p) => p.name)).toEqual(['query']);
    }
    expect(extension.messageHandlers).toEqual([
      { type: 'link', value: { domains: [SAMPLE_ENV.BOT_DOMAIN], supportsAnonymizedPayloads: false } },
    ]);
    // The URL form README documents is one the unfurl handler understands.
    expect(parseUnfurlUrl(`https://${SAMPLE_ENV.BOT_DOMAIN}/orders/ORD-10422`)).toEqual({
      kind: 'orders',
      id: 'ORD-10422',
    });
  });

  it('describes what the bot does and who built it', () => {
    expect(manifest.description.short).toMatch(/order/i);
    expect(manifest.description.full).toMatch(/ticket/i);
    expect(manifest.description.full).toMatch(/knowledge/i);
    expect(manifest.developer.name.length).toBeGreaterThan(0);
    expect(manifest.developer.privacyUrl).toMatch(/^https:\/\//);
  });
});

describe('app icons', () => {
  it('colour icon is a 192x192 PNG with a real image', () => {
    const png = readPng('color.png');
    expect([png.width, png.height]).toEqual([192, 192]);
    const colours = new Set(pixels(png).map((p) => p.join(',')));
    expect(colours.size).toBeGreaterThan(2);
    // The centre of the square is opaque.
    const centre = (96 * 192 + 20) * 4;
    expect(png.data[centre + 3]).toBe(255);
  });

  it('outline icon is 32x32, white foreground on a transparent background', () => {
    const png = readPng('outline.png');
    expect([png.width, png.height]).toEqual([32, 32]);
    const all = pixels(png);
    const visible = all.filter(([, , , a]) => a > 0);
    const transparent = all.filter(([, , , a]) => a === 0);
    expect(visible.length).toBeGreaterThan(32);
    expect(transparent.length).toBeGreaterThan(all.length / 3);
    expect(visible.filter(([r, g, b]) => r !== 255 || g !== 255 || b !== 255)).toEqual([]);
    for (const corner of [0, 31, 32 * 31, 32 * 32 - 1]) expect(all[corner][3]).toBe(0);
  });

  it('the committed icons are exactly what scripts/make-icons.ts renders', () => {
    expect(Buffer.compare(readPng('color.png').data, renderColorIcon().data)).toBe(0);
    expect(Buffer.compare(readPng('outline.png').data, renderOutlineIcon().data)).toBe(0);
  });

  it('the manifest points at these icon files', () => {
    const manifest = JSON.parse(manifestText) as { icons: { color: string; outline: string } };
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
  });
});
