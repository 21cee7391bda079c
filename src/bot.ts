import type { AddressInfo } from 'node:net';
import { MemoryStorage, type TurnContext } from 'botbuilder';
import type restify from 'restify';
import type { AppConfig } from './config';
import { createServer } from './server';
import { Readiness } from './readiness';
import { createAdapter } from './teams/adapter';
import { createTeamsApp } from './teams/app';
import { isAddressedToBot } from './teams/conversationGate';
import { withTyping } from './teams/typing';
import { logger } from './observability/logger';

export interface RunningBot {
  server: restify.Server;
  /** Base URL the server listens on, e.g. http://127.0.0.1:3978 */
  url: string;
  close(): Promise<void>;
}

/** Wires configuration into a listening bot server. Used by the process entry and by tests. */
export async function startBot(config: AppConfig): Promise<RunningBot> {
  const adapter = createAdapter(config);
  const storage = new MemoryStorage();
  const readiness = new Readiness();
  readiness.add({ name: 'state', mode: 'memory', check: async () => ({ ok: true }) });

  const app = createTeamsApp({ adapter, storage, maxMessageChars: config.limits.maxMessageChars });

  const onTurn = async (context: TurnContext) => {
    if (!isAddressedToBot(context.activity)) return;
    await withTyping(context, () => app.run(context));
  };

  const server = createServer({ adapter, onTurn, readiness, maxBodyBytes: config.limits.maxBodyBytes });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address}:${address.port}`;
  logger.info({ url }, 'bot listening');

  return {
    server,
    url,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
