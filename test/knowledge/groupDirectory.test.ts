import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GraphGroupDirectory,
  JsonGroupDirectory,
  KnowledgeInputError,
  KnowledgeUnavailableError,
} from '../../src/knowledge';

const HR_USER = '00000000-0000-0000-0000-00000000a002';
const LEGAL_USER = '00000000-0000-0000-0000-00000000a003';
const EMPLOYEE = '00000000-0000-0000-0000-00000000a001';

describe('JsonGroupDirectory (data/sample/directory.json)', () => {
  const dir = new JsonGroupDirectory();
  it('maps sample users to their groups, always with everyone', async () => {
    expect(await dir.groupsOf(HR_USER)).toEqual(['everyone', 'hr']);
    expect(await dir.groupsOf(LEGAL_USER.toUpperCase())).toEqual(['everyone', 'legal']);
    expect(await dir.groupsOf(EMPLOYEE)).toEqual(['everyone']);
    expect(await dir.groupsOf('00000000-0000-4000-8000-000000000000')).toEqual(['everyone']);
  });
  it('rejects ids that are not GUIDs', async () => {
    await expect(dir.groupsOf('../../etc/passwd')).rejects.toBeInstanceOf(KnowledgeInputError);
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
              { id: 'g1', displayName: 'HR' },
              { id: 'g2', displayName: 'All Staff' },
            ],
            '@odata.nextLink': `${base}/v1.0/users/${HR_USER}/transitiveMemberOf/microsoft.graph.group?$select=displayName,id&$skiptoken=p2`,
          }),
        );
      }
      if (m[1] === HR_USER)
        return void res.end(JSON.stringify({ value: [{ id: 'g3', displayName: "People Ops (O'Neil)" }] }));
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
    expect(await dir.groupsOf(HR_USER)).toEqual(['everyone', 'hr', 'all staff', "people ops (o'neil)"]);
    expect(seen).toHaveLength(2);
    expect(seen[0]!.url).toBe(
      `/v1.0/users/${HR_USER}/transitiveMemberOf/microsoft.graph.group?$select=displayName,id&$top=999`,
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
