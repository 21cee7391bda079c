import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { topSelfTime } from '../../bench/lib/cpuProfile';
import { perTurnByGroup, profileGap } from '../../bench/lib/profileGap';
import { runLoad } from '../../bench/lib/loadGenerator';
import { ReplyConnector } from '../../bench/lib/replyConnector';
import { users } from '../../test/helpers/activities';

describe('cpu profile summary', () => {
  it('aggregates self time per function from samples and time deltas', () => {
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
        {
          id: 2,
          callFrame: { functionName: 'classify', url: 'file:///app/src/nlu/classifier.ts', lineNumber: 9 },
        },
        {
          id: 3,
          callFrame: {
            functionName: 'parse',
            url: 'file:///app/node_modules/restify/lib/x.js',
            lineNumber: 0,
          },
        },
      ],
      samples: [2, 2, 3, 2],
      timeDeltas: [1000, 1000, 2000, 1000],
      startTime: 0,
      endTime: 5000,
    };
    const { totalMs, top, byArea } = topSelfTime(profile, 2);
    expect(totalMs).toBe(5);
    expect(byArea).toEqual([
      { area: 'src/nlu', selfPercent: 60 },
      { area: 'restify', selfPercent: 40 },
    ]);
    expect(top).toEqual([
      { function: 'classify', location: 'src/nlu/classifier.ts:10', selfMs: 3, selfPercent: 60 },
      { function: 'parse', location: 'restify/lib/x.js:1', selfMs: 2, selfPercent: 40 },
    ]);
  });
});

describe('load generator with the reply connector', () => {
  let bot: http.Server | undefined;
  let connector: ReplyConnector | undefined;
  afterEach(async () => {
    bot?.closeAllConnections();
    await new Promise((r) => (bot ? bot.close(r) : r(undefined)));
    await connector?.stop();
  });

  /** A stand-in bot: replies to the connector (typing first), then answers 200; fails one text with 500. */
  async function startFakeBot(): Promise<string> {
    bot = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', async () => {
        const a = JSON.parse(body);
        if (a.text === 'boom') return res.writeHead(500).end();
        const post = (activity: object) =>
          fetch(
            `${a.serviceUrl}v3/conversations/${encodeURIComponent(a.conversation.id)}/activities/${encodeURIComponent(a.id)}`,
            {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(activity),
            },
          );
        await post({ type: 'typing', replyToId: a.id });
        await post({ type: 'message', text: `echo ${a.text}`, replyToId: a.id });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => bot!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(bot!.address() as AddressInfo).port}`;
  }

  it('counts turns whose reply arrived and HTTP succeeded, and errors otherwise', async () => {
    connector = await new ReplyConnector().start();
    const botUrl = await startFakeBot();
    const result = await runLoad({
      botUrl,
      connector,
      concurrency: 3,
      turns: 12,
      timeoutMs: 2000,
      script: (_u, t) => ({ user: users.alex, text: t === 1 ? 'boom' : `turn ${t}` }),
    });
    expect(result.ok + result.errors).toBe(12);
    expect(result.errors).toBe(3); // each of the 3 users sends 'boom' as its second turn
    expect(result.errorSamples[0]).toMatch(/HTTP 500|no reply/);
    expect(result.samplesMs).toHaveLength(9);
    expect(result.latencyMs.p95).toBeGreaterThan(0);
  });

  it('rejects bad settings with a clear error', async () => {
    connector = await new ReplyConnector().start();
    await expect(
      runLoad({
        botUrl: 'http://127.0.0.1:1',
        connector,
        concurrency: 0,
        turns: 1,
        script: () => ({ user: users.alex, text: 'x' }),
      }),
    ).rejects.toThrow(/concurrency/);
  });
});

describe('cpu profile window', () => {
  it('keeps only samples inside the window', () => {
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: 'startup', url: '', lineNumber: 0 } },
        { id: 2, callFrame: { functionName: 'turn', url: '', lineNumber: 0 } },
      ],
      samples: [1, 1, 2, 2],
      timeDeltas: [100, 100, 100, 100],
      startTime: 1000,
      endTime: 1400,
    };
    // sample times: 1100, 1200, 1300, 1400
    expect(topSelfTime(profile, 5, { fromUs: 1250, toUs: 1400 }).top.map((t) => t.function)).toEqual([
      'turn',
    ]);
  });
});

describe('profile gap between two peers', () => {
  const frame = (id: number, functionName: string, url: string) => ({
    id,
    callFrame: { functionName, url, lineNumber: 0 },
  });
  const nodes = [
    frame(1, '(idle)', ''),
    frame(2, '(garbage collector)', ''),
    frame(3, 'request', 'file:///app/node_modules/@azure/cosmos/dist/index.js'),
    frame(4, 'classify', 'file:///app/src/nlu/classifier.ts'),
    frame(5, 'sendActivity', 'file:///app/node_modules/botbuilder-core/lib/turnContext.js'),
  ];
  const profileOf = (samples: number[]) => ({
    nodes,
    samples,
    timeDeltas: samples.map(() => 1000),
    startTime: 0,
    endTime: samples.length * 1000,
  });

  it('sums busy samples per group per turn, leaving idle out, and subtracts group by group', () => {
    // 2 turns each; every sample is 1 ms.
    const full = perTurnByGroup(profileOf([1, 1, 1, 3, 3, 3, 3, 4, 4, 2, 5]), 2);
    const template = perTurnByGroup(profileOf([1, 3, 3, 2, 2, 5, 1]), 2);
    expect(full.busyMsPerTurn).toBe(4);
    expect(full.groups).toEqual([
      { group: 'Cosmos client (@azure/cosmos)', msPerTurn: 2 },
      { group: 'bot: understanding + knowledge', msPerTurn: 1 },
      { group: 'garbage collection', msPerTurn: 0.5 },
      { group: 'botbuilder + connector', msPerTurn: 0.5 },
    ]);
    const gap = profileGap({ name: 'full', ...full }, { name: 'template', ...template });
    expect(gap.busyMsPerTurn).toBe(1.5);
    expect(gap.groups.slice(0, 2)).toEqual([
      { group: 'Cosmos client (@azure/cosmos)', ofMs: 2, toMs: 1, deltaMs: 1 },
      { group: 'bot: understanding + knowledge', ofMs: 1, toMs: 0, deltaMs: 1 },
    ]);
    expect(gap.groups.find((g) => g.group === 'garbage collection')?.deltaMs).toBe(-0.5);
  });
});
