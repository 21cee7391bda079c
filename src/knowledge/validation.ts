import { documentGroups } from './groups';
import { KnowledgeInputError, type KnowledgeChunk, type SearchOptions } from './types';

export const MAX_QUERY_CHARS = 2000;
const MAX_TOP = 50;

/** Checks query and options; returns the trimmed query and resolved top (default 5). */
export function validateQuery(
  query: unknown,
  opts: SearchOptions | undefined,
): { query: string; top: number } {
  if (typeof query !== 'string') throw new KnowledgeInputError('query must be a string');
  const q = query.trim();
  if (!q) throw new KnowledgeInputError('query must not be empty');
  if (q.length > MAX_QUERY_CHARS)
    throw new KnowledgeInputError(`query longer than ${MAX_QUERY_CHARS} characters`);
  if (!opts || !Array.isArray(opts.groups))
    throw new KnowledgeInputError('opts.groups must be an array of group ids');
  const top = opts.top ?? 5;
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP)
    throw new KnowledgeInputError(`top must be an integer in [1, ${MAX_TOP}]`);
  return { query: q, top };
}

const ID = /^[A-Za-z0-9_-][A-Za-z0-9_=-]{0,1023}$/;

/** Validates chunks and returns copies with normalized (lower-cased, de-duplicated) groups. */
export function validateChunks(chunks: unknown): KnowledgeChunk[] {
  if (!Array.isArray(chunks)) throw new KnowledgeInputError('chunks must be an array');
  for (const c of chunks as Partial<KnowledgeChunk>[]) {
    if (!c || typeof c !== 'object') throw new KnowledgeInputError('chunk must be an object');
    if (typeof c.id !== 'string' || !ID.test(c.id))
      throw new KnowledgeInputError(`invalid chunk id ${String(c.id)}`);
    if (
      typeof c.content !== 'string' ||
      typeof c.title !== 'string' ||
      typeof c.source !== 'string' ||
      !c.source
    ) {
      throw new KnowledgeInputError(`chunk ${c.id}: content, title and source must be strings`);
    }
    if (!Array.isArray(c.groups) || !c.groups.length || !c.groups.every((g) => typeof g === 'string')) {
      throw new KnowledgeInputError(`chunk ${c.id}: groups must be a non-empty array of strings`);
    }
    if (!Array.isArray(c.headingPath))
      throw new KnowledgeInputError(`chunk ${c.id}: headingPath must be an array`);
  }
  return (chunks as KnowledgeChunk[]).map((c) => ({ ...c, groups: documentGroups(c.groups) }));
}
