import type { AddressInfo } from 'node:net';
import type { Server, ServerOptions } from 'node:https';
import cosmosServer, { createHttpServer } from '@vercel/cosmosdb-server';

/**
 * An in-process Cosmos DB (NoSQL API) protocol server on loopback, so that with no
 * COSMOS_ENDPOINT the bot runs the same @azure/cosmos code path as in Azure.
 * Its data lives only while the process runs. It speaks HTTPS with a self-signed
 * certificate, ignores the partitionKey query option, and has no TTL or batch support.
 */
export interface EmbeddedCosmos {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

export async function startEmbeddedCosmos(
  port = 0,
  host = '127.0.0.1',
  options: { tls?: boolean } = {},
): Promise<EmbeddedCosmos> {
  const tls = options.tls ?? true;
  // keepAlive: the server otherwise answers `connection: close`, forcing a TLS handshake per
  // request (about 3x slower per operation). It is a server option the typings do not declare.
  const server = (tls
    ? cosmosServer({ keepAlive: true } as ServerOptions)
    : createHttpServer({ keepAlive: true } as ServerOptions)) as unknown as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    endpoint: `${tls ? 'https' : 'http'}://${host}:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
