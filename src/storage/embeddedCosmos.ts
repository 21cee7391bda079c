import { Worker } from 'node:worker_threads';
import { logger } from '../observability/logger';

/**
 * An in-process Cosmos DB (NoSQL API) protocol server on loopback, so that with no
 * COSMOS_ENDPOINT the bot runs the same @azure/cosmos code path as in Azure.
 * Its data lives only while the process runs. It speaks HTTPS with a self-signed
 * certificate (or plain HTTP), ignores the partitionKey query option, and has no TTL or batch
 * support.
 *
 * The server runs on its own worker thread: in Azure, Cosmos DB does its work on its own machines
 * and the bot's event loop only pays for the client side of each request. On the main thread the
 * embedded server's request parsing and query evaluation competed with turn handling (about a fifth
 * of the bot's CPU under load, see docs/measurement.md); on a worker it uses another core.
 */
export interface EmbeddedCosmos {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

// Plain CommonJS run with `eval`, so it works the same from src/ under tsx and from dist/.
// keepAlive: the server otherwise answers `connection: close`, forcing a new connection (and TLS
// handshake) per request. It is a server option the typings do not declare.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const cosmos = require(workerData.modulePath);
const create = workerData.tls ? cosmos.default : cosmos.createHttpServer;
const server = create({ keepAlive: true });
server.once('error', (err) => parentPort.postMessage({ error: String(err && err.message || err) }));
server.listen(workerData.port, workerData.host, () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (msg) => {
  if (msg !== 'close') return;
  if (server.closeAllConnections) server.closeAllConnections();
  server.close(() => parentPort.postMessage({ closed: true }));
});
`;

export async function startEmbeddedCosmos(
  port = 0,
  host = '127.0.0.1',
  options: { tls?: boolean } = {},
): Promise<EmbeddedCosmos> {
  const tls = options.tls ?? true;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { modulePath: require.resolve('@vercel/cosmosdb-server'), tls, port, host },
    // The parent's loader flags (tsx) are not needed for plain CommonJS.
    execArgv: [],
  });
  let closed = false;
  const actualPort = await new Promise<number>((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`embedded Cosmos worker exited (${code})`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (msg: { port?: number; error?: string }) => {
      worker.off('error', reject);
      worker.off('exit', onExit);
      if (msg.port) resolve(msg.port);
      else {
        void worker.terminate();
        reject(new Error(`embedded Cosmos server failed to start: ${msg.error ?? 'unknown error'}`));
      }
    });
  });
  // The worker must not keep the process alive on its own (the bot closes it on shutdown).
  worker.unref();
  // A crash of the embedded server must not take the bot down with it (an 'error' event without a
  // listener would throw here): Cosmos calls then fail, the breaker opens and users get the
  // storage apology, as with an unreachable Cosmos account.
  worker.on('error', (err) => logger.error({ err }, 'embedded Cosmos server crashed'));
  worker.on('exit', (code) => {
    if (!closed) logger.error({ code }, 'embedded Cosmos server stopped unexpectedly');
  });
  return {
    endpoint: `${tls ? 'https' : 'http'}://${host}:${actualPort}`,
    port: actualPort,
    close: async () => {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        worker.once('exit', () => resolve());
        worker.postMessage('close');
      });
      await worker.terminate();
    },
  };
}
