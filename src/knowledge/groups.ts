import { odata } from '@azure/search-documents';
import { EVERYONE, KnowledgeInputError } from './types';

const MAX_GROUP_LENGTH = 256;

/** Trims, lower-cases and de-duplicates group names; rejects empty or absurd values. */
export function normalizeGroups(groups: readonly unknown[] | undefined): string[] {
  const out = new Set<string>();
  for (const g of groups ?? []) {
    if (typeof g !== 'string') throw new KnowledgeInputError(`group names must be strings, got ${typeof g}`);
    const name = g.trim().toLowerCase();
    if (!name) continue;
    if (name.length > MAX_GROUP_LENGTH)
      throw new KnowledgeInputError('group name longer than 256 characters');
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

/**
 * OData security-trimming filter for Azure AI Search: `groups/any(g: g eq 'a' or g eq 'b')`.
 * Every value goes through the SDK's `odata` template (quotes doubled), never raw concatenation.
 */
export function groupsFilter(groupsOfUser: readonly string[], field = 'groups'): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) throw new KnowledgeInputError(`invalid field name ${field}`);
  const clauses = userGroups(groupsOfUser).map((g) => odata`g eq ${g}`);
  return `${field}/any(g: ${clauses.join(' or ')})`;
}
