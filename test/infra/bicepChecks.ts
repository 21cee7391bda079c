/**
 * Checks over parsed Bicep files. Each returns human-readable violations (empty = pass), so the
 * tests can show both that the real templates pass and that a bad template is caught.
 */
import {
  calledFunction,
  descendants,
  memberChain,
  propertyAt,
  stringValue,
  type BicepFile,
  type Node,
} from './bicepTree';

const SECRET_NAME = /key|secret|password|connectionstring|token|sas/i;

/** Names that identify a non-secret despite matching SECRET_NAME (resource ids, not keys). */
const SECRET_NAME_ALLOWED = /^(.*_)?(RESOURCE_ID|resourceId)$/;

function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !SECRET_NAME_ALLOWED.test(name);
}

/** Outputs must never carry keys, connection strings, or @secure() values. */
export function outputSecretViolations(file: BicepFile): string[] {
  const violations: string[] = [];
  const secureParams = new Set(file.params.filter((p) => p.decorators.includes('secure')).map((p) => p.name));
  for (const output of file.outputs) {
    const where = `${file.path}: output ${output.name}`;
    if (output.decorators.includes('secure')) violations.push(`${where} is @secure()`);
    if (isSecretName(output.name)) violations.push(`${where} has a secret-like name`);
    for (const call of descendants(output.value, ['call_expression'])) {
      const fn = calledFunction(call) ?? '';
      if (/^list/i.test(fn)) violations.push(`${where} calls ${fn}()`);
    }
    for (const member of descendants(output.value, ['member_expression', 'identifier'])) {
      const chain = memberChain(member);
      const last = chain?.[chain.length - 1];
      if (last && isSecretName(last)) violations.push(`${where} reads ${chain!.join('.')}`);
    }
    for (const id of descendants(output.value, ['identifier'])) {
      if (secureParams.has(id.text)) violations.push(`${where} exposes @secure() param ${id.text}`);
    }
  }
  return violations;
}

/** No list*() call anywhere: the templates never read keys at all. */
export function listCallViolations(file: BicepFile): string[] {
  return descendants(file.root, ['call_expression'])
    .map((call) => calledFunction(call) ?? '')
    .filter((fn) => /^list/i.test(fn))
    .map((fn) => `${file.path}: calls ${fn}()`);
}

/** Resolves an identifier bound by `var` to its value node (one level), else returns the node. */
export function resolveVariable(file: BicepFile, node: Node): Node {
  if (node.type === 'identifier' && file.variables.has(node.text)) return file.variables.get(node.text)!;
  return node;
}

/** Every string literal (and interpolation-free string part) an expression mentions, variables resolved. */
export function literalsIn(file: BicepFile, node: Node): string[] {
  const out: string[] = [];
  for (const n of descendants(node, ['string', 'identifier'])) {
    const target = resolveVariable(file, n);
    if (target !== n) out.push(...literalsIn(file, target));
    else if (n.type === 'string') {
      const plain = stringValue(n);
      if (plain !== null) out.push(plain);
      else out.push(...n.namedChildren.filter((c) => c.type === 'string_content').map((c) => c.text));
    }
  }
  return out;
}

export interface RoleAssignmentFinding {
  resource: string;
  type: string;
  principalParam: string;
  roleIds: string[];
}

/**
 * Azure RBAC role assignments must name a ServicePrincipal principal taken from a module param
 * (main.bicep then wires that param to the managed identity). Cosmos data-plane assignments
 * (sqlRoleAssignments) have no principalType but the same principal rule.
 */
export function roleAssignments(file: BicepFile): {
  findings: RoleAssignmentFinding[];
  violations: string[];
} {
  const findings: RoleAssignmentFinding[] = [];
  const violations: string[] = [];
  const paramNames = new Set(file.params.map((p) => p.name));
  for (const r of file.resources) {
    const isArm = r.type === 'Microsoft.Authorization/roleAssignments';
    const isCosmos = r.type === 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments';
    if (!isArm && !isCosmos) continue;
    const where = `${file.path}: ${r.symbol}`;
    const principal = propertyAt(r.body, 'properties.principalId');
    const principalParam =
      principal?.type === 'identifier' && paramNames.has(principal.text) ? principal.text : '';
    if (!principalParam) violations.push(`${where} principalId is not a module parameter`);
    if (isArm && stringValue(propertyAt(r.body, 'properties.principalType')) !== 'ServicePrincipal') {
      violations.push(`${where} principalType is not 'ServicePrincipal'`);
    }
    const roleDefinition = propertyAt(r.body, 'properties.roleDefinitionId');
    const roleIds = roleDefinition
      ? literalsIn(file, roleDefinition).flatMap(
          (s) => s.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi) ?? [],
        )
      : [];
    if (roleIds.length !== 1) violations.push(`${where} roleDefinitionId does not resolve to one role id`);
    findings.push({ resource: r.symbol, type: r.type, principalParam, roleIds });
  }
  return { findings, violations };
}
