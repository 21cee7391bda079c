import { loadConfig, type AppConfig } from '../../src/config';
import { startBot, type RunningBot } from '../../src/bot';
import { LocalConnector } from './connector';

export interface BotUnderTest {
  bot: RunningBot;
  connector: LocalConnector;
  config: AppConfig;
  /** POSTs a JSON body to the bot's /api/messages and returns status and parsed body. */
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/** Starts the real server on an ephemeral loopback port with a local connector. */
export async function startBotUnderTest(env: Record<string, string> = {}): Promise<BotUnderTest> {
  const connector = await new LocalConnector().start();
  const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', ...env });
  const bot = await startBot(config);
  return {
    bot,
    connector,
    config,
    post: (body, headers) => postJson(`${bot.url}/api/messages`, body, headers),
    stop: async () => {
      await bot.close();
      await connector.stop();
    },
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* keep raw text */
  }
  return { status: res.status, body: parsed };
}
