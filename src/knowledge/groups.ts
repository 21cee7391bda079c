import { odata } from '@azure/search-documents';
import { EVERYONE, KnowledgeInputError } from './types';

const MAX_GROUP_LENGTH = 256;

/** Trims, lower-cases and de-duplicates groups (object ids, or EVERYONE); rejects empty or absurd values. */
export function normalizeGroups(groups: readonly unknown[] | undefined): string[] {
  const out = new Set<string>();
  for (const g of groups ?? []) {
    if (typeof g !== 'string') throw new KnowledgeInputError(`groups must be strings, got ${typeof g}`);
    const name = g.trim().toLowerCase();
    if (!name) continue;
    if (name.length > MAX_GROUP_LENGTH) throw new KnowledgeInputError('group longer than 256 characters');
    out.add(name);
  }
  return [...out];
}

/** A document's groups: the listed ones, or [EVERYONE] when none are given. */
export function documentGroups(groups: readonly unknown[] | undefined): string[] {
  const g = normalizeGroups(groups);
  return g.length ? g : [EVERYONE];
}

/** A user's groups always include EVERYONE. */
export function userGroups(groups: readonly unknown[] | undefined): string[] {
  const g = normalizeGroups(groups);
  return g.includes(EVERYONE) ? g : [EVERYONE, ...g];
}

/** Visibility rule shared by every backend: EVERYONE on the chunk, or any shared group. */
export function isVisibleTo(chunkGroups: readonly string[], groupsOfUser: readonly string[]): boolean {
  if (chunkGroups.includes(EVERYONE)) return true;
  return chunkGroups.some((g) => groupsOfUser.includes(g));
}

/** An Entra object id (user or group): a GUID, compared lower-cased. */
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && OBJECT_ID.test(value.trim());
}

/**
 * A document's access groups as they are indexed: Entra group object ids (or EVERYONE), never
 * display names, which anyone may give their own group. Returns the offending value when one is
 * not an id, so ingestion can refuse the document instead of guessing.
 */
export function documentGroupIds(
  groups: readonly unknown[] | undefined,
): { ok: true; groups: string[] } | { ok: false; invalid: string } {
  const g = documentGroups(groups);
  const invalid = g.find((x) => x !== EVERYONE && !OBJECT_ID.test(x));
  return invalid === undefined ? { ok: true, groups: g } : { ok: false, invalid };
}

/**
 * OData security-trimming filter for Azure AI Search:
 * `groups/any(g: search.in(g, 'everyone,<group id>,…', ','))`. `search.in` rather than a chain of
 * `eq` clauses: one clause however many groups a user is in (Azure's documented way to filter by
 * security group ids). The value list goes through the SDK's `odata` template (quotes doubled),
 * never raw concatenation; a group value containing the delimiter is refused.
 */
export function groupsFilter(groupsOfUser: readonly string[], field = 'groups'): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) throw new KnowledgeInputError(`invalid field name ${field}`);
  const groups = userGroups(groupsOfUser);
  if (groups.some((g) => g.includes(','))) throw new KnowledgeInputError('group ids must not contain ","');
  return `${field}/any(g: ${odata`search.in(g, ${groups.join(',')}, ',')`})`;
}
