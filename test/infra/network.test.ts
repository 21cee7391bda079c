import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Parser } from 'web-tree-sitter';
import {
  bicepParser,
  memberChain,
  objectEntries,
  propertyAt,
  readBicep,
  readBicepSource,
  stringValue,
  unwrap,
  type BicepFile,
  type ModuleDecl,
  type Node,
} from './bicepTree';

const infra = (path: string) => join(resolve(__dirname, '..', '..'), 'infra', path);

type Value = string | boolean | number | { ref: string[] } | undefined;

/**
 * Evaluates the small expressions the private-networking switch uses (literals, params, vars,
 * `a ? b : c`, `==`, `!=`, `!`, `empty()`), with the given parameter values. Member chains
 * (`network.outputs.x`) evaluate to a reference; anything else is undefined (unknown).
 */
export function evaluate(file: BicepFile, node: Node | null, params: Record<string, Value>): Value {
  if (!node) return undefined;
  const n = unwrap(node);
  switch (n.type) {
    case 'boolean':
      return n.text === 'true';
    case 'number':
      return Number(n.text);
    case 'string':
      return stringValue(n) ?? undefined;
    case 'identifier': {
      if (n.text in params) return params[n.text];
      const param = file.params.find((p) => p.name === n.text);
      if (param) return evaluate(file, param.defaultValue, params);
      const variable = file.variables.get(n.text);
      return variable ? evaluate(file, variable, params) : { ref: [n.text] };
    }
    case 'member_expression': {
      const chain = memberChain(n);
      return chain ? { ref: chain } : undefined;
    }
    case 'ternary_expression': {
      const condition = evaluate(file, n.childForFieldName('condition'), params);
      if (typeof condition !== 'boolean') return undefined;
      return evaluate(file, n.childForFieldName(condition ? 'consequence' : 'alternative'), params);
    }
    case 'unary_expression': {
      const value = evaluate(file, n.namedChildren[0], params);
      return typeof value === 'boolean' && n.text.startsWith('!') ? !value : undefined;
    }
    case 'binary_expression': {
      const [left, right] = n.namedChildren.map((c) => evaluate(file, c, params));
      if (left === undefined || right === undefined || typeof left === 'object' || typeof right === 'object')
        return undefined;
      if (n.text.includes('!=')) return left !== right;
      if (n.text.includes('==')) return left === right;
      return undefined;
    }
    default:
      return undefined;
  }
}

let parser: Parser;
let main: BicepFile;
const files = new Map<string, BicepFile>();

beforeAll(async () => {
  parser = await bicepParser();
  main = readBicep(parser, infra('main.bicep'));
  for (const m of main.modules) if (!files.has(m.path)) files.set(m.path, readBicep(parser, infra(m.path)));
});

/** Module calls of main.bicep that deploy with these parameters (unknown conditions count as deployed). */
function deployed(params: Record<string, Value>): ModuleDecl[] {
  return main.modules.filter((m) => !m.condition || evaluate(main, m.condition, params) !== false);
}

const param = (m: ModuleDecl, name: string) => objectEntries(propertyAt(m.body, 'params')).get(name) ?? null;
const privateEndpointModules = (mods: ModuleDecl[]) =>
  mods.filter((m) =>
    files.get(m.path)!.resources.some((r) => r.type === 'Microsoft.Network/privateEndpoints'),
  );
const serviceModule = (path: string) => main.modules.find((m) => m.path === path)!;

const services = [
  { path: 'modules/cosmos.bicep', type: 'Microsoft.DocumentDB/databaseAccounts', groupId: 'Sql' },
  { path: 'modules/search.bicep', type: 'Microsoft.Search/searchServices', groupId: 'searchService' },
  { path: 'modules/openai.bicep', type: 'Microsoft.CognitiveServices/accounts', groupId: 'account' },
];

/** publicNetworkAccess the service resource ends up with (module param → resource property). */
function publicAccess(path: string, params: Record<string, Value>): string {
  const call = serviceModule(path);
  const passed = evaluate(main, param(call, 'publicNetworkAccess'), params);
  const file = files.get(path)!;
  const resource = file.resources.find((r) => services.find((s) => s.path === path)!.type === r.type)!;
  const value = evaluate(file, propertyAt(resource.body, 'properties.publicNetworkAccess'), {
    publicNetworkAccess: passed,
  });
  return String(value).toLowerCase();
}

describe('private endpoints (privateNetworking)', () => {
  it('is a bool parameter, false by default', () => {
    const p = main.params.find((x) => x.name === 'privateNetworking');
    expect(p?.defaultValue?.text).toBe('false');
  });

  it('off: no VNet, no private endpoint, public network access enabled on Cosmos DB, Search and OpenAI', () => {
    const off = deployed({});
    expect(privateEndpointModules(off)).toEqual([]);
    expect(off.map((m) => m.path)).not.toContain('modules/network.bicep');
    for (const s of services) expect(publicAccess(s.path, {}), s.path).toBe('enabled');
    expect(evaluate(main, param(serviceModule('modules/appservice.bicep'), 'vnetSubnetId'), {})).toBe('');
  });

  it('on: one private endpoint per service in its DNS zone, public network access disabled', () => {
    const on = { privateNetworking: true };
    const endpoints = privateEndpointModules(deployed(on));
    const network = main.modules.find((m) => m.path === 'modules/network.bicep')!;
    expect(deployed(on)).toContain(network);
    for (const s of services) {
      const service = serviceModule(s.path);
      const mine = endpoints.filter((m) => {
        const target = evaluate(main, param(m, 'serviceResourceId'), on);
        return typeof target === 'object' && target.ref.join('.') === `${service.symbol}.outputs.resourceId`;
      });
      expect(mine, s.path).toHaveLength(1);
      expect(evaluate(main, param(mine[0], 'groupId'), on), s.path).toBe(s.groupId);
      const zone = evaluate(main, param(mine[0], 'privateDnsZoneId'), on) as { ref: string[] };
      expect(zone.ref.slice(0, 2), s.path).toEqual([network.symbol, 'outputs']);
      expect(publicAccess(s.path, on), s.path).toBe('disabled');
      const output = files.get(s.path)!.outputs.find((o) => o.name === 'resourceId');
      expect(output, `${s.path} output resourceId`).toBeDefined();
    }
    expect(endpoints).toHaveLength(3);
    // The DNS zones the network module outputs are the privatelink zones of the three services.
    const net = files.get('modules/network.bicep')!;
    const zones = net.variables.get('privateDnsZoneNames')!.namedChildren.map((z) => stringValue(z));
    expect(zones.filter(Boolean)).toEqual([
      'privatelink.documents.azure.com',
      'privatelink.search.windows.net',
      'privatelink.openai.azure.com',
    ]);
    for (const [output, index] of [
      ['cosmosDnsZoneId', 0],
      ['searchDnsZoneId', 1],
      ['openAiDnsZoneId', 2],
    ] as const) {
      expect(unwrap(net.outputs.find((o) => o.name === output)!.value).text).toBe(`zones[${index}].id`);
    }
  });

  it('on: the web app and the Container Apps environment send their traffic through the VNet', () => {
    const on = { privateNetworking: true };
    const network = main.modules.find((m) => m.path === 'modules/network.bicep')!.symbol;
    const appSubnet = evaluate(main, param(serviceModule('modules/appservice.bicep'), 'vnetSubnetId'), on);
    expect(appSubnet).toEqual({ ref: [network, 'outputs', 'appServiceSubnetId'] });
    const caSubnet = evaluate(
      main,
      param(serviceModule('modules/containerapp.bicep'), 'infrastructureSubnetId'),
      on,
    );
    expect(caSubnet).toEqual({ ref: [network, 'outputs', 'containerAppsSubnetId'] });
    const site = files
      .get('modules/appservice.bicep')!
      .resources.find((r) => r.type === 'Microsoft.Web/sites')!;
    expect(propertyAt(site.body, 'properties.virtualNetworkSubnetId')?.text).toContain('vnetSubnetId');
    expect(propertyAt(site.body, 'properties.vnetRouteAllEnabled')?.text).toBe('!empty(vnetSubnetId)');
    const env = files
      .get('modules/containerapp.bicep')!
      .resources.find((r) => r.type === 'Microsoft.App/managedEnvironments')!;
    expect(propertyAt(env.body, 'properties.vnetConfiguration')?.text).toContain(
      'infrastructureSubnetId: infrastructureSubnetId',
    );
  });

  it('evaluates conditions and ternaries, and a template that forgets to disable access is caught', () => {
    const file = readBicepSource(
      parser,
      "param on bool = false\nvar access = on ? 'Disabled' : 'Enabled'\nvar always = 'Enabled'\n",
    );
    expect(evaluate(file, file.variables.get('access')!, {})).toBe('Enabled');
    expect(evaluate(file, file.variables.get('access')!, { on: true })).toBe('Disabled');
    expect(evaluate(file, file.variables.get('always')!, { on: true })).toBe('Enabled');
  });
});
