/**
 * The latency floor for bench:turns: a bare botbuilder CloudAdapter echo bot on the same restify
 * stack and process model as the real server (one Node process, JSON body parser, no auth).
 * Whatever the full pipeline adds on top of this is the cost of the bot's own work.
 *
 *   PORT=0 HOST=127.0.0.1 node --import tsx bench/floorBot.ts
 * Prints one JSON line {"url": "..."} on stdout once listening; exits on SIGTERM.
 */
import type { AddressInfo } from 'node:net';
import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type TurnContext,
} from 'botbuilder';
import restify from 'restify';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 0);

// No MicrosoftAppId: channel authentication off, outbound calls to serviceUrl are anonymous.
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));

async function echo(context: TurnContext): Promise<void> {
  if (context.activity.type === ActivityTypes.Message) {
    await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
  }
}

const server = restify.createServer({ name: 'floor-bot', handleUncaughtExceptions: false });
server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false, rejectUnknown: true }));
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, echo);
});
server.get('/healthz', async (_req, res) => {
  res.json(200, { status: 'ok' });
});

server.listen(port, host, () => {
  const address = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://${address.address}:${address.port}` })}\n`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
