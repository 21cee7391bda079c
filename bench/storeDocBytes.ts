/**
 * What one turn's transcript document costs the embedded Cosmos-protocol store: runs the full bot
 * (embedded mode, its own data directory) for some turns of the bench:turns mix, takes the transcript
 * documents it wrote from the store's write log, and loads copies of them (fresh ids, spread over 1,000
 * conversations) into @vercel/cosmosdb-server's in-memory account in this process, with a full GC
 * before and after: JSON bytes per document as written, and V8 heap bytes it keeps per document.
 *
 *   npm run bench:store-bytes -- --out report/bench/store-doc-bytes.json [--turns 600] [--copies 20000]
 *     [--cwd <checkout of another version of the bot>]
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BenchUsageError, parseBenchArgs } from './lib/args';
import { startChildServer } from './lib/childServer';
import { runLoad } from './lib/loadGenerator';
import { ReplyConnector } from './lib/replyConnector';
import { embeddedBotEnv, mixScript } from './lib/turnsBenchmark';

type Doc = Record<string, unknown> & { id: string; pk: string };

/** The transcript documents the bot created, from the embedded store's write log. */
async function transcriptsWritten(turns: number, cwd: string | undefined): Promise<Doc[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'store-bytes-'));
  const connector = await new ReplyConnector().start();
  try {
    const bot = await startChildServer({
      script: 'src/index.ts',
      env: embeddedBotEnv(dataDir),
      readyPath: '/readyz',
      ...(cwd ? { cwd } : {}),
    });
    try {
      const r = await runLoad({ botUrl: bot.url, connector, concurrency: 16, turns, script: mixScript });
      if (r.errors) throw new Error(`${r.errors} turns failed: ${r.errorSamples[0]}`);
    } finally {
      await bot.stop(30_000);
    }
    const lines = readFileSync(join(dataDir, 'cosmos-full', 'log.jsonl'), 'utf8')
      .trim()
      .split('\n');
    return lines
      .map((l) => JSON.parse(l) as { m: string; u: string; b: string })
      .filter((r) => r.m === 'POST' && /\/colls\/transcripts\/docs$/.test(r.u))
      .map((r) => JSON.parse(r.b) as Doc);
  } finally {
    await connector.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function heapUsedAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Heap bytes @vercel/cosmosdb-server keeps per document, for `copies` copies of `docs`. */
function retainedBytes(docs: Doc[], copies: number, gc: () => void) {
  // The server's own account, without HTTP: what its request handler calls for a create.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Account = require('@vercel/cosmosdb-server/lib/account').default;
  const account = new Account('127.0.0.1', 1);
  account.databases.create({ id: 'db' });
  account.database('db').collections.create({ id: 't', partitionKey: { paths: ['/pk'], kind: 'Hash' } });
  const items = account.database('db').collection('t').documents;
  const body = (i: number) => {
    const d = docs[i % docs.length]!;
    return JSON.stringify({ ...d, id: `${d.id}-${i}`, pk: `${d.pk}-${i % 1000}` });
  };
  let jsonBytes = 0;
  for (let i = 0; i < copies; i++) jsonBytes += Buffer.byteLength(body(i));
  const before = heapUsedAfterGc(gc);
  // As a request arrives: a JSON body, parsed, then stored.
  for (let i = 0; i < copies; i++) items.create(JSON.parse(body(i)));
  const after = heapUsedAfterGc(gc);
  // Read after the measurement, so the store is still alive during it.
  const stored = (items as { _data: Map<string, unknown> })._data.size;
  if (stored !== copies) throw new Error(`the store holds ${stored} documents, expected ${copies}`);
  return {
    jsonBytesPerDocument: Math.round(jsonBytes / copies),
    heapBytesPerDocument: Math.round((after - before) / copies),
  };
}

async function main(): Promise<void> {
  const args = parseBenchArgs(
    process.argv.slice(2),
    {
      out: { description: 'where to write the JSON result', required: true },
      turns: { description: 'turns of the mix the bot runs (c16)', default: '600' },
      copies: { description: 'documents loaded into the in-memory store', default: '20000' },
      cwd: { description: 'checkout of the bot to run (default this one)', default: '' },
    },
    'usage: npm run bench:store-bytes -- --out <result.json> [--turns 600] [--copies 20000]',
  );
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new BenchUsageError('run with node --expose-gc (npm run bench:store-bytes does)');
  const turns = Number(args.turns);
  const copies = Number(args.copies);
  if (!(turns > 0 && copies > 0)) throw new BenchUsageError('--turns and --copies must be positive');
  const docs = await transcriptsWritten(turns, args.cwd || undefined);
  const { jsonBytesPerDocument, heapBytesPerDocument } = retainedBytes(docs, copies, gc);
  const result = {
    date: new Date().toISOString(),
    command: `npm run bench:store-bytes -- ${process.argv.slice(2).join(' ')}`,
    transcriptDocumentsWritten: docs.length,
    copies,
    jsonBytesPerDocument,
    heapBytesPerDocument,
  };
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
  process.stderr.write(`[bench:store-bytes] ${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench:store-bytes] failed: ${(error as Error).message}\n`);
  process.exit(error instanceof BenchUsageError ? 2 : 1);
});
