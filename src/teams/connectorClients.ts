import {
  AuthenticationConstants,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';
import { LRUCache } from 'lru-cache';

/** Distinct (bot, service URL, audience) triples kept; Teams uses a handful of regional service URLs. */
const MAX_CLIENTS = 100;

/**
 * The Bot Framework clients a turn talks through, made once per bot, service URL and audience
 * instead of once per turn. botbuilder's CloudAdapter builds a new ConnectorClient and a new
 * UserTokenClient for every activity — each a fresh HTTP pipeline (policies, sanitiser, logger) —
 * although both are stateless: the credentials inside fetch and cache their tokens per request.
 * A client that failed to build is not kept.
 */
export class ReusedBotClients {
  private readonly connectors = new LRUCache<string, Promise<ConnectorClient>>({ max: MAX_CLIENTS });
  private readonly userTokens = new LRUCache<string, Promise<UserTokenClient>>({ max: MAX_CLIENTS });

  /** The authentication result with a connector factory that reuses clients. */
  reuseConnectors(result: AuthenticateRequestResult): AuthenticateRequestResult {
    const inner = result.connectorFactory;
    if (!inner) return result;
    const appId = appIdOf(result.claimsIdentity);
    const connectors = this.connectors;
    const factory = new (class extends ConnectorFactory {
      create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        return reuse(connectors, `${appId}|${serviceUrl}|${audience ?? ''}`, () =>
          inner.create(serviceUrl, audience),
        );
      }
    })();
    return { ...result, connectorFactory: factory };
  }

  /** A user-token client per bot identity, made by `create` the first time. */
  userTokenClient(
    identity: ClaimsIdentity,
    create: (identity: ClaimsIdentity) => Promise<UserTokenClient>,
  ): Promise<UserTokenClient> {
    return reuse(this.userTokens, appIdOf(identity), () => create(identity));
  }
}

/** The bot's app id as botbuilder derives it for its clients: audience claim, else app id claim. */
function appIdOf(identity: ClaimsIdentity | undefined): string {
  return (
    identity?.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    identity?.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    ''
  );
}

function reuse<T>(cache: LRUCache<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  const cached = cache.get(key);
  if (cached) return cached;
  const made = make();
  cache.set(key, made);
  made.catch(() => {
    if (cache.get(key) === made) cache.delete(key);
  });
  return made;
}
