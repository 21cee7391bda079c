import https from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CosmosClient, type Container } from '@azure/cosmos';
import containers from '../../src/storage/containers.json';
import { seedOrders } from '../../src/orders/seedOrders';
import { startEmbeddedCosmos } from '../../src/storage/embeddedCosmos';
import { message, personalConversation, users } from '../../test/helpers/activities';
import { postJson } from '../../test/helpers/bot';
import { LocalConnector } from '../../test/helpers/connector';
import { startChildServer } from '../lib/childServer';
import { UNTHROTTLED_ENV } from '../lib/turnsBenchmark';
import type { AnswerOutcome, Answerer } from './answerEval';

/**
 * The real bot as a child process (same as production: `src/index.ts`), with its Cosmos state on an
 * embedded Cosmos-protocol server owned by this process so the evaluation can read the final
 * database state, and a LocalConnector receiving its replies.
 */
export async function startServerSession(script = 'src/index.ts') {
  const cosmos = await startEmbeddedCosmos();
  const connector = await new LocalConnector().start();
  const dataDir = mkdtempSync(join(tmpdir(), 'eval-bot-'));
  let bot;
  try {
    bot = await startChildServer({
      script,
      readyPath: '/readyz',
      startTimeoutMs: 120_000,
      env: {
        COSMOS_ENDPOINT: cosmos.endpoint,
        COSMOS_KEY: 'dummy',
        COSMOS_ALLOW_SELF_SIGNED: 'true',
        KNOWLEDGE_INDEX_PATH: join(dataDir, 'knowledge-index.json'),
        ...UNTHROTTLED_ENV,
      },
    });
  } catch (err) {
    await connector.stop();
    await cosmos.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const client = new CosmosClient({
    endpoint: cosmos.endpoint,
    key: 'dummy',
    agent: new https.Agent({ rejectUnauthorized: false }),
  });
  const database = client.database(containers.database);
  const tickets: Container = database.container('tickets');
  // With COSMOS_ENDPOINT set the bot treats Cosmos as Azure and seeds nothing; the sample orders are ours to load.
  await seedOrders(database.container('orders'));

  /** Asks one question in a fresh conversation; citations come from the reply's schema.org Message entity. */
  const answer: Answerer = async (q) => {
    const user = users[q.user];
    const conversation = personalConversation(user);
    const res = await postJson(
      `${bot.url}/api/messages`,
      message(connector.url, conversation, q.question, { user }),
    );
    if (res.status !== 200) throw new Error(`bot answered HTTP ${res.status}`);
    const replies = connector.messages(conversation.id).map((c) => c.activity);
    return parseCitedReply(replies);
  };

  return {
    botUrl: bot.url,
    connector,
    tickets,
    orders: database.container('orders'),
    returns: database.container('returns'),
    answer,
    peakRssMiB: () => bot.peakRssMiB(),
    stop: async () => {
      await bot.stop();
      await connector.stop();
      await cosmos.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface Claim {
  position?: number;
  appearance?: { name?: string; url?: string; abstract?: string };
}

/** Reads Teams citations (schema.org Message entity, Claim list) from the bot's reply activities. */
export function parseCitedReply(replies: readonly Record<string, unknown>[]): AnswerOutcome {
  const texts: string[] = [];
  const citations: AnswerOutcome['citations'] = [];
  for (const activity of replies) {
    if (typeof activity.text === 'string') texts.push(activity.text);
    for (const entity of Array.isArray(activity.entities)
      ? (activity.entities as Record<string, unknown>[])
      : []) {
      const claims = Array.isArray(entity.citation) ? (entity.citation as Claim[]) : [];
      for (const claim of claims) {
        const a = claim.appearance ?? {};
        citations.push({
          index: Number(claim.position ?? citations.length + 1),
          // A URL identifies the document best; otherwise the title without its " (p. N)" page suffix.
          source: a.url ?? (a.name ?? '').replace(/\s*\(p\. \d+\)$/, ''),
          text: a.abstract ?? '',
        });
      }
    }
  }
  return { refused: citations.length === 0, text: texts.join('\n'), citations };
}
