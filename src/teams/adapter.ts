import {
  CallerIdConstants,
  ConfigurationServiceClientCredentialFactory,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import {
  AuthenticationConstants,
  AuthenticationError,
  MsalServiceClientCredentialsFactory,
  type AuthenticateRequestResult,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { AppConfig } from '../config';
import { logger } from '../observability/logger';
import { hashId } from '../observability/correlation';
import { checkTenant } from '../security/tenantAllowList';
import { ReusedBotClients } from './connectorClients';

/**
 * The Bot Framework adapter. With BOT_ID set, botbuilder validates every inbound JWT and
 * signs every outbound call; the metadata URL, issuer and login endpoint can be pointed
 * elsewhere by configuration (sovereign clouds, or a local identity provider in tests).
 * With no BOT_ID, channel authentication is off: for local use only.
 *
 * On top of botbuilder's validation this adapter
 * - answers 401 (not 500) when the token is malformed or its signature is wrong
 *   (botbuilder lets jsonwebtoken's own errors escape as 500), and
 * - refuses authenticated activities from tenants outside ALLOWED_TENANT_IDS with 403,
 *   before any turn logic, state or connector call runs.
 */
export function createAdapter(config: AppConfig): GuardedTeamsAdapter {
  return new GuardedTeamsAdapter(
    channelAuthOptions(config.bot),
    createCredentialsFactory(config.bot),
    config.bot.allowedTenantIds,
  );
}

class GuardedTeamsAdapter extends TeamsAdapter {
  private readonly clients = new ReusedBotClients();

  constructor(
    auth: ConfigurationBotFrameworkAuthenticationOptions,
    credentials: ServiceClientCredentialsFactory,
    private readonly allowedTenantIds: readonly string[],
  ) {
    super(auth, credentials);
    // CloudAdapter asks for a user-token client on every activity: hand out one per bot identity.
    const authentication = this.botFrameworkAuthentication;
    const createUserTokenClient = authentication.createUserTokenClient.bind(authentication);
    authentication.createUserTokenClient = (identity) =>
      this.clients.userTokenClient(identity, createUserTokenClient);
  }

  protected override async processActivity(
    authHeaderOrResult: string | AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    let authResult: AuthenticateRequestResult;
    if (typeof authHeaderOrResult === 'string') {
      try {
        authResult = await this.botFrameworkAuthentication.authenticateRequest(activity, authHeaderOrResult);
      } catch (err) {
        // Answered here rather than thrown: CloudAdapter would print the raw error to the console.
        return refusal(activity, asAuthenticationError(err));
      }
    } else {
      authResult = authHeaderOrResult;
    }

    const verdict = checkTenant(activity, this.allowedTenantIds);
    if (!verdict.allowed) {
      logger.warn(
        { ...correlation(activity), tenantId: verdict.tenantId, reason: verdict.reason },
        'activity from a tenant outside the allow-list refused',
      );
      return { status: 403, body: { error: 'tenant_not_allowed' } };
    }
    return super.processActivity(this.clients.reuseConnectors(authResult), activity, logic);
  }
}

function refusal(activity: Activity, err: unknown): InvokeResponse {
  if (err instanceof AuthenticationError && err.statusCode === 401) {
    // botbuilder's messages may quote token claims: keep them short in the log.
    logger.warn(
      { ...correlation(activity), reason: err.message.slice(0, 120) },
      'unauthenticated request refused',
    );
    return { status: 401 };
  }
  // Not the caller's fault (e.g. the signing keys could not be fetched): say so, do not blame the token.
  logger.error({ ...correlation(activity), err }, 'channel authentication could not run');
  return { status: 503 };
}

function correlation(activity: Activity) {
  return { activityId: activity.id, conversation: hashId(activity.conversation?.id) };
}

const JWT_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/** jsonwebtoken's errors (bad signature, malformed token) mean "not authenticated": map them to a 401. */
function asAuthenticationError(err: unknown): unknown {
  if (err instanceof AuthenticationError) return err;
  if (err instanceof Error && JWT_ERRORS.has(err.name)) {
    return new AuthenticationError(`Unauthorized. ${err.name}`, 401);
  }
  return err;
}

/**
 * botbuilder switches to "parameterized" authentication as soon as one override is set and then
 * takes every unset value as intentionally empty; fill the rest with the public-cloud defaults.
 */
function channelAuthOptions(bot: AppConfig['bot']): ConfigurationBotFrameworkAuthenticationOptions {
  const base = {
    MicrosoftAppId: bot.id ?? '',
    MicrosoftAppPassword: bot.password ?? '',
    MicrosoftAppType: bot.type,
    MicrosoftAppTenantId: bot.tenantId ?? '',
  };
  if (!bot.openIdMetadataUrl && !bot.tokenIssuer && !bot.loginEndpoint) {
    return base as ConfigurationBotFrameworkAuthenticationOptions;
  }
  return {
    ...base,
    ToBotFromChannelOpenIdMetadataUrl:
      bot.openIdMetadataUrl ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
    ToBotFromChannelTokenIssuer: bot.tokenIssuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer,
    ToChannelFromBotLoginUrl: bot.loginEndpoint ?? AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
    ValidateAuthority: true,
  } as ConfigurationBotFrameworkAuthenticationOptions;
}

// Login hosts MSAL knows without a network lookup (public, US Gov, China, Germany clouds).
const MICROSOFT_LOGIN_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.windows.net',
  'login.microsoft.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
  'login.microsoftonline.de',
]);

/**
 * Credentials for outbound calls. A login endpoint on a Microsoft host goes through botbuilder's
 * usual factory. Any other host (a private identity provider, or the local one in tests) is an
 * explicit operator choice: MSAL is told to trust that authority (`knownAuthorities`) instead of
 * asking login.microsoftonline.com's instance discovery about it, which fails offline.
 */
function createCredentialsFactory(bot: AppConfig['bot']): ServiceClientCredentialsFactory {
  const login = bot.loginEndpoint ? new URL(bot.loginEndpoint) : undefined;
  if (bot.id && bot.password && login && !MICROSOFT_LOGIN_HOSTS.has(login.hostname.toLowerCase())) {
    const client = new ConfidentialClientApplication({
      auth: {
        clientId: bot.id,
        clientSecret: bot.password,
        authority: bot.loginEndpoint,
        knownAuthorities: [login.host],
      },
    });
    return new MsalServiceClientCredentialsFactory(bot.id, client);
  }
  return new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: bot.id,
    MicrosoftAppPassword: bot.password,
    MicrosoftAppType: bot.type,
    MicrosoftAppTenantId: bot.tenantId,
  });
}
