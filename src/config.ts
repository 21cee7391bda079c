import { z } from 'zod';
import { join } from 'node:path';
import containers from './storage/containers.json';
import type { ResilienceSettings } from './resilience/settings';
import { DEFAULT_PATHS } from './defaultPaths';
import { AppError } from './errors';

/**
 * Typed settings read once from the environment at startup.
 *
 * Every Azure service is optional: when its settings are absent the bot uses an embedded
 * default (see `componentModes`). A half-configured service or a malformed value stops
 * startup with one message naming the variable (`ConfigError`).
 */

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const optionalUrl = optionalString.refine((v) => v === undefined || isHttpUrl(v), {
  message: 'must be an absolute http(s) URL',
});

const boolFlag = (defaultValue: boolean) =>
  optionalString.transform((v, ctx) => {
    if (v === undefined) return defaultValue;
    const lower = v.toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(lower)) return true;
    if (['0', 'false', 'no', 'off'].includes(lower)) return false;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be true or false' });
    return z.NEVER;
  });

const intInRange = (defaultValue: number, min: number, max: number) =>
  optionalString.transform((v, ctx) => {
    if (v === undefined) return defaultValue;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be an integer between ${min} and ${max}` });
      return z.NEVER;
    }
    return n;
  });

const csvList = optionalString.transform((v) =>
  v === undefined
    ? []
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
);

/** https, or http on a loopback host (a local identity provider in tests): never plain http over a network. */
const secureUrl = optionalString.refine((v) => v === undefined || isSecureUrl(v), {
  message: 'must be an https URL (http is accepted only for 127.0.0.1 or localhost)',
});

function isSecureUrl(value: string): boolean {
  try {
    const u = new URL(value);
    if (u.protocol === 'https:') return true;
    return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Every variable the bot reads, with its default; `loadConfig` below maps them onto `AppConfig`.
 * Defaults are applied here (or, for paths and names, once in the section builders below).
 */
const envSchema = z.object({
  /** Listen address. @default 0.0.0.0 on App Service, else 127.0.0.1 */
  HOST: optionalString,
  /** @default 3978 */
  PORT: intInRange(3978, 0, 65535),
  /** Set by App Service: the bot is then reachable from the internet (BOT_ID required). */
  WEBSITE_SITE_NAME: optionalString,

  /** Unset: channel authentication is off (loopback only). */
  BOT_ID: optionalString,
  BOT_PASSWORD: optionalString,
  /** @default MultiTenant */
  BOT_TYPE: optionalString.pipe(z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMsi']).optional()),
  BOT_TENANT_ID: optionalString,
  /** Overrides for botbuilder's channel authentication (sovereign clouds, tests with a local IdP). */
  // Signing keys and outbound tokens must not travel over plain http (a MITM could swap the keys).
  BOT_OPENID_METADATA_URL: secureUrl,
  BOT_TOKEN_ISSUER: optionalString,
  BOT_LOGIN_ENDPOINT: secureUrl,
  /** Comma-separated tenant ids; empty = every tenant. @default [] */
  ALLOWED_TENANT_IDS: csvList,

  /** With AZURE_OPENAI_DEPLOYMENT: the model (unset: the embedded intent model). */
  AZURE_OPENAI_ENDPOINT: optionalUrl,
  AZURE_OPENAI_DEPLOYMENT: optionalString,
  /** @default 2024-10-21 */
  AZURE_OPENAI_API_VERSION: optionalString,
  /** Unset: managed identity. */
  AZURE_OPENAI_API_KEY: optionalString,
  AZURE_OPENAI_EMBEDDING_DEPLOYMENT: optionalString,
  /** @default 1536 */
  AZURE_OPENAI_EMBEDDING_DIMENSIONS: intInRange(1536, 1, 8192),
  /** An OpenAI-compatible server instead of Azure OpenAI (with OPENAI_MODEL). */
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_API_KEY: optionalString,
  OPENAI_MODEL: optionalString,

  /** Unset: the embedded index (KNOWLEDGE_INDEX_PATH). */
  AZURE_SEARCH_ENDPOINT: optionalUrl,
  /** @default the searchIndex of src/storage/containers.json */
  AZURE_SEARCH_INDEX: optionalString,
  AZURE_SEARCH_KEY: optionalString,
  /** @default false */
  AZURE_SEARCH_SEMANTIC: boolFlag(false),
  /** Passages retrieved per question. @default 5 */
  SEARCH_TOP_K: intInRange(5, 1, 50),
  /** @default DEFAULT_PATHS.knowledgeIndex (src/defaultPaths.ts) */
  KNOWLEDGE_INDEX_PATH: optionalString,
  /** @default DEFAULT_PATHS.knowledgeDir (src/defaultPaths.ts) */
  KNOWLEDGE_DIR: optionalString,
  /** Knowledge metadata per access group (sensitivity labels). @default <KNOWLEDGE_DIR>/groups.json */
  KNOWLEDGE_GROUPS_FILE: optionalString,
  /**
   * The embedded sentence encoder (USE-lite, on a worker thread): the English intent model's sentence
   * vectors (LLM_MODE=embedded) and the dense leg of embedded hybrid search when no Azure embedding
   * deployment is set. @default none
   */
  ENCODER: z.enum(['embedded', 'none']).optional(),
  /** Old name of ENCODER (read when ENCODER is unset). */
  KNOWLEDGE_ENCODER: z.enum(['embedded', 'none']).optional(),
  /** User groups from Microsoft Graph (transitive membership) instead of DIRECTORY_FILE. @default false */
  GRAPH_GROUPS: boolFlag(false),
  GRAPH_BASE_URL: optionalUrl,
  /** @default DEFAULT_PATHS.directoryFile (src/defaultPaths.ts) */
  DIRECTORY_FILE: optionalString,

  /** Unset: the embedded Cosmos-protocol server. */
  COSMOS_ENDPOINT: optionalUrl,
  /** Unset: Entra ID (managed identity). */
  COSMOS_KEY: optionalString,
  /** @default the database of src/storage/containers.json */
  COSMOS_DATABASE: optionalString,
  /** @default false */
  COSMOS_ALLOW_SELF_SIGNED: boolFlag(false),
  /** @default true */
  COSMOS_CREATE_IF_MISSING: boolFlag(true),
  /** @default 90 */
  TRANSCRIPT_TTL_DAYS: intInRange(90, 1, 3650),
  /** @default DEFAULT_PATHS.embeddedDataDir (src/defaultPaths.ts) */
  EMBEDDED_DATA_DIR: optionalString,
  /** @default transcript-spool beside DEFAULT_PATHS.embeddedDataDir */
  TRANSCRIPT_SPOOL_DIR: optionalString,
  /** @default 5000 */
  TRANSCRIPT_SPOOL_DRAIN_MS: intInRange(5000, 50, 600_000),
  /** The model's memory: the last N turns (plus a running summary). @default 10 */
  MEMORY_WINDOW_TURNS: intInRange(10, 1, 100),
  /** @default 1500 */
  MEMORY_TOKEN_BUDGET: intInRange(1500, 100, 100_000),

  /** Unset: the sample orders in Cosmos. */
  ORDERS_API_URL: optionalUrl,
  ORDERS_API_TOKEN: optionalString,
  TICKETS_WEBHOOK_URL: optionalUrl,
  TICKETS_WEBHOOK_SECRET: optionalString,
  /** How often tickets whose outbox write was lost are re-enqueued from ticket state (ms). @default 60000 */
  TICKETS_WEBHOOK_RECONCILE_MS: intInRange(60_000, 100, 24 * 3600_000),
  /** Unset: a secret shared through Cosmos (src/storage/sharedSecret.ts). */
  CARD_SIGNING_SECRET: optionalString,
  /** @default [] */
  RBAC_SUPPORT_AGENT_IDS: csvList,
  /** @default DEFAULT_PATHS.rbacPolicy (src/defaultPaths.ts) */
  RBAC_POLICY_FILE: optionalString,
  /** Where handoff notices go when no support channel was registered at run time. */
  SUPPORT_CONVERSATION_ID: optionalString,
  SUPPORT_SERVICE_URL: secureUrl,
  /** @default 10 */
  HANDOFF_TRANSCRIPT_TURNS: intInRange(10, 1, 50),
  /** Days after delivery in which start_return accepts an order (the returns policy's window). @default 30 */
  RETURN_WINDOW_DAYS: intInRange(30, 1, 365),
  /** The returns policy's exceptions: holiday season, member windows, non-returnable items. @default DEFAULT_PATHS.returnsPolicy */
  RETURNS_POLICY_FILE: optionalString,

  /** @default 262144 (256 KiB) */
  MAX_BODY_BYTES: intInRange(256 * 1024, 1024, 10 * 1024 * 1024),
  /** @default 4000 */
  MAX_MESSAGE_CHARS: intInRange(4000, 10, 100_000),
  /** Stream answers in 1:1 chats. @default true */
  STREAMING: boolFlag(true),
  /** Bearer token GET /metrics requires; unset: /metrics is unprotected. */
  METRICS_TOKEN: optionalString,
  APPLICATIONINSIGHTS_CONNECTION_STRING: optionalString,
  /** OTLP/HTTP base URL (…/v1/traces, /v1/logs, /v1/metrics are appended), e.g. a collector at http://127.0.0.1:4318. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  /** @default teams-service-bot */
  OTEL_SERVICE_NAME: optionalString,
  /** How often metrics are exported over OpenTelemetry, ms. @default 60000 */
  OTEL_METRIC_EXPORT_INTERVAL: intInRange(60_000, 100, 3600_000),
  /** pino level (fatal, error, warn, info, debug, trace, silent); read by `logLevel`. @default info (silent under tests) */
  LOG_LEVEL: optionalString,
  /** Knowledge answers are cached this long (0 = no answer cache). @default 3600 */
  ANSWER_CACHE_TTL_SECONDS: intInRange(3600, 0, 7 * 86_400),
  /** In-memory answer cache size (without REDIS_URL). @default 1000 */
  ANSWER_CACHE_MAX_ENTRIES: intInRange(1000, 1, 1_000_000),
  /** How often the index version (what a re-ingest changes) is re-read for the answer cache, ms. @default 5000 */
  ANSWER_CACHE_VERSION_CHECK_MS: intInRange(5000, 0, 3600_000),
  /** Rate-limit counters and the answer cache shared across instances; unset: in memory, per process. */
  REDIS_URL: optionalString.refine((v) => v === undefined || /^rediss?:\/\//.test(v), {
    message: 'must be a redis:// or rediss:// URL',
  }),
  /** @default 30 */
  RATE_LIMIT_USER_PER_MIN: intInRange(30, 1, 100_000),
  /** @default 600 */
  RATE_LIMIT_TENANT_PER_MIN: intInRange(600, 1, 10_000_000),

  // Time budgets and breakers. Teams waits 15 s for the answer to an activity, so one model call
  // (its retries included) gets 12 s and one search attempt 4 s.
  /** Bound on one model call including its retries, ms. @default 12000 */
  LLM_TIMEOUT_MS: intInRange(12_000, 100, 300_000),
  /** Bound on one search attempt, ms (2 retries with jitter). @default 4000 */
  SEARCH_TIMEOUT_MS: intInRange(4000, 50, 60_000),
  /** Consecutive failures that open a dependency's circuit. @default 5 */
  CIRCUIT_FAILURE_THRESHOLD: intInRange(5, 1, 1000),
  /** Time an open circuit waits before one trial call, ms. @default 10000 */
  CIRCUIT_HALF_OPEN_AFTER_MS: intInRange(10_000, 100, 600_000),
  /** How often the ticket outbox is polled for due webhooks, ms. @default 5000 */
  TICKETS_WEBHOOK_POLL_MS: intInRange(5000, 100, 600_000),
  /** false = always use COSMOS_ENDPOINT, never the account's regional endpoints (behind a proxy). @default true */
  COSMOS_ENDPOINT_DISCOVERY: boolFlag(true),
});

/**
 * The log level (LOG_LEVEL), read on its own: the logger exists before `loadConfig` runs, since
 * every module logs through it. @default info, silent under tests (NODE_ENV=test or Vitest)
 */
export function logLevel(env: NodeJS.ProcessEnv = process.env): string {
  return (
    envSchema.shape.LOG_LEVEL.parse(env.LOG_LEVEL) ??
    (env.NODE_ENV === 'test' || env.VITEST ? 'silent' : 'info')
  );
}

export type Env = z.infer<typeof envSchema>;

export type ComponentMode = 'azure' | 'openai-compatible' | 'rest' | 'graph' | 'embedded';

export interface AppConfig {
  host: string;
  port: number;
  bot: {
    id?: string;
    password?: string;
    type: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMsi';
    tenantId?: string;
    /** True when BOT_ID is set: every request must carry a valid Bot Framework JWT. */
    authEnabled: boolean;
    openIdMetadataUrl?: string;
    tokenIssuer?: string;
    loginEndpoint?: string;
    allowedTenantIds: string[];
  };
  llm:
    | { mode: 'embedded' }
    | { mode: 'azure'; endpoint: string; deployment: string; apiVersion: string; apiKey?: string }
    | { mode: 'openai-compatible'; baseUrl: string; apiKey?: string; model: string };
  embeddingDeployment?: string;
  embeddingDimensions: number;
  /**
   * The embedded sentence encoder (ENCODER, old name KNOWLEDGE_ENCODER): one instance serves the
   * English intent model (embedded LLM mode) and the embedded index (unless Azure embeddings do).
   */
  encoder: 'embedded' | 'none';
  search:
    | { mode: 'embedded'; indexPath: string; encoder: 'azure' | 'embedded' | 'none' }
    | { mode: 'azure'; endpoint: string; index: string; apiKey?: string; semantic: boolean };
  searchTopK: number;
  knowledgeDir: string;
  /** Per-group knowledge metadata (sensitivity labels); a missing file means no labels. */
  knowledgeGroupsFile: string;
  groups: { mode: 'graph'; baseUrl?: string } | { mode: 'embedded'; directoryFile: string };
  cosmos: {
    mode: 'azure' | 'embedded';
    endpoint?: string;
    key?: string;
    database: string;
    allowSelfSignedCert: boolean;
    createIfMissing: boolean;
    transcriptTtlDays: number;
    /** Embedded mode only: the directory of the Cosmos-protocol server's write log (EMBEDDED_DATA_DIR). */
    embeddedDataDir: string;
    /** With COSMOS_ENDPOINT: the durable local queue transcript entries go through (TRANSCRIPT_SPOOL_DIR). */
    transcriptSpoolDir: string;
    transcriptSpoolDrainMs: number;
  };
  memory: { windowTurns: number; tokenBudget: number };
  orders: { mode: 'rest'; url: string; token?: string } | { mode: 'embedded' };
  /** cardSigningSecret unset: a secret shared through Cosmos is used (see storage/sharedSecret.ts). */
  tickets: {
    webhookUrl?: string;
    webhookSecret?: string;
    /** Interval of the outbox reconciler (TICKETS_WEBHOOK_RECONCILE_MS); it also runs at start. */
    webhookReconcileMs: number;
    cardSigningSecret?: string;
  };
  rbac: { supportAgentIds: string[]; policyFile: string };
  /**
   * request_human: the configured support conversation (a registered one wins, see
   * notifications/supportChannelStore.ts) and how many turns go onto the handoff ticket.
   */
  support: { conversationId?: string; serviceUrl?: string; transcriptTurns: number };
  /** start_return: how many days after delivery an order may be returned. */
  returns: { windowDays: number; policyFile: string };
  limits: { maxBodyBytes: number; maxMessageChars: number };
  /** Stream answers in 1:1 chats (informative update, text chunks, final message); never in shared ones. */
  streaming: boolean;
  observability: {
    metricsToken?: string;
    appInsightsConnectionString?: string;
    otlpEndpoint?: string;
    serviceName: string;
    metricExportIntervalMs: number;
  };
  redisUrl?: string;
  /** Knowledge answers cached per question, groups and index version (src/knowledge/answerCache.ts). */
  answerCache: { ttlSeconds: number; maxEntries: number; versionCheckMs: number };
  /** Turns per minute before the bot answers "slow down" (see src/security/rateLimiter.ts). */
  rateLimit: { userPerMinute: number; tenantPerMinute: number };
  /** Time budgets, retries and circuit breakers of every dependency (src/resilience). */
  resilience: ResilienceSettings;
}

export class ConfigError extends AppError {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super('CONFIG_INVALID', `Invalid configuration: ${variable} ${detail}`);
  }
}

/** Parses and cross-checks the environment. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const e = parseEnv(env);
  checkPairs(e);
  checkExposure(e);
  const onAppService = e.WEBSITE_SITE_NAME !== undefined;
  const llm = llmSection(e);
  return {
    // App Service forwards to the port it sets; everywhere else stay on loopback unless told otherwise.
    host: e.HOST ?? (onAppService ? '0.0.0.0' : '127.0.0.1'),
    port: e.PORT,
    bot: botSection(e),
    llm,
    embeddingDeployment: e.AZURE_OPENAI_EMBEDDING_DEPLOYMENT,
    embeddingDimensions: e.AZURE_OPENAI_EMBEDDING_DIMENSIONS,
    encoder: encoderSetting(e),
    ...knowledgeSection(e, llm),
    cosmos: cosmosSection(e),
    memory: { windowTurns: e.MEMORY_WINDOW_TURNS, tokenBudget: e.MEMORY_TOKEN_BUDGET },
    ...businessSection(e),
    limits: { maxBodyBytes: e.MAX_BODY_BYTES, maxMessageChars: e.MAX_MESSAGE_CHARS },
    streaming: e.STREAMING,
    observability: observabilitySection(e),
    redisUrl: e.REDIS_URL,
    answerCache: {
      ttlSeconds: e.ANSWER_CACHE_TTL_SECONDS,
      maxEntries: e.ANSWER_CACHE_MAX_ENTRIES,
      versionCheckMs: e.ANSWER_CACHE_VERSION_CHECK_MS,
    },
    rateLimit: { userPerMinute: e.RATE_LIMIT_USER_PER_MIN, tenantPerMinute: e.RATE_LIMIT_TENANT_PER_MIN },
    resilience: resilienceSection(e),
  };
}

function parseEnv(env: NodeJS.ProcessEnv): Env {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue.path[0] ?? 'environment');
    throw new ConfigError(variable, issue.message === 'Required' ? 'is required' : issue.message);
  }
  return parsed.data;
}

/** Variables that only mean something together (a key without its endpoint, one model not two). */
function checkPairs(e: Env): void {
  requireTogether(e, 'BOT_PASSWORD', 'BOT_ID');
  if (e.BOT_TYPE === 'SingleTenant' || e.BOT_TYPE === 'UserAssignedMsi')
    requireTogether(e, 'BOT_TYPE', 'BOT_TENANT_ID');
  requireTogether(e, 'AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_DEPLOYMENT');
  requireTogether(e, 'AZURE_OPENAI_DEPLOYMENT', 'AZURE_OPENAI_ENDPOINT');
  requireTogether(e, 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT');
  requireTogether(e, 'AZURE_OPENAI_EMBEDDING_DEPLOYMENT', 'AZURE_OPENAI_ENDPOINT');
  requireTogether(e, 'OPENAI_BASE_URL', 'OPENAI_MODEL');
  requireTogether(e, 'OPENAI_MODEL', 'OPENAI_BASE_URL');
  requireTogether(e, 'AZURE_SEARCH_KEY', 'AZURE_SEARCH_ENDPOINT');
  requireTogether(e, 'AZURE_SEARCH_INDEX', 'AZURE_SEARCH_ENDPOINT');
  requireTogether(e, 'COSMOS_KEY', 'COSMOS_ENDPOINT');
  requireTogether(e, 'TICKETS_WEBHOOK_URL', 'TICKETS_WEBHOOK_SECRET');
  requireTogether(e, 'ORDERS_API_TOKEN', 'ORDERS_API_URL');
  requireTogether(e, 'SUPPORT_CONVERSATION_ID', 'SUPPORT_SERVICE_URL');
  requireTogether(e, 'SUPPORT_SERVICE_URL', 'SUPPORT_CONVERSATION_ID');
  if (e.AZURE_OPENAI_ENDPOINT && e.OPENAI_BASE_URL) {
    throw new ConfigError(
      'OPENAI_BASE_URL',
      'cannot be set together with AZURE_OPENAI_ENDPOINT; choose one model',
    );
  }
}

/** Nothing reachable from a network without channel authentication, no credentials over plain http. */
function checkExposure(e: Env): void {
  const onAppService = e.WEBSITE_SITE_NAME !== undefined;
  // On App Service the bot is reachable from the internet: channel authentication cannot be off.
  if (onAppService && !e.BOT_ID) {
    throw new ConfigError('BOT_ID', 'is required on App Service (otherwise anyone could post to the bot)');
  }
  // Listening beyond loopback without channel authentication exposes an unauthenticated bot.
  if (!onAppService && !e.BOT_ID && e.HOST !== undefined && !isLoopbackHost(e.HOST)) {
    throw new ConfigError('BOT_ID', `is required when HOST (${e.HOST}) is not a loopback address`);
  }
  // Endpoints that carry credentials (a key, a token or a signed body) need https unless on loopback.
  const credentialed: [keyof Env, boolean][] = [
    ['AZURE_OPENAI_ENDPOINT', true],
    ['OPENAI_BASE_URL', e.OPENAI_API_KEY !== undefined],
    ['AZURE_SEARCH_ENDPOINT', true],
    ['GRAPH_BASE_URL', true],
    ['ORDERS_API_URL', e.ORDERS_API_TOKEN !== undefined],
    ['TICKETS_WEBHOOK_URL', true],
  ];
  for (const [name, carriesCredentials] of credentialed) {
    const value = e[name];
    if (carriesCredentials && typeof value === 'string' && !isSecureUrl(value)) {
      throw new ConfigError(
        name,
        'must be an https URL: it carries credentials (http is accepted only for 127.0.0.1 or localhost)',
      );
    }
  }
}

function botSection(e: Env): AppConfig['bot'] {
  return {
    id: e.BOT_ID,
    password: e.BOT_PASSWORD,
    type: e.BOT_TYPE ?? 'MultiTenant',
    tenantId: e.BOT_TENANT_ID,
    authEnabled: e.BOT_ID !== undefined,
    openIdMetadataUrl: e.BOT_OPENID_METADATA_URL,
    tokenIssuer: e.BOT_TOKEN_ISSUER,
    loginEndpoint: e.BOT_LOGIN_ENDPOINT,
    allowedTenantIds: e.ALLOWED_TENANT_IDS,
  };
}

function llmSection(e: Env): AppConfig['llm'] {
  if (e.AZURE_OPENAI_ENDPOINT)
    return {
      mode: 'azure',
      endpoint: e.AZURE_OPENAI_ENDPOINT,
      deployment: e.AZURE_OPENAI_DEPLOYMENT!,
      apiVersion: e.AZURE_OPENAI_API_VERSION ?? '2024-10-21',
      apiKey: e.AZURE_OPENAI_API_KEY,
    };
  if (e.OPENAI_BASE_URL)
    return {
      mode: 'openai-compatible',
      baseUrl: e.OPENAI_BASE_URL,
      apiKey: e.OPENAI_API_KEY,
      model: e.OPENAI_MODEL!,
    };
  return { mode: 'embedded' };
}

/** ENCODER, or its old name KNOWLEDGE_ENCODER. */
function encoderSetting(e: Env): 'embedded' | 'none' {
  return e.ENCODER ?? e.KNOWLEDGE_ENCODER ?? 'none';
}

/** Search, the knowledge folder and the group directory: what `npm run ingest` reads as well. */
function knowledgeSection(
  e: Env,
  llm: AppConfig['llm'],
): Pick<AppConfig, 'search' | 'searchTopK' | 'knowledgeDir' | 'knowledgeGroupsFile' | 'groups'> {
  return {
    search: e.AZURE_SEARCH_ENDPOINT
      ? {
          mode: 'azure',
          endpoint: e.AZURE_SEARCH_ENDPOINT,
          index: e.AZURE_SEARCH_INDEX ?? containers.searchIndex,
          apiKey: e.AZURE_SEARCH_KEY,
          semantic: e.AZURE_SEARCH_SEMANTIC,
        }
      : {
          mode: 'embedded',
          indexPath: e.KNOWLEDGE_INDEX_PATH ?? DEFAULT_PATHS.knowledgeIndex,
          encoder:
            llm.mode === 'azure' && e.AZURE_OPENAI_EMBEDDING_DEPLOYMENT
              ? 'azure'
              : // Opt-in: every process loads the encoder worker and encodes the whole index
                // (sentence re-ranker, docs/knowledge.md); its DEV gain did not carry over to EVAL.
                encoderSetting(e),
        },
    searchTopK: e.SEARCH_TOP_K,
    knowledgeDir: e.KNOWLEDGE_DIR ?? DEFAULT_PATHS.knowledgeDir,
    knowledgeGroupsFile:
      e.KNOWLEDGE_GROUPS_FILE ?? join(e.KNOWLEDGE_DIR ?? DEFAULT_PATHS.knowledgeDir, 'groups.json'),
    groups: e.GRAPH_GROUPS
      ? { mode: 'graph', baseUrl: e.GRAPH_BASE_URL }
      : { mode: 'embedded', directoryFile: e.DIRECTORY_FILE ?? DEFAULT_PATHS.directoryFile },
  };
}

function cosmosSection(e: Env): AppConfig['cosmos'] {
  return {
    mode: e.COSMOS_ENDPOINT ? 'azure' : 'embedded',
    endpoint: e.COSMOS_ENDPOINT,
    key: e.COSMOS_KEY,
    database: e.COSMOS_DATABASE ?? containers.database,
    allowSelfSignedCert: e.COSMOS_ALLOW_SELF_SIGNED,
    createIfMissing: e.COSMOS_CREATE_IF_MISSING,
    transcriptTtlDays: e.TRANSCRIPT_TTL_DAYS,
    // Where the embedded Cosmos-protocol server keeps its data (only without COSMOS_ENDPOINT).
    embeddedDataDir: e.EMBEDDED_DATA_DIR ?? DEFAULT_PATHS.embeddedDataDir,
    transcriptSpoolDir:
      e.TRANSCRIPT_SPOOL_DIR ?? join(DEFAULT_PATHS.embeddedDataDir, '..', 'transcript-spool'),
    transcriptSpoolDrainMs: e.TRANSCRIPT_SPOOL_DRAIN_MS,
  };
}

/** Orders, tickets, RBAC, support handoff and returns: the business services' settings. */
function businessSection(e: Env): Pick<AppConfig, 'orders' | 'tickets' | 'rbac' | 'support' | 'returns'> {
  return {
    orders: e.ORDERS_API_URL
      ? { mode: 'rest', url: e.ORDERS_API_URL, token: e.ORDERS_API_TOKEN }
      : { mode: 'embedded' },
    tickets: {
      webhookUrl: e.TICKETS_WEBHOOK_URL,
      webhookSecret: e.TICKETS_WEBHOOK_SECRET,
      webhookReconcileMs: e.TICKETS_WEBHOOK_RECONCILE_MS,
      cardSigningSecret: e.CARD_SIGNING_SECRET,
    },
    rbac: {
      supportAgentIds: e.RBAC_SUPPORT_AGENT_IDS,
      policyFile: e.RBAC_POLICY_FILE ?? DEFAULT_PATHS.rbacPolicy,
    },
    support: {
      conversationId: e.SUPPORT_CONVERSATION_ID,
      serviceUrl: e.SUPPORT_SERVICE_URL,
      transcriptTurns: e.HANDOFF_TRANSCRIPT_TURNS,
    },
    returns: {
      windowDays: e.RETURN_WINDOW_DAYS,
      policyFile: e.RETURNS_POLICY_FILE ?? DEFAULT_PATHS.returnsPolicy,
    },
  };
}

function observabilitySection(e: Env): AppConfig['observability'] {
  return {
    metricsToken: e.METRICS_TOKEN,
    appInsightsConnectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
    serviceName: e.OTEL_SERVICE_NAME ?? 'teams-service-bot',
    metricExportIntervalMs: e.OTEL_METRIC_EXPORT_INTERVAL,
  };
}

function resilienceSection(e: Env): ResilienceSettings {
  return {
    llmTimeoutMs: e.LLM_TIMEOUT_MS,
    searchTimeoutMs: e.SEARCH_TIMEOUT_MS,
    searchRetries: 2,
    ordersRetries: 2,
    breaker: {
      consecutiveFailures: e.CIRCUIT_FAILURE_THRESHOLD,
      halfOpenAfterMs: e.CIRCUIT_HALF_OPEN_AFTER_MS,
    },
    webhookPollMs: e.TICKETS_WEBHOOK_POLL_MS,
    cosmosEndpointDiscovery: e.COSMOS_ENDPOINT_DISCOVERY,
  };
}

function requireTogether(e: Env, present: keyof Env, required: keyof Env): void {
  const has = (k: keyof Env) => {
    const v = e[k];
    return v !== undefined && !(Array.isArray(v) && v.length === 0);
  };
  if (has(present) && !has(required)) {
    throw new ConfigError(required, `is required when ${present} is set`);
  }
}

/** One line per component saying whether it runs against Azure or its embedded default. */
export function componentModes(config: AppConfig): Record<string, string> {
  return {
    channelAuth: config.bot.authEnabled ? `on (BOT_TYPE=${config.bot.type})` : 'off (no BOT_ID: local only)',
    model:
      config.llm.mode === 'azure'
        ? `azure-openai (${config.llm.deployment})`
        : config.llm.mode === 'openai-compatible'
          ? `openai-compatible (${config.llm.model})`
          : 'embedded intent model',
    search: config.search.mode === 'azure' ? `azure-ai-search (${config.search.index})` : 'embedded index',
    cosmos: config.cosmos.mode === 'azure' ? 'azure-cosmos-db' : 'embedded cosmos-protocol server',
    orders: config.orders.mode === 'rest' ? 'rest api' : 'cosmos (sample data)',
    groups: config.groups.mode === 'graph' ? 'microsoft graph' : 'sample directory file',
  };
}
