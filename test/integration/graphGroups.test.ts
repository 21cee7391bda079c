import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { personalConversation, users, type TestUser } from '../helpers/activities';
import { cardsOf, cardText } from '../helpers/cards';
import type { ConnectorCall } from '../helpers/connector';
import { SAMPLE_GROUPS } from '../helpers/sampleGroups';

/**
 * Groups from Microsoft Graph through the real server (issue #14 item 4). A local Graph peer speaks
 * the documented protocol: `GET /v1.0/users/{id}/transitiveMemberOf/microsoft.graph.group` with a
 * bearer token, answering `{ value: [{ id, displayName }], '@odata.nextLink'? }`. Access follows
 * the groups' object ids only: a group anyone created and named "HR" opens nothing.
 */
const FOREIGN_HR = '0d6f1e2a-9b3c-4d5e-8f70-a1b2c3d4e5f6'; // a group someone named "HR"
const FOREIGN_SUPPORT = '0d6f1e2a-9b3c-4d5e-8f70-a1b2c3d4e5f7'; // …and one named "support"

const membership: Record<string, { id: string; displayName: string }[]> = {
  // Alex created groups called "HR" and "support" and joined them.
  [users.alex.aadObjectId]: [
    { id: FOREIGN_HR, displayName: 'HR' },
    { id: FOREIGN_SUPPORT, displayName: 'support' },
  ],
  // Bea is in the real HR group, whatever its display name is today.
  [users.bea.aadObjectId]: [{ id: SAMPLE_GROUPS.hr.toUpperCase(), displayName: 'People & Culture' }],
  // Carl is not listed by user id in config/rbac.json; his group's object id grants support_agent.
  [users.carl.aadObjectId]: [{ id: SAMPLE_GROUPS.support, displayName: 'Customer Care' }],
};

let graph: Server;
const requests: { path: string; auth?: string }[] = [];
let t: BotUnderTest;

beforeAll(async () => {
  graph = createServer((req, res) => {
    requests.push({ path: req.url ?? '', auth: req.headers.authorization });
    const url = new URL(req.url ?? '/', 'http://graph.local');
    const m = /^\/v1\.0\/users\/([^/]+)\/transitiveMemberOf\/microsoft\.graph\.group$/.exec(url.pathname);
    res.setHeader('content-type', 'application/json');
    if (req.headers.authorization !== 'Bearer graph-token') return void res.writeHead(401).end('{}');
    const groups = m ? membership[decodeURIComponent(m[1]!)] : undefined;
    if (!groups) {
      res.writeHead(404).end(JSON.stringify({ error: { code: 'Request_ResourceNotFound' } }));
      return;
    }
    res.end(JSON.stringify({ value: groups }));
  });
  await new Promise<void>((r) => graph.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(graph.address() as AddressInfo).port}/v1.0`;
  const credential: TokenCredential = {
    getToken: async () => ({ token: 'graph-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
  };
  t = await startBotUnderTest(
    { GRAPH_GROUPS: 'true', GRAPH_BASE_URL: base, ...freshKnowledgeIndex('graph-kb-') },
    { credential },
  );
}, 120_000);

afterAll(async () => {
  await t?.stop();
  await new Promise<void>((r) => graph?.close(() => r()));
});

const text = (sent: ConnectorCall[]) => JSON.stringify(sent.map((c) => c.activity));
const ask = (question: string, user: TestUser) => t.say(personalConversation(user), question, user);

describe('groups from Microsoft Graph are matched by object id', () => {
  it('a group named "HR" with a foreign object id shows no HR document', async () => {
    const sent = await ask('How many days of annual leave do I get per year?', users.alex);
    expect(text(sent)).not.toContain('25 days');
    expect(text(sent)).not.toMatch(/handbook/i);
    expect(text(sent)).toMatch(/couldn.t find/i);
    // The lookup was Graph's transitive membership, selecting only the groups' ids.
    const req = requests.find((r) => r.path.includes(users.alex.aadObjectId))!;
    expect(req.path).toBe(
      `/v1.0/users/${users.alex.aadObjectId}/transitiveMemberOf/microsoft.graph.group?$select=id&$top=999`,
    );
    expect(req.auth).toBe('Bearer graph-token');
  });

  it('the HR group by its object id shows the handbook, whatever its display name', async () => {
    const sent = await ask('How many days of annual leave do I get per year?', users.bea);
    expect(text(sent)).toContain('25 days');
    expect(text(sent)).toMatch(/Employee handbook/);
  });

  it('an RBAC role given to a group object id is granted; a group named "support" is not', async () => {
    // Carl (support group by id) may look up Alex's order…
    const carl = await ask('status of order ORD-10421', users.carl);
    expect(cardText(cardsOf(carl.find((c) => cardsOf(c).length))[0]).toLowerCase()).toContain('shipped');
    // …Alex, in a group he named "support", may not look up Bea's.
    const alex = await ask('status of order ORD-10430', users.alex);
    expect(alex.some((c) => cardsOf(c).length)).toBe(false);
    expect(text(alex)).toMatch(/couldn.t find/i);
  });
});

describe('a directory file that names groups instead of giving their ids', () => {
  it('stops start-up with a message naming the file and the fix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'directory-'));
    try {
      const file = join(dir, 'directory.json');
      await writeFile(file, JSON.stringify({ users: { [users.bea.aadObjectId]: { groups: ['hr'] } } }));
      await expect(startBotUnderTest({ DIRECTORY_FILE: file, ...freshKnowledgeIndex() })).rejects.toThrow(
        /directory\.json: missing "groups" object \(group object id → \{ label \}\)/,
      );
      await writeFile(
        file,
        JSON.stringify({ groups: {}, users: { [users.bea.aadObjectId]: { groups: ['hr'] } } }),
      );
      await expect(startBotUnderTest({ DIRECTORY_FILE: file, ...freshKnowledgeIndex() })).rejects.toThrow(
        /lists "groups" \(names\); list "groupIds" \(group object ids\) instead/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
