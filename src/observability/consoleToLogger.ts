import { format } from 'node:util';
import type { Logger } from 'pino';

const MAX_CHARS = 4000;
const NODE_WARNING = /^\(node:\d+\) (\[\w+\] )?\w*Warning: ([^\n]*)/;

/**
 * Sends what libraries print with console.log/info/warn/error/debug through the JSON logger, so
 * one log stream stays parseable (teams-ai's OpenAIModel, for one, `console.log`s every failed
 * model call). The text is shortened to 4,000 characters; the logger's redaction still applies to
 * the fields it adds. Returns a function that restores the original console methods.
 */
export function routeConsoleToLogger(logger: Logger): () => void {
  const original = {
    log: console.log,
    info: console.info,
    warn: console.warn,
    error: console.error,
    debug: console.debug,
  };
  // Node repeats some warnings (a deprecated API called from two modules): log each one once.
  const seenWarnings = new Set<string>();
  const to =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      const text = format(...args);
      // Node prints its own process warnings (deprecations…) with console.error: they are warnings.
      const warning = level === 'error' ? NODE_WARNING.exec(text) : null;
      if (warning) {
        const key = `${warning[1] ?? ''}${warning[2]}`;
        if (seenWarnings.has(key)) return;
        seenWarnings.add(key);
      }
      const actual = warning ? 'warn' : level;
      logger[actual]({ source: 'console' }, text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}…` : text);
    };
  console.log = to('info');
  console.info = to('info');
  console.warn = to('warn');
  console.error = to('error');
  console.debug = to('debug');
  return () => Object.assign(console, original);
}
