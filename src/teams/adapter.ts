import { ConfigurationServiceClientCredentialFactory, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { AppConfig } from '../config';

/**
 * The Bot Framework adapter. With BOT_ID set, botbuilder validates every inbound JWT and
 * signs every outbound call; the metadata URL, issuer and login endpoint can be pointed
 * elsewhere by configuration (sovereign clouds, or a local identity provider in tests).
 * With no BOT_ID, channel authentication is off: for local use only.
 */
export function createAdapter(config: AppConfig): TeamsAdapter {
  const bot = config.bot;
  const auth: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: bot.id ?? '',
    MicrosoftAppPassword: bot.password ?? '',
    MicrosoftAppType: bot.type,
    MicrosoftAppTenantId: bot.tenantId ?? '',
    ...(bot.openIdMetadataUrl ? { ToBotFromChannelOpenIdMetadataUrl: bot.openIdMetadataUrl } : {}),
    ...(bot.tokenIssuer ? { ToBotFromChannelTokenIssuer: bot.tokenIssuer } : {}),
    ...(bot.loginEndpoint ? { ToChannelFromBotLoginUrl: bot.loginEndpoint } : {}),
  } as ConfigurationBotFrameworkAuthenticationOptions;

  const credentials = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: bot.id,
    MicrosoftAppPassword: bot.password,
    MicrosoftAppType: bot.type,
    MicrosoftAppTenantId: bot.tenantId,
  });
  return new TeamsAdapter(auth, credentials);
}
