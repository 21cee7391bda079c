import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Parser } from 'web-tree-sitter';
import {
  bicepFilesUnder,
  bicepParser,
  calledFunction,
  descendants,
  memberChain,
  objectEntries,
  propertyAt,
  readBicep,
  readBicepSource,
  stringValue,
  unwrap,
  type BicepFile,
  type Node,
} from './bicepTree';
import { listCallViolations, literalsIn, outputSecretViolations, roleAssignments } from './bicepChecks';

const root = resolve(__dirname, '..', '..');
const infraDir = join(root, 'infra');
const storageConfig = JSON.parse(readFileSync(join(root, 'src/storage/containers.json'), 'utf8')) as {
  database: string;
  searchIndex: string;
  containers: Array<{ name: string; partitionKey: string; defaultTtlSeconds: number }>;
};

let parser: Parser;
let files: BicepFile[];
let main: BicepFile;
/** Module file (relative to infra/, e.g. 'modules/cosmos.bicep') → parsed file. */
const moduleFiles = new Map<string, BicepFile>();

function moduleFile(path: string): BicepFile {
  const file = moduleFiles.get(path);
  if (!file) throw new Error(`main.bicep does not use ${path}`);
  return file;
}

/** The module declaration in main.bicep that deploys `path`. */
function moduleCall(path: string) {
  const call = main.modules.find((m) => m.path === path);
  if (!call) throw new Error(`main.bicep has no module for ${path}`);
  return call;
}

function moduleParams(path: string): Map<string, Node> {
  return objectEntries(propertyAt(moduleCall(path).body, 'params'));
}

function resourceOfType(file: BicepFile, type: string) {
  const found = file.resources.filter((r) => r.type === type && !r.existing);
  expect(found, `${type} in ${file.path}`).toHaveLength(1);
  return found[0];
}

function allResources() {
  return files.flatMap((f) => f.resources.filter((r) => !r.existing).map((r) => ({ ...r, file: f })));
}

const chainOf = (node: Node | null) => (node ? memberChain(node) : null);

/** botHostName: the Container App's FQDN in containerApps mode, else the web app's host name. */
function expectBotHostNameFromTheHostingMode() {
  const value = unwrap(main.variables.get('botHostName')!);
  const ca = main.modules.find((m) => m.path === 'modules/containerapp.bicep')!.symbol;
  const app = main.modules.find((m) => m.path === 'modules/appservice.bicep')!.symbol;
  expect(value.text).toBe(
    `hostingMode == 'containerApps' ? ${ca}.outputs.fqdn : ${app}.outputs.defaultHostName`,
  );
}

function allowedValues(param: string): string[] {
  const decl = main.root.namedChildren.find(
    (n) => n.type === 'parameter_declaration' && n.namedChildren[0].text === param,
  );
  const index = main.root.namedChildren.indexOf(decl!);
  const decorators = main.root.namedChildren[index - 1];
  const allowed = /@allowed\(\[([^\]]*)\]\)/.exec(decorators?.text ?? '')?.[1] ?? '';
  return [...allowed.matchAll(/'([^']*)'/g)].map((m) => m[1]);
}

/**
 * Outputs and variables that read `<module>.outputs` of a module deployed only when
 * `hostingMode == '<mode>'`, without a `hostingMode == '…' ? … : …` choosing that mode's branch
 * (the other mode does not deploy the module, so the reference would fail there).
 */
function unguardedModuleOutputs(file: BicepFile): string[] {
  const conditional = file.modules
    .map((m) => ({
      symbol: m.symbol,
      mode: /^\(hostingMode == '(\w+)'\)$/.exec(m.condition?.text ?? '')?.[1],
    }))
    .filter((m): m is { symbol: string; mode: string } => Boolean(m.mode));
  const statements: Array<[string, Node]> = [
    ...file.outputs.map((o) => [o.name, o.value] as [string, Node]),
    ...[...file.variables.entries()],
  ];
  const problems: string[] = [];
  for (const [name, value] of statements) {
    const text = value.text.replace(/\s+/g, ' ');
    for (const { symbol, mode } of conditional) {
      const ref = new RegExp(`\\b${symbol}\\.outputs\\b`);
      if (!ref.test(text)) continue;
      const ternary = /^hostingMode == '(\w+)' \? (.*) : (.*)$/.exec(text);
      const branch = ternary ? (ternary[1] === mode ? ternary[2] : ternary[3]) : undefined;
      const other = ternary ? (ternary[1] === mode ? ternary[3] : ternary[2]) : text;
      if (!ternary || ref.test(other) || !branch || !ref.test(branch))
        problems.push(`${name} reads ${symbol}.outputs`);
    }
  }
  return problems;
}

beforeAll(async () => {
  parser = await bicepParser();
  files = bicepFilesUnder(infraDir).map((path) => readBicep(parser, path));
  main = files.find((f) => f.path === join(infraDir, 'main.bicep'))!;
  for (const m of main.modules) {
    moduleFiles.set(
      m.path,
      files.find((f) => f.path === join(infraDir, m.path))!,
    );
  }
});

describe('Bicep syntax (tree-sitter-bicep)', () => {
  it('finds main.bicep and its modules', () => {
    expect(main).toBeDefined();
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const m of main.modules) expect(existsSync(join(infraDir, m.path)), m.path).toBe(true);
  });

  it('parses every .bicep file with no ERROR or MISSING node', () => {
    for (const file of files) expect(file.problems, file.path).toEqual([]);
  });

  it('reports ERROR / MISSING nodes for broken Bicep', () => {
    const broken = readBicepSource(
      parser,
      "resource r 'Microsoft.Web/sites@2024-04-01' = {\n  name:\n}\noutput o string =\n",
    );
    expect(broken.problems.length).toBeGreaterThan(0);
  });
});

describe('Bicep compile-style checks', () => {
  it('module calls pass only declared params and every required one', () => {
    for (const call of main.modules) {
      const target = moduleFile(call.path);
      const passed = [...moduleParams(call.path).keys()];
      const declared = target.params.map((p) => p.name);
      expect(
        passed.filter((p) => !declared.includes(p)),
        `unknown params for ${call.path}`,
      ).toEqual([]);
      const required = target.params.filter((p) => p.defaultValue === null).map((p) => p.name);
      expect(
        required.filter((p) => !passed.includes(p)),
        `missing params for ${call.path}`,
      ).toEqual([]);
    }
  });

  it('every <module>.outputs.<name> reference in main.bicep names a declared output', () => {
    const bySymbol = new Map(main.modules.map((m) => [m.symbol, moduleFile(m.path)]));
    const refs = descendants(main.root, ['member_expression'])
      .map((n) => memberChain(n))
      .filter((c): c is string[] => c !== null && c.length === 3 && c[1] === 'outputs' && bySymbol.has(c[0]));
    expect(refs.length).toBeGreaterThan(10);
    for (const [symbol, , name] of refs) {
      expect(
        bySymbol.get(symbol)!.outputs.map((o) => o.name),
        `${symbol}.outputs.${name}`,
      ).toContain(name);
    }
  });

  it('main.parameters.json sets only declared params, and every param without a default', () => {
    const parameters = JSON.parse(readFileSync(join(infraDir, 'main.parameters.json'), 'utf8')) as {
      parameters: Record<string, unknown>;
    };
    const declared = main.params.map((p) => p.name);
    expect(Object.keys(parameters.parameters).filter((k) => !declared.includes(k))).toEqual([]);
    const required = main.params.filter((p) => p.defaultValue === null).map((p) => p.name);
    expect(required.filter((p) => !(p in parameters.parameters))).toEqual([]);
  });

  it('pins a GA (non-preview) API version on every resource', () => {
    for (const r of allResources()) {
      expect(r.apiVersion, `${r.file.path}: ${r.symbol}`).toMatch(/^20\d{2}-\d{2}-\d{2}$/);
    }
  });
});

describe('Azure resources', () => {
  it('declares every resource the bot needs', () => {
    const types = new Set(allResources().map((r) => r.type));
    for (const type of [
      'Microsoft.ManagedIdentity/userAssignedIdentities',
      'Microsoft.Web/serverfarms',
      'Microsoft.Web/sites',
      'Microsoft.BotService/botServices',
      'Microsoft.BotService/botServices/channels',
      'Microsoft.DocumentDB/databaseAccounts',
      'Microsoft.DocumentDB/databaseAccounts/sqlDatabases',
      'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers',
      'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments',
      'Microsoft.Search/searchServices',
      'Microsoft.CognitiveServices/accounts',
      'Microsoft.CognitiveServices/accounts/deployments',
      'Microsoft.OperationalInsights/workspaces',
      'Microsoft.Insights/components',
      'Microsoft.Authorization/roleAssignments',
    ]) {
      expect(types, type).toContain(type);
    }
  });

  it('names resources from uniqueString(subscription().id, resourceGroup().id, environmentName)', () => {
    const token = main.variables.get('resourceToken');
    expect(token).toBeDefined();
    const unique = descendants(token!, ['call_expression']).find((c) => calledFunction(c) === 'uniqueString');
    const args = unique?.namedChildren.find((c) => c.type === 'arguments')?.namedChildren.map((a) => a.text);
    expect(args).toEqual(['subscription().id', 'resourceGroup().id', 'environmentName']);
    for (const call of main.modules) {
      for (const [key, value] of moduleParams(call.path)) {
        const isName =
          key === 'name' || /^(account|plan|app|logAnalytics|applicationInsights)Name$/.test(key);
        if (!isName || value.type !== 'string') continue;
        expect(value.text, `${call.symbol}.${key}`).toContain('${resourceToken}');
      }
    }
  });

  it('tags every taggable resource, with azd-env-name', () => {
    const tags = objectEntries(main.variables.get('tags'));
    expect(tags.get('azd-env-name')?.text).toBe('environmentName');
    for (const r of allResources()) {
      // Extension resources (role assignments, diagnostic settings) take no tags.
      const isChild =
        r.type.split('/').length > 2 ||
        r.type === 'Microsoft.Authorization/roleAssignments' ||
        r.type === 'Microsoft.Insights/diagnosticSettings';
      if (isChild) continue;
      expect(propertyAt(r.body, 'tags'), `${r.file.path}: ${r.symbol} has tags`).not.toBeNull();
    }
    for (const call of main.modules) {
      if (moduleFile(call.path).params.some((p) => p.name === 'tags')) {
        expect(moduleParams(call.path).get('tags')?.text, call.symbol).toBe('tags');
      }
    }
  });

  it('runs the web app on Linux Node 22 LTS with Always On, /healthz, HTTPS only, TLS 1.2, FTP off, npm start', () => {
    const file = moduleFile('modules/appservice.bicep');
    const plan = resourceOfType(file, 'Microsoft.Web/serverfarms');
    expect(propertyAt(plan.body, 'properties.reserved')?.text).toBe('true');
    const site = resourceOfType(file, 'Microsoft.Web/sites').body;
    expect(propertyAt(site, 'properties.httpsOnly')?.text).toBe('true');
    expect(stringValue(propertyAt(site, 'identity.type'))).toBe('UserAssigned');
    const config = (path: string) => propertyAt(site, `properties.siteConfig.${path}`);
    expect(config('linuxFxVersion')?.text).toBe("'NODE|${nodeVersion}'");
    expect(moduleParams('modules/appservice.bicep').get('nodeVersion')?.text).toBe('nodeVersion');
    expect(stringValue(main.params.find((p) => p.name === 'nodeVersion')?.defaultValue)).toBe('22-lts');
    expect(config('alwaysOn')?.text).toBe('true');
    expect(stringValue(config('healthCheckPath'))).toBe('/healthz');
    expect(stringValue(config('minTlsVersion'))).toBe('1.2');
    expect(stringValue(config('ftpsState'))).toBe('Disabled');
    expect(stringValue(config('appCommandLine'))).toBe('npm start');
    const ftp = resourceOfType(file, 'Microsoft.Web/sites/basicPublishingCredentialsPolicies').body;
    expect(stringValue(propertyAt(ftp, 'name'))).toBe('ftp');
    expect(propertyAt(ftp, 'properties.allow')?.text).toBe('false');
  });

  it('sets the app settings the bot reads, from the identity and the service modules', () => {
    const settings = objectEntries(
      propertyAt(moduleCall('modules/appservice.bicep').body, 'params.appSettings'),
    );
    const appservice = moduleFile('modules/appservice.bicep');
    const merged = descendants(appservice.root, ['call_expression']).find(
      (c) => calledFunction(c) === 'union' && c.text.includes('APPLICATIONINSIGHTS'),
    );
    const mergedKeys = [...objectEntries(merged?.namedChildren[1]?.namedChildren[1] ?? null).keys()];
    const names = [...settings.keys(), ...mergedKeys];
    for (const name of [
      'BOT_ID',
      'BOT_TYPE',
      'BOT_TENANT_ID',
      'AZURE_CLIENT_ID',
      'AZURE_OPENAI_ENDPOINT',
      'AZURE_OPENAI_DEPLOYMENT',
      'AZURE_OPENAI_EMBEDDING_DEPLOYMENT',
      'AZURE_OPENAI_API_VERSION',
      'AZURE_SEARCH_ENDPOINT',
      'AZURE_SEARCH_INDEX',
      'AZURE_SEARCH_SEMANTIC',
      'COSMOS_ENDPOINT',
      'COSMOS_DATABASE',
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
      'TRANSCRIPT_TTL_DAYS',
      'RUNNING_ON_AZURE',
      'WEBSITE_RUN_FROM_PACKAGE',
    ]) {
      expect(names, name).toContain(name);
    }
    expect(names.filter((n) => /KEY|SECRET|PASSWORD/.test(n))).toEqual([]);
    const identity = main.modules.find((m) => m.path === 'modules/identity.bicep')!.symbol;
    expect(chainOf(settings.get('BOT_ID')!)).toEqual([identity, 'outputs', 'clientId']);
    expect(chainOf(settings.get('AZURE_CLIENT_ID')!)).toEqual([identity, 'outputs', 'clientId']);
    expect(chainOf(settings.get('BOT_TENANT_ID')!)).toEqual([identity, 'outputs', 'tenantId']);
    expect(stringValue(settings.get('BOT_TYPE'))).toBe('UserAssignedMsi');
    expect(stringValue(settings.get('RUNNING_ON_AZURE'))).toBe('1');
    // Lower-case booleans (ARM's string(bool) would give 'True').
    const semantic = unwrap(settings.get('AZURE_SEARCH_SEMANTIC')!);
    expect(semantic.type).toBe('ternary_expression');
    expect(stringValue(semantic.childForFieldName('consequence'))).toBe('true');
    expect(stringValue(semantic.childForFieldName('alternative'))).toBe('false');
  });

  it('registers the Azure Bot with the user-assigned identity and the Teams channel', () => {
    const file = moduleFile('modules/bot.bicep');
    const bot = resourceOfType(file, 'Microsoft.BotService/botServices').body;
    expect(stringValue(propertyAt(bot, 'properties.msaAppType'))).toBe('UserAssignedMSI');
    for (const key of ['msaAppId', 'msaAppMSIResourceId', 'msaAppTenantId', 'endpoint']) {
      expect(propertyAt(bot, `properties.${key}`)?.type, key).toBe('identifier');
    }
    const channel = resourceOfType(file, 'Microsoft.BotService/botServices/channels').body;
    expect(stringValue(propertyAt(channel, 'name'))).toBe('MsTeamsChannel');
    expect(stringValue(propertyAt(channel, 'properties.channelName'))).toBe('MsTeamsChannel');
    const params = moduleParams('modules/bot.bicep');
    expect(params.get('messagingEndpoint')?.text).toBe(`'https://\${botHostName}/api/messages'`);
    expectBotHostNameFromTheHostingMode();
    const identity = main.modules.find((m) => m.path === 'modules/identity.bicep')!.symbol;
    expect(chainOf(params.get('identityResourceId')!)).toEqual([identity, 'outputs', 'resourceId']);
    expect(chainOf(params.get('identityClientId')!)).toEqual([identity, 'outputs', 'clientId']);
  });

  it('disables key auth on Cosmos DB, AI Search and Azure OpenAI', () => {
    const cosmos = resourceOfType(
      moduleFile('modules/cosmos.bicep'),
      'Microsoft.DocumentDB/databaseAccounts',
    ).body;
    expect(propertyAt(cosmos, 'properties.disableLocalAuth')?.text).toBe('true');
    const search = resourceOfType(moduleFile('modules/search.bicep'), 'Microsoft.Search/searchServices').body;
    expect(propertyAt(search, 'properties.disableLocalAuth')?.text).toBe('true');
    expect(propertyAt(search, 'properties.authOptions')).toBeNull();
    const openAi = resourceOfType(
      moduleFile('modules/openai.bicep'),
      'Microsoft.CognitiveServices/accounts',
    ).body;
    expect(stringValue(propertyAt(openAi, 'kind'))).toBe('OpenAI');
    expect(propertyAt(openAi, 'properties.disableLocalAuth')?.text).toBe('true');
    expect(propertyAt(openAi, 'properties.customSubDomainName')).not.toBeNull();
  });

  it('defaults to serverless Cosmos DB with an autoscale option, and a semantic-ranker plan for Search', () => {
    const param = (name: string) => main.params.find((p) => p.name === name);
    expect(stringValue(param('cosmosCapacityMode')?.defaultValue)).toBe('serverless');
    expect(param('cosmosAutoscaleMaxThroughput')).toBeDefined();
    expect(stringValue(param('searchSemanticRankerPlan')?.defaultValue)).toBe('free');
    expect(param('searchSku')).toBeDefined();
    const account = resourceOfType(
      moduleFile('modules/cosmos.bicep'),
      'Microsoft.DocumentDB/databaseAccounts',
    ).body;
    expect(
      literalsIn(moduleFile('modules/cosmos.bicep'), propertyAt(account, 'properties.capabilities')!),
    ).toContain('EnableServerless');
    const search = resourceOfType(moduleFile('modules/search.bicep'), 'Microsoft.Search/searchServices').body;
    expect(propertyAt(search, 'properties.semanticSearch')?.type).toBe('identifier');
  });

  it('makes chat and embedding deployments parameters (model, version, SKU, capacity)', () => {
    for (const name of ['chatModel', 'embeddingModel']) {
      const keys = [...objectEntries(main.params.find((p) => p.name === name)?.defaultValue).keys()];
      expect(keys.sort(), name).toEqual([
        'capacity',
        'deploymentName',
        'modelName',
        'modelVersion',
        'skuName',
      ]);
    }
    const file = moduleFile('modules/openai.bicep');
    const deployments = file.resources.filter(
      (r) => r.type === 'Microsoft.CognitiveServices/accounts/deployments',
    );
    expect(deployments.map((d) => chainOf(propertyAt(d.body, 'properties.model.name'))?.[0]).sort()).toEqual([
      'chatModel',
      'embeddingModel',
    ]);
  });
});

describe('Cosmos containers and the search index come from src/storage/containers.json', () => {
  function storageVariable(): string {
    const entry = [...main.variables].find(
      ([, value]) => value.type === 'call_expression' && calledFunction(value) === 'loadJsonContent',
    );
    expect(entry, 'a variable = loadJsonContent(...)').toBeDefined();
    const [name, call] = entry!;
    const path = stringValue(call.namedChildren.find((c) => c.type === 'arguments')?.namedChildren[0]);
    expect(resolve(dirname(main.path), path ?? '')).toBe(join(root, 'src/storage/containers.json'));
    return name;
  }

  it('passes the loaded containers and database name to the Cosmos module', () => {
    const storage = storageVariable();
    const params = moduleParams('modules/cosmos.bicep');
    expect(chainOf(params.get('containers')!)).toEqual([storage, 'containers']);
    expect(chainOf(params.get('databaseName')!)).toEqual([storage, 'database']);
  });

  it('creates one container per entry, with its partition key and TTL', () => {
    const file = moduleFile('modules/cosmos.bicep');
    const container = resourceOfType(file, 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers');
    expect(container.loop, 'container resource is a for-loop').not.toBeNull();
    const loopVar = container.loop!.childForFieldName('initializer')!.text;
    const iterable = container.loop!.namedChildren.filter((c) => c.type !== 'comment')[1];
    expect(iterable.text).toBe('containers');
    expect(chainOf(propertyAt(container.body, 'name'))).toEqual([loopVar, 'name']);
    expect(chainOf(propertyAt(container.body, 'properties.resource.id'))).toEqual([loopVar, 'name']);
    const paths = propertyAt(container.body, 'properties.resource.partitionKey.paths')!;
    expect(paths.namedChildren.map((p) => memberChain(p))).toEqual([[loopVar, 'partitionKey']]);
    const ttl = propertyAt(container.body, 'properties.resource.defaultTtl')!;
    const ttlChains = descendants(ttl, ['member_expression']).map((n) => memberChain(n)?.join('.'));
    expect(ttlChains).toContain(`${loopVar}.defaultTtlSeconds`);
    // Any container name the TTL expression singles out must exist in containers.json.
    for (const literal of literalsIn(file, ttl)) {
      expect(storageConfig.containers.map((c) => c.name)).toContain(literal);
    }
    const database = resourceOfType(file, 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases');
    expect(propertyAt(database.body, 'name')?.text).toBe('databaseName');
  });

  it('sets the search index name and transcript TTL from the same file', () => {
    const storage = storageVariable();
    const settings = objectEntries(
      propertyAt(moduleCall('modules/appservice.bicep').body, 'params.appSettings'),
    );
    expect(chainOf(settings.get('AZURE_SEARCH_INDEX')!)).toEqual([storage, 'searchIndex']);
    expect(chainOf(main.outputs.find((o) => o.name === 'AZURE_SEARCH_INDEX')!.value)).toEqual([
      storage,
      'searchIndex',
    ]);
    expect(main.params.map((p) => p.name)).toContain('transcriptTtlDays');
    expect(moduleParams('modules/cosmos.bicep').get('transcriptTtlSeconds')?.text).toBe(
      'transcriptTtlSeconds',
    );
  });

  it('hard-codes no container, database or index name', () => {
    const names = new Set([
      storageConfig.database,
      storageConfig.searchIndex,
      ...storageConfig.containers.map((c) => c.name),
    ]);
    // 'transcripts' is named on purpose: its TTL is the one a parameter may override.
    names.delete('transcripts');
    for (const file of files) {
      const literals = descendants(file.root, ['string']).map((s) => stringValue(s));
      expect(
        literals.filter((l) => l !== null && names.has(l)),
        file.path,
      ).toEqual([]);
    }
  });
});

describe('identity and secrets', () => {
  const READER = '1407120a-92aa-4202-b7e9-c0e197c71c8f'; // Search Index Data Reader
  const INDEX_CONTRIBUTOR = '8ebe5a00-799e-43f5-93ac-243d3dce84a7'; // Search Index Data Contributor
  const SERVICE_CONTRIBUTOR = '7ca78c08-252a-4471-8644-bb5ff32d4ba0'; // Search Service Contributor
  const OPENAI_USER = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd';
  /** Module → principal param → (identity module path's symbol in main.bicep, unconditional roles). */
  const expectedRoles: Record<string, Record<string, { identity: 'bot' | 'ingest'; roles: string[] }>> = {
    'modules/cosmos.bicep': {
      dataContributorPrincipalId: { identity: 'bot', roles: ['00000000-0000-0000-0000-000000000002'] },
    },
    'modules/search.bicep': {
      appPrincipalId: { identity: 'bot', roles: [READER] },
      ingestPrincipalId: { identity: 'ingest', roles: [SERVICE_CONTRIBUTOR, INDEX_CONTRIBUTOR].sort() },
    },
    'modules/openai.bicep': {
      principalId: { identity: 'bot', roles: [OPENAI_USER] },
      ingestPrincipalId: { identity: 'ingest', roles: [OPENAI_USER] },
    },
    // AcrPull on the container registry (hostingMode = 'containerApps').
    'modules/containerapp.bicep': {
      principalId: { identity: 'bot', roles: ['7f951dda-4ed3-4680-a7ca-43fe172d538d'] },
    },
  };

  function identitySymbols() {
    const identities = main.modules.filter((m) => m.path === 'modules/identity.bicep');
    expect(identities).toHaveLength(2);
    const nameOf = (m: (typeof identities)[number]) => propertyAt(m.body, 'params.name')?.text ?? '';
    const bot = identities.find((m) => nameOf(m).startsWith("'id-bot-"))!;
    const ingest = identities.find((m) => nameOf(m).startsWith("'id-ingest-"))!;
    expect(bot, 'id-bot-… identity').toBeDefined();
    expect(ingest, 'id-ingest-… identity').toBeDefined();
    return { bot: bot.symbol, ingest: ingest.symbol };
  }

  it('grants each role to the right managed identity principal, as ServicePrincipal', () => {
    const identityFile = moduleFile('modules/identity.bicep');
    const msi = resourceOfType(identityFile, 'Microsoft.ManagedIdentity/userAssignedIdentities');
    const principalOutput = identityFile.outputs.find((o) => o.name === 'principalId');
    expect(chainOf(principalOutput!.value)).toEqual([msi.symbol, 'properties', 'principalId']);
    const symbols = identitySymbols();

    for (const [path, byParam] of Object.entries(expectedRoles)) {
      const { findings, violations } = roleAssignments(moduleFile(path));
      expect(violations, path).toEqual([]);
      const file = moduleFile(path);
      const unconditional = findings.filter(
        (f) => !file.resources.find((r) => r.symbol === f.resource)!.condition,
      );
      const granted: Record<string, string[]> = {};
      for (const f of unconditional) (granted[f.principalParam] ??= []).push(...f.roleIds);
      for (const roles of Object.values(granted)) roles.sort();
      expect(granted, path).toEqual(
        Object.fromEntries(Object.entries(byParam).map(([k, v]) => [k, v.roles])),
      );
      for (const [param, { identity }] of Object.entries(byParam)) {
        expect(chainOf(moduleParams(path).get(param)!), `${path} ${param}`).toEqual([
          symbols[identity],
          'outputs',
          'principalId',
        ]);
      }
    }
    const everyAssignment = files.flatMap((f) => roleAssignments(f).findings);
    expect(everyAssignment).toHaveLength(8);
  });

  it('gives the bot only Search Index Data Reader unless searchAppManagesIndex is set (off by default)', () => {
    const file = moduleFile('modules/search.bicep');
    const appRoles = roleAssignments(file).findings.filter((f) => f.principalParam === 'appPrincipalId');
    const conditional = appRoles.filter(
      (f) => file.resources.find((r) => r.symbol === f.resource)!.condition,
    );
    expect(conditional.map((f) => f.roleIds)).toEqual([[SERVICE_CONTRIBUTOR]]);
    const condition = file.resources.find((r) => r.symbol === conditional[0].resource)!.condition!;
    expect(condition.text).toBe('(appManagesIndex)');
    expect(file.params.find((p) => p.name === 'appManagesIndex')?.defaultValue?.text).toBe('false');
    expect(moduleParams('modules/search.bicep').get('appManagesIndex')?.text).toBe('searchAppManagesIndex');
    expect(main.params.find((p) => p.name === 'searchAppManagesIndex')?.defaultValue?.text).toBe('false');
    // The bot never gets a write role on Search, whatever the option.
    expect(appRoles.flatMap((f) => f.roleIds)).not.toContain(INDEX_CONTRIBUTOR);
    // The ingestion identity is not attached to the web app or the container app.
    const ingest = identitySymbols().ingest;
    for (const path of ['modules/appservice.bicep', 'modules/containerapp.bicep']) {
      expect(moduleCall(path).body.text, path).not.toContain(`${ingest}.outputs`);
    }
    for (const name of ['AZURE_INGEST_IDENTITY_CLIENT_ID', 'AZURE_INGEST_IDENTITY_NAME']) {
      expect(chainOf(main.outputs.find((o) => o.name === name)!.value)?.[0], name).toBe(ingest);
    }
  });

  it('catches a role assignment to a user or to a hard-coded principal', () => {
    const bad = readBicepSource(
      parser,
      `param principalId string
var role = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'
resource a 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(role)
  properties: { roleDefinitionId: role, principalId: principalId, principalType: 'User' }
}
resource b 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(role)
  properties: { roleDefinitionId: role, principalId: '11111111-1111-1111-1111-111111111111', principalType: 'ServicePrincipal' }
}
`,
    );
    const { violations } = roleAssignments(bad);
    expect(violations.some((v) => v.includes('a principalType'))).toBe(true);
    expect(violations.some((v) => v.includes('b principalId'))).toBe(true);
  });

  it('exposes no key, connection string or @secure() value in any output', () => {
    for (const file of files) {
      expect(outputSecretViolations(file), file.path).toEqual([]);
      expect(listCallViolations(file), file.path).toEqual([]);
    }
  });

  it('catches outputs that leak keys', () => {
    const bad = readBicepSource(
      parser,
      `@secure()
param adminPassword string
resource acct 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' existing = { name: 'x' }
resource ai 'Microsoft.Insights/components@2020-02-02' existing = { name: 'y' }
output endpoint string = acct.listKeys().primaryMasterKey
output primaryKey string = 'k'
output insights string = ai.properties.ConnectionString
output pwd string = adminPassword
@secure()
output hidden string = 'h'
`,
    );
    const violations = outputSecretViolations(bad).join('\n');
    expect(violations).toContain('endpoint calls listKeys()');
    expect(violations).toContain('primaryKey has a secret-like name');
    expect(violations).toContain('insights reads ai.properties.ConnectionString');
    expect(violations).toContain('exposes @secure() param adminPassword');
    expect(violations).toContain('hidden is @secure()');
    expect(listCallViolations(bad)).toHaveLength(1);
  });

  it('outputs what the Toolkit writes to env/.env.<env> for deploy and the app package', () => {
    const names = main.outputs.map((o) => o.name);
    for (const name of [
      'BOT_ID',
      'BOT_DOMAIN',
      'BOT_ENDPOINT',
      'BOT_AZURE_APP_SERVICE_RESOURCE_ID',
      'BOT_TENANT_ID',
      'AZURE_OPENAI_ENDPOINT',
      'AZURE_SEARCH_ENDPOINT',
      'AZURE_SEARCH_INDEX',
      'COSMOS_ENDPOINT',
      'COSMOS_DATABASE',
    ]) {
      expect(names, name).toContain(name);
    }
    const botDomain = unwrap(main.outputs.find((o) => o.name === 'BOT_DOMAIN')!.value);
    expect(botDomain.text).toBe('botHostName');
    expectBotHostNameFromTheHostingMode();
  });
});

describe("container path (hostingMode = 'containerApps')", () => {
  const path = 'modules/containerapp.bicep';

  it('is a parameter, App Service by default, deploying the module only when chosen', () => {
    const mode = main.params.find((p) => p.name === 'hostingMode');
    expect(stringValue(mode?.defaultValue)).toBe('appService');
    const declaration = main.root.namedChildren.find(
      (n) => n.type === 'module_declaration' && n.namedChildren[0].text === moduleCall(path).symbol,
    )!;
    const condition = declaration.namedChildren.at(-1)!;
    expect(condition.type).toBe('if_statement');
    expect(condition.namedChildren[0].text).toBe("(hostingMode == 'containerApps')");
  });

  it('deploys no App Service plan or web app in containerApps mode, and reads their outputs only in appService mode', () => {
    expect(moduleCall('modules/appservice.bicep').condition?.text).toBe("(hostingMode == 'appService')");
    expect(moduleCall(path).condition?.text).toBe("(hostingMode == 'containerApps')");
    // The two conditions cover the parameter's allowed values, one module each.
    expect(allowedValues('hostingMode')).toEqual(['appService', 'containerApps']);
    expect(unguardedModuleOutputs(main)).toEqual([]);
  });

  it('catches a conditional module output read outside its hosting mode', () => {
    const bad = readBicepSource(
      parser,
      [
        "param hostingMode string = 'appService'",
        "module app 'modules/appservice.bicep' = if (hostingMode == 'appService') {",
        "  name: 'appservice'",
        '}',
        "module ca 'modules/containerapp.bicep' = if (hostingMode == 'containerApps') {",
        "  name: 'ca'",
        '}',
        'output A string = app.outputs.name',
        "output B string = hostingMode == 'containerApps' ? app.outputs.name : ''",
        "output C string = hostingMode == 'appService' ? app.outputs.name : ca.outputs.name",
        "output D string = hostingMode == 'appService' ? '' : ca.outputs.name",
      ].join('\n'),
    );
    expect(unguardedModuleOutputs(bad)).toEqual(['A reads app.outputs', 'B reads app.outputs']);
  });

  it('pulls the image from its Azure Container Registry with the managed identity (AcrPull, no admin user)', () => {
    const file = moduleFile(path);
    const acr = resourceOfType(file, 'Microsoft.ContainerRegistry/registries');
    expect(propertyAt(acr.body, 'properties.adminUserEnabled')?.text).toBe('false');
    const app = resourceOfType(file, 'Microsoft.App/containerApps');
    expect(stringValue(propertyAt(app.body, 'identity.type'))).toBe('UserAssigned');
    const registries = propertyAt(app.body, 'properties.configuration.registries')!;
    const registry = unwrap(registries).namedChildren.find((n) => n.type === 'object')!;
    expect(chainOf(propertyAt(registry, 'server'))).toEqual([acr.symbol, 'properties', 'loginServer']);
    expect(propertyAt(registry, 'identity')?.text).toBe('identityResourceId');
    expect(propertyAt(registry, 'passwordSecretRef')).toBeNull();
    const params = moduleParams(path);
    const identity = main.modules.find((m) => m.path === 'modules/identity.bicep')!.symbol;
    expect(chainOf(params.get('identityResourceId')!)).toEqual([identity, 'outputs', 'resourceId']);
    expect(chainOf(params.get('principalId')!)).toEqual([identity, 'outputs', 'principalId']);
    expect(params.get('registryName')?.text).toContain('${resourceToken}');
  });

  it('runs multiple revisions with a traffic split: the new revision gets canaryPercent, the stable one the rest', () => {
    const file = moduleFile(path);
    const app = resourceOfType(file, 'Microsoft.App/containerApps');
    expect(stringValue(propertyAt(app.body, 'properties.configuration.activeRevisionsMode'))).toBe(
      'Multiple',
    );
    expect(propertyAt(app.body, 'properties.template.revisionSuffix')?.text).toBe('revisionSuffix');
    expect(propertyAt(app.body, 'properties.configuration.ingress.targetPort')?.text).toBe('3978');
    const traffic = file.variables.get(
      propertyAt(app.body, 'properties.configuration.ingress.traffic')!.text,
    )!;
    const text = traffic.text.replace(/\s+/g, ' ');
    expect(text).toMatch(/^empty\(stableRevisionSuffix\) \?/);
    expect(text).toContain("revisionName: '${appName}--${stableRevisionSuffix}' weight: 100 - canaryPercent");
    expect(text).toContain('latestRevision: true weight: canaryPercent');
    const canary = main.params.find((p) => p.name === 'canaryPercent');
    expect(canary?.defaultValue?.text).toBe('10');
    const probes = propertyAt(app.body, 'properties.template')!.text;
    expect(probes).toContain("path: '/healthz'");
  });
});
