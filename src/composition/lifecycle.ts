import type { AddressInfo } from 'node:net';
import type restify from 'restify';
import type { AppConfig } from '../config';
import { logger } from '../observability/logger';
import type { TurnRateLimiter } from '../security/rateLimiter';
import type { BotServices } from './services';

/** Listens on HOST:PORT, then starts the outbox dispatcher and the ticket-update notifier. */
export async function listen(
  server: restify.Server,
  config: AppConfig,
  services: BotServices,
): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address}:${address.port}`;
  services.business.dispatcher?.start();
  services.business.notifier?.start();
  logger.info({ url }, 'bot listening');
  return url;
}

/** Stops accepting, lets in-flight turns finish (bounded by `drainMs`), then flushes the outbox and stores. */
export function createShutdown(
  server: restify.Server,
  services: BotServices,
  inFlight: Set<Promise<void>>,
  limiter: TurnRateLimiter,
): (drainMs?: number) => Promise<void> {
  return async (drainMs = 10_000) => {
    const deadline = Date.now() + drainMs;
    await closeServer(server, inFlight, drainMs, deadline);
    await flushBackground(services, deadline);
    await limiter.close();
    await services.answerer.close();
    await services.knowledge.close();
    // Closed by the embedded index when it uses it; otherwise (intents only) here. Idempotent.
    await services.encoder?.close?.();
    await services.spool?.close();
    await services.stores.close();
  };
}

async function closeServer(
  server: restify.Server,
  inFlight: Set<Promise<void>>,
  drainMs: number,
  deadline: number,
): Promise<void> {
  const http = server.server;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  http.closeIdleConnections();
  const drained = await Promise.race([
    Promise.allSettled([...inFlight]).then(() => true),
    delay(drainMs).then(() => false),
  ]);
  if (!drained)
    logger.warn({ inFlight: inFlight.size }, 'shutdown: turns still running after the drain deadline');
  // A finished turn still has to write its HTTP answer: close connections as they go idle,
  // and cut the rest only at the deadline.
  const idle = setInterval(() => http.closeIdleConnections(), 25);
  await Promise.race([closed, delay(Math.max(100, deadline - Date.now()))]);
  clearInterval(idle);
  http.closeAllConnections();
  await closed;
}

async function flushBackground(services: BotServices, deadline: number): Promise<void> {
  const { dispatcher, notifier } = services.business;
  if (dispatcher) {
    // One last delivery pass for tickets created during the drain; whatever is left stays in
    // the durable outbox and is sent by the next instance (its claim expires after 60 s).
    const left = Math.max(1000, deadline - Date.now());
    await Promise.race([dispatcher.flush().catch(() => undefined), delay(left)]);
    await dispatcher.stop();
  }
  if (notifier) {
    // Same for ticket-update messages: a last pass, the rest stays queued for the next instance.
    const left = Math.max(1000, deadline - Date.now());
    await Promise.race([notifier.flush().catch(() => undefined), delay(left)]);
    await notifier.stop();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
