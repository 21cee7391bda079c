import pino, { type DestinationStream, type LoggerOptions } from 'pino';
import { correlationFields, type CorrelatedActivity } from './correlation';
import { logLevel } from '../config';

/**
 * The process-wide JSON logger. Message text is never logged: any `text` field is censored at
 * every level, and logged activities are reduced to correlation fields. Secrets are redacted by
 * path so a stray config or header dump cannot leak them.
 */
const REDACTED_PATHS = [
  'text',
  '*.text',
  'password',
  '*.password',
  '*.key',
  '*.apiKey',
  '*.secret',
  '*.clientSecret',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.authorization',
  '*.Authorization',
  '*.connectionString',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'config.botPassword',
  'config.cosmosKey',
  'config.azureOpenAiApiKey',
  'config.azureSearchKey',
  'config.bot.password',
  'config.cosmos.key',
  'config.llm.apiKey',
  'config.search.apiKey',
  'config.orders.token',
  'config.tickets.webhookSecret',
  'config.tickets.cardSigningSecret',
  'config.observability.metricsToken',
  'config.observability.appInsightsConnectionString',
  'config.redisUrl',
];

interface CreateLoggerOptions {
  level?: string;
  /** Where lines go (default stdout); tests pass a stream to read them back. */
  destination?: DestinationStream;
}

export function createLogger(options: CreateLoggerOptions = {}): pino.Logger {
  const config: LoggerOptions = {
    level: options.level ?? logLevel(),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'teams-service-bot' },
    serializers: {
      // An activity object in a log call becomes its correlation fields (no text, no raw ids).
      activity: (activity: CorrelatedActivity) => correlationFields(activity),
      err: pino.stdSerializers.err,
    },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}

export const logger = createLogger();

export type Logger = pino.Logger;

/**
 * A child logger for one turn: activity id, activity type, channel, hashed conversation and user
 * ids and the tenant id on every line, so one turn can be followed across modules.
 */
export function turnLogger(activity: CorrelatedActivity | null | undefined, parent: Logger = logger): Logger {
  return parent.child(correlationFields(activity));
}
