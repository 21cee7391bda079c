import path from 'node:path';
import type { HeapInfo } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { logger } from '../observability/logger';

/**
 * An in-process Cosmos DB (NoSQL API) protocol server on loopback, so that with no
 * COSMOS_ENDPOINT the bot runs the same @azure/cosmos code path as in Azure.
 * With a data directory its writes survive restarts (an append-only log, replayed at start; see
 * below and docs/storage.md); without one its data lives only while the process runs. It speaks HTTPS with a self-signed
 * certificate (or plain HTTP), ignores the partitionKey query option, and has no TTL or batch
 * support. A point read that misses answers substatus 1003 when the container itself is gone, as
 * Cosmos does (the readiness check relies on it).
 *
 * The server runs on its own worker thread: in Azure, Cosmos DB does its work on its own machines
 * and the bot's event loop only pays for the client side of each request. On the main thread the
 * embedded server's request parsing and query evaluation competed with turn handling (about a fifth
 * of the bot's CPU under load, see docs/measurement.md); on a worker it uses another core.
 */
export interface EmbeddedCosmos {
  endpoint: string;
  port: number;
  /**
   * Requests answered since start, by operation (`read`, `replace`, `create`, `upsert`, `query`,
   * `delete`, `patch`, `batch`, `readFeed`, `metadata`); replayed log writes are not counted. For
   * the /metrics gauge and the benchmarks' Cosmos operations per turn.
   */
  operationCounts(): Promise<Record<string, number>>;
  /**
   * The server worker's V8 heap (used and total bytes): the embedded store keeps every document in
   * this heap, so it is where its data shows (the `bot_embedded_cosmos_heap_bytes` gauge). Undefined
   * once closed.
   */
  heapBytes(): Promise<{ used: number; total: number } | undefined>;
  close(): Promise<void>;
}

// Plain CommonJS run with `eval`, so it works the same from src/ under tsx and from dist/.
// keepAlive: the server otherwise answers `connection: close`, forcing a new connection (and TLS
// handshake) per request. It is a server option the typings do not declare.
//
// Persistence (workerData.dataDir set): every write request the server answered with 2xx is
// appended to <dataDir>/log.jsonl as one JSON line and fsync'ed BEFORE the answer is sent, so an
// acknowledged write is on disk. At start the log is replayed against the fresh server (in order,
// without If-Match: the writes succeeded once, in this order) before the port is announced. A torn
// last line (a crash in the middle of an append) is dropped and cut off the file; a bad line
// anywhere else stops the start with a message naming the file.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const https = require('node:https');
const { PassThrough } = require('node:stream');
const cosmos = require(workerData.modulePath);
const create = workerData.tls ? cosmos.default : cosmos.createHttpServer;
const server = create({ keepAlive: true });
const dataDir = workerData.dataDir;
const DROP = new Set(['x-ms-date', 'x-ms-session-token', 'x-ms-activity-id', 'x-ms-client-request-id']);
let logFd;
let replaying = false;

function isWrite(req) {
  if (req.method === 'POST') {
    const q = req.headers['x-ms-documentdb-isquery'];
    if ((q && String(q).toLowerCase() === 'true') || req.headers['content-type'] === 'application/query+json') return false;
    return true;
  }
  return req.method === 'PUT' || req.method === 'DELETE' || req.method === 'PATCH';
}

function keptHeaders(headers) {
  const out = {};
  for (const [k, v] of Object.entries(headers)) {
    if ((k.startsWith('x-ms-') && !DROP.has(k)) || k === 'content-type') out[k] = v;
  }
  return out;
}

function readLog(file) {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  const records = [];
  let offset = 0;
  while (offset < text.length) {
    const nl = text.indexOf('\\n', offset);
    const line = nl === -1 ? text.slice(offset) : text.slice(offset, nl);
    const last = nl === -1 || text.slice(nl + 1).trim() === '';
    let record;
    try {
      record = line.trim() === '' ? null : JSON.parse(line);
    } catch {
      if (!last) throw new Error('embedded Cosmos log ' + file + ' is corrupt at byte ' + Buffer.byteLength(text.slice(0, offset)));
      // A torn last line: the write was never acknowledged. Cut it off so new lines start clean.
      fs.truncateSync(file, Buffer.byteLength(text.slice(0, offset)));
      parentPort.postMessage({ log: 'dropped a torn last line of the embedded Cosmos log', file });
      break;
    }
    if (record) records.push(record);
    if (nl === -1) {
      // Complete JSON but no newline: finish the line so the next append starts a new one.
      fs.appendFileSync(file, '\\n');
      break;
    }
    offset = nl + 1;
  }
  return records;
}

function send(port, record) {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(record.b, 'utf8');
    const req = (workerData.tls ? https : http).request(
      { host: '127.0.0.1', port, method: record.m, path: record.u, rejectUnauthorized: false,
        headers: { ...record.h, 'content-length': body.length, authorization: 'replay' } },
      (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const ops = Object.create(null);
function operationOf(req) {
  const parts = String(req.url || '').split('?')[0].split('/').filter(Boolean);
  const docs = parts.indexOf('docs');
  if (docs < 0) return 'metadata';
  const h = req.headers;
  if (parts.length > docs + 1)
    return ({ GET: 'read', PUT: 'replace', DELETE: 'delete', PATCH: 'patch' })[req.method] || 'other';
  if (req.method === 'GET') return 'readFeed';
  if (h['x-ms-cosmos-is-batch-request'] === 'True' || h['x-ms-cosmos-is-batch-request'] === 'true') return 'batch';
  if (String(h['x-ms-documentdb-isquery']).toLowerCase() === 'true' || String(h['content-type']).startsWith('application/query+json')) return 'query';
  if (String(h['x-ms-documentdb-is-upsert']).toLowerCase() === 'true') return 'upsert';
  return 'create';
}

const [original] = server.listeners('request');
server.removeAllListeners('request');

// Cosmos answers a point read in a container (or database) that does not exist with 404 and
// substatus 1003 ("owner resource does not exist"), and a missing item in an existing container
// with 404 and substatus 0; @vercel/cosmosdb-server sends no substatus at all. The readiness check
// tells the two apart with a cheap data-plane read, so the missing header is added here: the
// collection is looked up through the server's own handler (no network, no state change).
function docReadTarget(req) {
  if (req.method !== 'GET') return null;
  const parts = req.url.split('?')[0].split('/').filter(Boolean);
  return parts.length === 6 && parts[0] === 'dbs' && parts[2] === 'colls' && parts[4] === 'docs'
    ? { db: parts[1], coll: parts[3] }
    : null;
}
function dispatchGet(req, url) {
  return new Promise((resolve) => {
    const fakeReq = { method: 'GET', url, headers: { host: req.headers.host } };
    const fakeRes = {
      statusCode: 200,
      finished: false,
      setHeader() {},
      end() { this.finished = true; resolve(this.statusCode < 300); },
    };
    original(fakeReq, fakeRes);
  });
}
// The database first: the server's collection lookup throws (and logs) when the database is gone.
async function collectionExists(req, db, coll) {
  return (await dispatchGet(req, '/dbs/' + db)) && dispatchGet(req, '/dbs/' + db + '/colls/' + coll);
}
function withReadSubstatus(req, res) {
  const m = docReadTarget(req);
  if (!m) return false;
  const end = res.end;
  res.end = function (...args) {
    if (res.statusCode !== 404) return end.apply(this, args);
    collectionExists(req, m.db, m.coll).then(
      (exists) => {
        res.setHeader('x-ms-substatus', exists ? '0' : '1003');
        end.apply(res, args);
      },
      () => end.apply(res, args),
    );
    return res;
  };
  original(req, res);
  return true;
}

server.on('request', (req, res) => {
  if (!replaying) { const op = operationOf(req); ops[op] = (ops[op] || 0) + 1; }
  if (withReadSubstatus(req, res)) return;
  if (!logFd || replaying || !isWrite(req)) return original(req, res);
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const copy = new PassThrough();
    copy.method = req.method;
    copy.url = req.url;
    copy.headers = req.headers;
    copy.end(body);
    const end = res.end;
    res.end = function (...args) {
      if (res.statusCode >= 200 && res.statusCode < 300) {
        const line = JSON.stringify({ m: req.method, u: req.url, h: keptHeaders(req.headers), b: body.toString('utf8') }) + '\\n';
        try {
          fs.writeSync(logFd, line);
          fs.fdatasyncSync(logFd);
        } catch (err) {
          parentPort.postMessage({ log: 'embedded Cosmos log write failed: ' + (err && err.message), file: dataDir });
          res.statusCode = 500;
          return end.call(this, JSON.stringify({ code: 'InternalServerError', message: 'could not persist the write' }));
        }
      }
      return end.apply(this, args);
    };
    original(copy, res);
  });
});

async function start() {
  let records = [];
  let file;
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    file = path.join(dataDir, 'log.jsonl');
    records = readLog(file);
  }
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(workerData.port, workerData.host, () => { server.off('error', reject); resolve(); });
  });
  const port = server.address().port;
  if (file) {
    replaying = true;
    for (const record of records) {
      const status = await send(port, record);
      if (status >= 300) parentPort.postMessage({ log: 'replayed write answered ' + status + ': ' + record.m + ' ' + record.u, file });
    }
    replaying = false;
    logFd = fs.openSync(file, 'a');
  }
  parentPort.postMessage({ port, replayed: records.length });
}
start().catch((err) => parentPort.postMessage({ error: String((err && err.message) || err) }));
parentPort.on('message', (msg) => {
  if (msg === 'counts') return parentPort.postMessage({ counts: { ...ops } });
  if (msg !== 'close') return;
  if (server.closeAllConnections) server.closeAllConnections();
  server.close(() => {
    if (logFd) fs.closeSync(logFd);
    parentPort.postMessage({ closed: true });
  });
});
`;

export async function startEmbeddedCosmos(
  port = 0,
  host = '127.0.0.1',
  options: { tls?: boolean; dataDir?: string } = {},
): Promise<EmbeddedCosmos> {
  const tls = options.tls ?? true;
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : undefined;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { modulePath: require.resolve('@vercel/cosmosdb-server'), tls, port, host, dataDir },
    // The parent's loader flags (tsx) are not needed for plain CommonJS.
    execArgv: [],
  });
  const state = { closed: false };
  // Notes from the worker (a dropped torn line, a failed log write) are logged whenever they come.
  worker.on('message', (msg: WorkerMessage) => {
    if (msg.log) logger.warn({ file: msg.file }, msg.log);
  });
  const started = await workerStarted(worker);
  const actualPort = started.port!;
  if (dataDir) logger.info({ dataDir, replayedWrites: started.replayed }, 'embedded Cosmos data loaded');
  // The worker must not keep the process alive on its own (the bot closes it on shutdown).
  worker.unref();
  // A crash of the embedded server must not take the bot down with it (an 'error' event without a
  // listener would throw here): Cosmos calls then fail, the breaker opens and users get the
  // storage apology, as with an unreachable Cosmos account.
  worker.on('error', (err) => logger.error({ err }, 'embedded Cosmos server crashed'));
  worker.on('exit', (code) => {
    if (!state.closed) logger.error({ code }, 'embedded Cosmos server stopped unexpectedly');
  });
  return {
    endpoint: `${tls ? 'https' : 'http'}://${host}:${actualPort}`,
    port: actualPort,
    operationCounts: () => (state.closed ? Promise.resolve({}) : askCounts(worker)),
    heapBytes: async () => {
      if (state.closed) return undefined;
      // Worker#getHeapStatistics is Node >= 22.16 (the typings here are older). A worker that
      // stopped on its own (a crash, logged above) has no heap to report.
      const heap = worker as Worker & { getHeapStatistics?: () => Promise<HeapInfo> };
      const h = await heap.getHeapStatistics?.().catch(() => undefined);
      return h && { used: h.used_heap_size, total: h.total_heap_size };
    },
    close: async () => {
      if (state.closed) return;
      state.closed = true;
      await closeWorker(worker);
    },
  };
}

type WorkerMessage = {
  port?: number;
  replayed?: number;
  error?: string;
  log?: string;
  file?: string;
  counts?: Record<string, number>;
};

/** The worker's first answer: its port (and how many logged writes it replayed), or why it failed. */
function workerStarted(worker: Worker): Promise<WorkerMessage> {
  return new Promise<WorkerMessage>((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`embedded Cosmos worker exited (${code})`));
    const onMessage = (msg: WorkerMessage) => {
      if (msg.log || msg.counts) return;
      worker.off('error', reject);
      worker.off('exit', onExit);
      worker.off('message', onMessage);
      if (msg.port) resolve(msg);
      else {
        void worker.terminate();
        reject(new Error(`embedded Cosmos server failed to start: ${msg.error ?? 'unknown error'}`));
      }
    };
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.on('message', onMessage);
  });
}

function askCounts(worker: Worker): Promise<Record<string, number>> {
  return new Promise((resolve) => {
    const onCounts = (msg: WorkerMessage) => {
      if (!msg.counts) return;
      worker.off('message', onCounts);
      worker.unref();
      resolve(msg.counts);
    };
    // An unref'd worker's answer does not keep the process alive: hold it while we wait.
    worker.ref();
    worker.on('message', onCounts);
    worker.postMessage('counts');
  });
}

async function closeWorker(worker: Worker): Promise<void> {
  // Without this, a caller with nothing else pending (a script awaiting close()) sees its event
  // loop empty while the unref'd worker shuts down, and the process exits before close resolves.
  worker.ref();
  await new Promise<void>((resolve) => {
    worker.on('message', (msg: { closed?: boolean }) => {
      if (msg.closed) resolve();
    });
    worker.once('exit', () => resolve());
    worker.postMessage('close');
  });
  await worker.terminate();
}
