import { ConfigError, loadConfig } from '../config';
import { startTelemetry, type Telemetry } from './telemetry';

/**
 * Starts OpenTelemetry before anything it instruments is loaded. It is the first import of
 * src/index.ts (CommonJS: the compiled `require`s run in source order), so every way the entry is
 * started — `npm start`, the Dockerfile, App Service, the tests' bot process — gets it without a
 * `--require` flag to remember; `node --require ./dist/src/observability/preload.js <script>`
 * works as well for another entry. Only config (zod) is loaded before it, which nothing
 * instruments.
 *
 * A malformed configuration is left to src/index.ts, which reports it and exits.
 */
function start(): Telemetry | undefined {
  try {
    return startTelemetry(loadConfig());
  } catch (err) {
    if (err instanceof ConfigError) return undefined;
    throw err;
  }
}

export const telemetry: Telemetry = start() ?? {
  enabled: false,
  exporters: [],
  shutdown: async () => undefined,
};
