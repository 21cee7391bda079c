// First: OpenTelemetry must hook pino, http, undici and the Azure SDKs before they load.
import { telemetry } from './observability/preload';
import { ConfigError, componentModes, loadConfig } from './config';
import { startBot } from './bot';
import { routeConsoleToLogger } from './observability/consoleToLogger';
import { logger } from './observability/logger';

/** Process entry (`npm start`, App Service): config → wiring → listen; graceful shutdown on SIGTERM. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  routeConsoleToLogger(logger);
  logger.info({ components: componentModes(config), telemetry: telemetry.exporters }, 'starting');
  const bot = await startBot(config);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight turns (up to 10 s)');
    await bot.close(10_000);
    await telemetry.shutdown();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
}

void main().catch((err) => {
  logger.fatal({ err }, 'startup failed');
  process.exit(1);
});
