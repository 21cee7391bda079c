import { type CosmosStores, type CosmosStoresOptions, createCosmosStores } from '../../src/storage';
import { type EmbeddedCosmos, startEmbeddedCosmos } from '../../src/storage/embeddedCosmos';

/** One embedded Cosmos server and N independent SDK clients (as N bot instances would have). */
export async function embeddedWithClients(
  count: number,
  options: CosmosStoresOptions = {},
): Promise<{ server: EmbeddedCosmos; clients: CosmosStores[]; close(): Promise<void> }> {
  const server = await startEmbeddedCosmos();
  const clients: CosmosStores[] = [];
  for (let i = 0; i < count; i++) {
    clients.push(
      await createCosmosStores({
        endpoint: server.endpoint,
        key: 'test-key',
        allowSelfSignedCert: true,
        database: 'testdb',
        ...options,
      }),
    );
  }
  return {
    server,
    clients,
    close: async () => {
      for (const c of clients) await c.close();
      await server.close();
    },
  };
}
