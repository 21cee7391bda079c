import { DEFAULT_PATHS } from '../defaultPaths';
import { readFile } from 'node:fs/promises';
import type { TokenCredential } from '@azure/identity';
import { LRUCache } from 'lru-cache';
import { normalizeGroups, userGroups } from './groups';
import { KnowledgeInputError, KnowledgeUnavailableError, type GroupDirectory } from './types';

const OBJECT_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function checkId(aadObjectId: string): string {
  if (typeof aadObjectId !== 'string' || !OBJECT_ID.test(aadObjectId)) {
    throw new KnowledgeInputError('aadObjectId must be a GUID');
  }
  return aadObjectId.toLowerCase();
}

export const SAMPLE_DIRECTORY_PATH = DEFAULT_PATHS.directoryFile;

/** Embedded directory: a JSON file `{ users: { <aadObjectId>: { groups: [...] } } }`. Unknown users get ['everyone']. */
export class JsonGroupDirectory implements GroupDirectory {
  private users: Promise<Map<string, string[]>> | undefined;

  constructor(private readonly path: string = SAMPLE_DIRECTORY_PATH) {}

  private async load(): Promise<Map<string, string[]>> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(this.path, 'utf8'));
    } catch (err) {
      throw new KnowledgeInputError(`cannot read group directory ${this.path}: ${(err as Error).message}`);
    }
    const users = (parsed as { users?: unknown })?.users;
    if (!users || typeof users !== 'object')
      throw new KnowledgeInputError(`${this.path}: missing "users" object`);
    return new Map(
      Object.entries(users as Record<string, { groups?: unknown }>).map(([id, u]) => [
        id.toLowerCase(),
        normalizeGroups(Array.isArray(u?.groups) ? u.groups : []),
      ]),
    );
  }

  async groupsOf(aadObjectId: string): Promise<string[]> {
    const id = checkId(aadObjectId);
    this.users ??= this.load();
    const users = await this.users.catch((err) => {
      this.users = undefined;
      throw err;
    });
    return userGroups(users.get(id) ?? []);
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
  /** Which group property becomes the group name (default displayName). */
  nameProperty?: 'displayName' | 'id';
  fetch?: typeof fetch;
  timeoutMs?: number;
}

interface GraphPage {
  value?: { id?: string; displayName?: string | null }[];
  '@odata.nextLink'?: string;
}

/**
 * Microsoft Graph: transitive group membership of a user (nested groups included), paged through
 * @odata.nextLink, cached per user with a TTL. Requires GroupMember.Read.All (application).
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
    const prop = this.opts.nameProperty ?? 'displayName';
    let url: string | undefined =
      `${this.baseUrl}/users/${encodeURIComponent(id)}/transitiveMemberOf/microsoft.graph.group?$select=displayName,id&$top=999`;
    const names: string[] = [];
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
      for (const g of page.value ?? []) {
        const name = g[prop];
        if (typeof name === 'string' && name.trim()) names.push(name);
      }
      const next: string | undefined = page['@odata.nextLink'];
      // Follow nextLink only on the configured Graph host (never send the token elsewhere).
      url = next && new URL(next).origin === new URL(this.baseUrl).origin ? next : undefined;
    }
    return normalizeGroups(names);
  }
}
