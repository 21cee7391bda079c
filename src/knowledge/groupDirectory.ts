import { DEFAULT_PATHS } from '../defaultPaths';
import { readFile } from 'node:fs/promises';
import type { TokenCredential } from '@azure/identity';
import { LRUCache } from 'lru-cache';
import { isObjectId, normalizeGroups, userGroups } from './groups';
import { KnowledgeInputError, KnowledgeUnavailableError, type GroupDirectory } from './types';

function checkId(aadObjectId: string): string {
  if (!isObjectId(aadObjectId)) throw new KnowledgeInputError('aadObjectId must be a GUID');
  return aadObjectId.trim().toLowerCase();
}

export const SAMPLE_DIRECTORY_PATH = DEFAULT_PATHS.directoryFile;

/** One group of the directory file: its object id and a label for people (never matched). */
interface DirectoryGroup {
  id: string;
  label: string;
}

/**
 * Embedded directory: a JSON file
 * `{ groups: { <group object id>: { label } }, users: { <aadObjectId>: { groupIds: [...] } } }`.
 * A user's groups are object ids, like Microsoft Graph's; the labels only make the file readable.
 * Every group id a user lists must be declared under `groups` (a typo fails loudly, not closed and
 * silent). Unknown users get ['everyone'].
 */
export class JsonGroupDirectory implements GroupDirectory {
  private loaded: Promise<{ users: Map<string, string[]>; groups: DirectoryGroup[] }> | undefined;

  constructor(private readonly path: string = SAMPLE_DIRECTORY_PATH) {}

  private async load(): Promise<{ users: Map<string, string[]>; groups: DirectoryGroup[] }> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(this.path, 'utf8'));
    } catch (err) {
      throw new KnowledgeInputError(`cannot read group directory ${this.path}: ${(err as Error).message}`);
    }
    const { users, groups } = (parsed ?? {}) as { users?: unknown; groups?: unknown };
    if (!users || typeof users !== 'object')
      throw new KnowledgeInputError(`${this.path}: missing "users" object`);
    if (!groups || typeof groups !== 'object' || Array.isArray(groups))
      throw new KnowledgeInputError(`${this.path}: missing "groups" object (group object id → { label })`);
    const declared: DirectoryGroup[] = [];
    for (const [id, g] of Object.entries(groups as Record<string, { label?: unknown }>)) {
      if (!isObjectId(id))
        throw new KnowledgeInputError(`${this.path}: group "${id}" is not an object id (GUID)`);
      declared.push({ id: id.toLowerCase(), label: typeof g?.label === 'string' ? g.label : '' });
    }
    const known = new Set(declared.map((g) => g.id));
    const map = new Map<string, string[]>();
    for (const [id, u] of Object.entries(users as Record<string, { groupIds?: unknown; groups?: unknown }>)) {
      if (u?.groups !== undefined)
        throw new KnowledgeInputError(
          `${this.path}: user ${id} lists "groups" (names); list "groupIds" (group object ids) instead`,
        );
      const ids = normalizeGroups(Array.isArray(u?.groupIds) ? u.groupIds : []);
      const unknown = ids.find((g) => !known.has(g));
      if (unknown)
        throw new KnowledgeInputError(`${this.path}: user ${id} is in undeclared group "${unknown}"`);
      map.set(id.toLowerCase(), ids);
    }
    return { users: map, groups: declared };
  }

  private data() {
    this.loaded ??= this.load();
    return this.loaded.catch((err) => {
      this.loaded = undefined;
      throw err;
    });
  }

  async groupsOf(aadObjectId: string): Promise<string[]> {
    const id = checkId(aadObjectId);
    const { users } = await this.data();
    return userGroups(users.get(id) ?? []);
  }

  /** The declared groups with their labels (for tests, tools and people; never for matching). */
  async groups(): Promise<DirectoryGroup[]> {
    return (await this.data()).groups;
  }
}

export interface GraphGroupDirectoryOptions {
  credential: TokenCredential;
  /** Default https://graph.microsoft.com/v1.0 (configurable for national clouds and tests). */
  baseUrl?: string;
  /** Token scope (default https://graph.microsoft.com/.default). */
  scope?: string;
  /** Cache lifetime per user (default 10 minutes) and size (default 5000 users). */
  cacheTtlMs?: number;
  cacheMax?: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

interface GraphPage {
  value?: { id?: string }[];
  '@odata.nextLink'?: string;
}

/**
 * Microsoft Graph: transitive group membership of a user (nested groups included), paged through
 * @odata.nextLink, cached per user with a TTL. Requires GroupMember.Read.All (application).
 * A user's groups are the groups' **object ids**: display names are chosen by whoever creates a
 * group (anyone may name theirs "HR"), so they are never used for access decisions.
 */
export class GraphGroupDirectory implements GroupDirectory {
  private readonly cache: LRUCache<string, string[]>;
  private readonly baseUrl: string;

  constructor(private readonly opts: GraphGroupDirectoryOptions) {
    this.baseUrl = (opts.baseUrl ?? 'https://graph.microsoft.com/v1.0').replace(/\/+$/, '');
    this.cache = new LRUCache({ max: opts.cacheMax ?? 5000, ttl: opts.cacheTtlMs ?? 10 * 60_000 });
  }

  async groupsOf(aadObjectId: string): Promise<string[]> {
    const id = checkId(aadObjectId);
    const cached = this.cache.get(id);
    if (cached) return cached;
    const groups = userGroups(await this.fetchGroups(id));
    this.cache.set(id, groups);
    return groups;
  }

  private async fetchGroups(id: string): Promise<string[]> {
    const doFetch = this.opts.fetch ?? fetch;
    let url: string | undefined =
      `${this.baseUrl}/users/${encodeURIComponent(id)}/transitiveMemberOf/microsoft.graph.group?$select=id&$top=999`;
    const ids: string[] = [];
    for (let pages = 0; url; pages++) {
      if (pages > 100)
        throw new KnowledgeUnavailableError('microsoft-graph', 'too many pages of group membership');
      let page: GraphPage;
      try {
        const token = await this.opts.credential.getToken(
          this.opts.scope ?? 'https://graph.microsoft.com/.default',
        );
        if (!token) throw new Error('no access token');
        const res = await doFetch(url, {
          headers: {
            authorization: `Bearer ${token.token}`,
            accept: 'application/json',
            ConsistencyLevel: 'eventual',
          },
          signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
        });
        if (res.status === 404) return []; // unknown user: only 'everyone'
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        page = (await res.json()) as GraphPage;
      } catch (err) {
        throw new KnowledgeUnavailableError(
          'microsoft-graph',
          `group lookup failed: ${(err as Error).message}`,
          { cause: err },
        );
      }
      // Only well-formed object ids count. Only `id` is selected: the display name is never needed.
      for (const g of page.value ?? []) if (isObjectId(g.id)) ids.push(g.id);
      const next: string | undefined = page['@odata.nextLink'];
      // Follow nextLink only on the configured Graph host (never send the token elsewhere).
      url = next && new URL(next).origin === new URL(this.baseUrl).origin ? next : undefined;
    }
    return normalizeGroups(ids);
  }
}
