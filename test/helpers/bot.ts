import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type AppConfig } from '../../src/config';
import { startBot, type RunningBot, type StartBotOptions } from '../../src/bot';
import { LocalConnector, type ConnectorCall } from './connector';
import { message, users, type ConversationRef, type TestUser } from './activities';

export interface BotUnderTest {
  bot: RunningBot;
  connector: LocalConnector;
  config: AppConfig;
  /** POSTs a JSON body to the bot's /api/messages and returns status and parsed body. */
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /**
   * Sends `text` as `user` (default Alex; @mentioning the bot outside 1:1 chats) and returns the
   * connector calls that answered exactly this message. Throws unless the bot answered HTTP 200.
   */
  say(conv: ConversationRef, text: string, user?: TestUser): Promise<ConnectorCall[]>;
  stop(): Promise<void>;
}

/** A KNOWLEDGE_INDEX_PATH in a new temp dir, so the bot ingests the sample knowledge base afresh. */
export function freshKnowledgeIndex(prefix = 'kb-'): { KNOWLEDGE_INDEX_PATH: string } {
  return { KNOWLEDGE_INDEX_PATH: join(mkdtempSync(join(tmpdir(), prefix)), 'index.json') };
}

/**
 * Starts the real server on an ephemeral loopback port with a local connector. Embedded Cosmos
 * data goes to `env.EMBEDDED_DATA_DIR` when given (kept after stop, for restart tests), otherwise
 * to a fresh temp dir removed on stop (tests never share `.data/`).
 */
export async function startBotUnderTest(
  env: Record<string, string> = {},
  options: StartBotOptions = {},
): Promise<BotUnderTest> {
  // With COSMOS_ENDPOINT the temp dir holds the transcript spool instead (TRANSCRIPT_SPOOL_DIR).
  const ownDataDir =
    (env.COSMOS_ENDPOINT && env.TRANSCRIPT_SPOOL_DIR) || (!env.COSMOS_ENDPOINT && env.EMBEDDED_DATA_DIR)
      ? undefined
      : mkdtempSync(join(tmpdir(), 'bot-cosmos-'));
  const removeOwn = () => {
    if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
  };
  const connector = await new LocalConnector().start();
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    ...(ownDataDir ? { EMBEDDED_DATA_DIR: ownDataDir, TRANSCRIPT_SPOOL_DIR: ownDataDir } : {}),
    ...env,
  });
  let bot: RunningBot;
  try {
    bot = await startBot(config, options);
  } catch (err) {
    await connector.stop();
    removeOwn();
    throw err;
  }
  return {
    bot,
    connector,
    config,
    post: (body, headers) => postJson(`${bot.url}/api/messages`, body, headers),
    say: async (conv, text, user = users.alex) => {
      const activity = message(connector.url, conv, text, { user, mention: conv.kind !== 'personal' });
      const res = await postJson(`${bot.url}/api/messages`, activity);
      if (res.status !== 200) throw new Error(`the bot answered HTTP ${res.status}`);
      return connector.messages(conv.id).filter((c) => c.activityId === activity.id);
    },
    stop: async () => {
      await bot.close();
      await connector.stop();
      removeOwn();
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
