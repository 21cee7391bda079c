import pino from 'pino';

/**
 * The process-wide JSON logger. Message text and personal data are never logged at info level;
 * secrets are redacted by path so a stray config dump cannot leak them.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' || process.env.VITEST ? 'silent' : 'info'),
  redact: {
    paths: [
      '*.password',
      '*.key',
      '*.apiKey',
      '*.secret',
      '*.token',
      '*.authorization',
      'headers.authorization',
      'config.botPassword',
      'config.cosmosKey',
      'config.azureOpenAiApiKey',
      'config.azureSearchKey',
    ],
    censor: '[redacted]',
  },
  base: { service: 'teams-service-bot' },
});

export type Logger = typeof logger;
