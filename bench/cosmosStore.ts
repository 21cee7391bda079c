/**
 * The bot's Cosmos-protocol store in a process of its own, for the soak with `--soak-store external`
 * (bench:turns): the same embedded server the bot starts in embedded mode (@vercel/cosmosdb-server
 * on a worker thread, HTTPS with a self-signed certificate on loopback, data in memory), so that the bot process's RSS is
 * measured apart from the store's documents. The bot reaches it as it would reach Azure Cosmos DB
 * (COSMOS_ENDPOINT, COSMOS_KEY).
 *
 *   PORT=0 HOST=127.0.0.1 node --import tsx bench/cosmosStore.ts
 * On PORT (plain HTTP, not the Cosmos endpoint):
 *   GET /healthz  200 once the containers exist and the sample orders are loaded
 *   GET /store    {"endpoint", "rssBytes", "mainHeapUsedBytes", "workerHeapUsedBytes",
 *                  "workerHeapTotalBytes", "operations", "documents": {container: count}}
 *   GET /transcript-bytes  {"documents", "jsonBytesPerDocument"}: the transcript documents as the
 *                  bot wrote them (JSON, without the server's _rid/_self/_etag/_ts), on average
 * Exits on SIGTERM.
 */
import http from 'node:http';
import { containersFile } from '../src/storage/containers';
import { createCosmosStores, type CosmosStores } from '../src/storage/cosmosStores';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../src/storage/embeddedCosmos';
import { seedOrders } from '../src/orders/seedOrders';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 0);

async function documentCounts(stores: CosmosStores): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { name } of containersFile.containers) {
    const { resources } = await stores.containers[name]!.items.query<number>(
      'SELECT VALUE COUNT(1) FROM c',
    ).fetchAll();
    counts[name] = resources[0] ?? 0;
  }
  return counts;
}

/** Average JSON size of the transcript documents, as the bot wrote them (system properties left out). */
async function transcriptBytes(stores: CosmosStores) {
  const { resources } = await stores.containers
    .transcripts!.items.query<Record<string, unknown>>('SELECT * FROM c')
    .fetchAll();
  let bytes = 0;
  for (const doc of resources)
    bytes += Buffer.byteLength(
      JSON.stringify(Object.fromEntries(Object.entries(doc).filter(([k]) => !k.startsWith('_')))),
    );
  return {
    documents: resources.length,
    jsonBytesPerDocument: Math.round(bytes / Math.max(1, resources.length)),
  };
}

async function describe(cosmos: EmbeddedCosmos, stores: CosmosStores) {
  const heap = await cosmos.heapBytes();
  return {
    endpoint: cosmos.endpoint,
    rssBytes: process.memoryUsage().rss,
    mainHeapUsedBytes: process.memoryUsage().heapUsed,
    workerHeapUsedBytes: heap?.used,
    workerHeapTotalBytes: heap?.total,
    operations: await cosmos.operationCounts(),
    documents: await documentCounts(stores),
  };
}

async function main(): Promise<void> {
  // HTTPS with a self-signed certificate: @azure/cosmos refuses a plain-HTTP account endpoint.
  const cosmos = await startEmbeddedCosmos(0, '127.0.0.1', { tls: true });
  // The containers and the sample orders, as the bot creates them in embedded mode (with
  // COSMOS_ENDPOINT it seeds nothing): a client of its own, like any other client of the account.
  const stores = await createCosmosStores({
    endpoint: cosmos.endpoint,
    key: 'any',
    allowSelfSignedCert: true,
    enableEndpointDiscovery: false,
    // Counting and reading every document is a scan in this server: give it time under load.
    requestTimeoutMs: 120_000,
    operationTimeoutMs: 120_000,
  });
  await seedOrders(stores.containers.orders!);
  const server = http.createServer((req, res) => {
    if (req.url === '/healthz') return void res.writeHead(200).end('ok');
    const answer = {
      '/store': () => describe(cosmos, stores),
      '/transcript-bytes': () => transcriptBytes(stores),
    }[req.url ?? ''];
    if (!answer) return void res.writeHead(404).end();
    answer().then(
      (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
      (err: Error) => res.writeHead(500).end(err.message),
    );
  });
  server.listen(port, host);
  process.on('SIGTERM', () => {
    server.close();
    void stores
      .close()
      .then(() => cosmos.close())
      .then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`cosmosStore failed: ${(err as Error).message}\n`);
  process.exit(1);
});
