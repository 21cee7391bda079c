import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GraphGroupDirectory,
  JsonGroupDirectory,
  KnowledgeInputError,
  KnowledgeUnavailableError,
} from '../../src/knowledge';
import { SAMPLE_GROUPS } from '../helpers/sampleGroups';

const HR_USER = '00000000-0000-0000-0000-00000000a002';
const LEGAL_USER = '00000000-0000-0000-0000-00000000a003';
const EMPLOYEE = '00000000-0000-0000-0000-00000000a001';
const G1 = '1b0c2d3e-4f50-4a61-8b72-9c83d4e5f601';
const G2 = '1b0c2d3e-4f50-4a61-8b72-9c83d4e5f602';
const G3 = '1b0c2d3e-4f50-4a61-8b72-9c83d4e5f603';

describe('JsonGroupDirectory (data/sample/directory.json)', () => {
  const dir = new JsonGroupDirectory();
  it('maps sample users to their groups, always with everyone', async () => {
    expect(await dir.groupsOf(HR_USER)).toEqual(['everyone', SAMPLE_GROUPS.hr]);
    expect(await dir.groupsOf(LEGAL_USER.toUpperCase())).toEqual(['everyone', SAMPLE_GROUPS.legal]);
    expect(await dir.groupsOf(EMPLOYEE)).toEqual(['everyone']);
    expect(await dir.groupsOf('00000000-0000-4000-8000-000000000000')).toEqual(['everyone']);
  });
  it('rejects ids that are not GUIDs', async () => {
    await expect(dir.groupsOf('../../etc/passwd')).rejects.toBeInstanceOf(KnowledgeInputError);
  });
  it('keeps labels for people only, and refuses files that name groups instead of giving ids', async () => {
    expect((await dir.groups()).map((g) => g.label).sort()).toEqual(['hr', 'legal', 'support']);
    const tmp = await mkdtemp(join(tmpdir(), 'dir-'));
    try {
      const write = async (doc: unknown) => {
        const file = join(tmp, `${Math.random()}.json`);
        await writeFile(file, JSON.stringify(doc));
        return new JsonGroupDirectory(file);
      };
      const byName = await write({ groups: {}, users: { [HR_USER]: { groups: ['hr'] } } });
      await expect(byName.groupsOf(HR_USER)).rejects.toThrow(/list "groupIds"/);
      const undeclared = await write({ groups: {}, users: { [HR_USER]: { groupIds: [SAMPLE_GROUPS.hr] } } });
      await expect(undeclared.groupsOf(HR_USER)).rejects.toThrow(/undeclared group/);
      const labelKey = await write({ groups: { hr: { label: 'hr' } }, users: {} });
      await expect(labelKey.groupsOf(HR_USER)).rejects.toThrow(/not an object id/);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});

describe('GraphGroupDirectory against a local Graph server', () => {
  let server: Server;
  let base = '';
  const seen: { url: string; auth?: string }[] = [];
  let fail = false;
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization });
      const url = new URL(req.url ?? '/', base);
      if (fail) {
        res.writeHead(500).end();
        return;
      }
      const m = /^\/v1\.0\/users\/([^/]+)\/transitiveMemberOf\/microsoft\.graph\.group$/.exec(url.pathname);
      res.setHeader('content-type', 'application/json');
      if (!m) return void res.writeHead(404).end('{}');
      if (m[1] === HR_USER && !url.searchParams.has('$skiptoken')) {
        return void res.end(
          JSON.stringify({
            value: [
              { id: G1.toUpperCase(), displayName: 'HR' },
              { id: G2, displayName: 'All Staff' },
              { id: 'not-a-guid', displayName: 'Broken' },
            ],
            '@odata.nextLink': `${base}/v1.0/users/${HR_USER}/transitiveMemberOf/microsoft.graph.group?$select=id&$skiptoken=p2`,
          }),
        );
      }
      if (m[1] === HR_USER)
        return void res.end(JSON.stringify({ value: [{ id: G3, displayName: "People Ops (O'Neil)" }] }));
      res.writeHead(404).end(JSON.stringify({ error: { code: 'Request_ResourceNotFound' } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  const scopes: string[] = [];
  const credential = {
    getToken: async (scope: string | string[]) => {
      scopes.push(...[scope].flat());
      return { token: 'graph-token', expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };

  it('follows paging, sends the bearer token, caches per user', async () => {
    const dir = new GraphGroupDirectory({ credential, baseUrl: `${base}/v1.0` });
    // Object ids, lower-cased; display names are never group names; a malformed id is skipped.
    expect(await dir.groupsOf(HR_USER)).toEqual(['everyone', G1, G2, G3]);
    expect(seen).toHaveLength(2);
    expect(seen[0]!.url).toBe(
      `/v1.0/users/${HR_USER}/transitiveMemberOf/microsoft.graph.group?$select=id&$top=999`,
    );
    expect(seen.every((r) => r.auth === 'Bearer graph-token')).toBe(true);
    expect(scopes[0]).toBe('https://graph.microsoft.com/.default');
    await dir.groupsOf(HR_USER);
    expect(seen).toHaveLength(2); // served from cache
    expect(await dir.groupsOf(EMPLOYEE)).toEqual(['everyone']); // 404: unknown user
  });

  it('expires cache entries after the TTL', async () => {
    const dir = new GraphGroupDirectory({ credential, baseUrl: `${base}/v1.0`, cacheTtlMs: 1 });
    seen.length = 0;
    await dir.groupsOf(HR_USER);
    await new Promise((r) => setTimeout(r, 10));
    await dir.groupsOf(HR_USER);
    expect(seen).toHaveLength(4);
  });

  it('throws KnowledgeUnavailableError when Graph fails', async () => {
    const dir = new GraphGroupDirectory({ credential, baseUrl: `${base}/v1.0` });
    fail = true;
    try {
      await expect(dir.groupsOf(LEGAL_USER)).rejects.toBeInstanceOf(KnowledgeUnavailableError);
    } finally {
      fail = false;
    }
  });
});
