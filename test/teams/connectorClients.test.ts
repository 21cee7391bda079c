import {
  AuthenticationConstants,
  ClaimsIdentity,
  ConnectorClient,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type UserTokenClient,
} from 'botframework-connector';
import { describe, expect, it } from 'vitest';
import { ReusedBotClients } from '../../src/teams/connectorClients';

/** A factory that counts what it builds, like botbuilder's (one new client per call). */
class CountingFactory extends ConnectorFactory {
  made: string[] = [];
  failNext = false;
  async create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    this.made.push(`${serviceUrl}|${audience}`);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('credentials unavailable');
    }
    return new ConnectorClient({ signRequest: async (r: unknown) => r } as never, { baseUri: serviceUrl });
  }
}

const identityOf = (appId: string) =>
  new ClaimsIdentity([{ type: AuthenticationConstants.AudienceClaim, value: appId }], true);

function authResult(factory: ConnectorFactory, appId = 'bot-a'): AuthenticateRequestResult {
  return {
    audience: 'https://api.botframework.com',
    claimsIdentity: identityOf(appId),
    connectorFactory: factory,
  };
}

describe('ReusedBotClients', () => {
  it('builds one connector client per bot, service URL and audience, across turns', async () => {
    const clients = new ReusedBotClients();
    const inner = new CountingFactory();
    // Every turn gets a fresh authentication result, as from CloudAdapter.
    const first = await clients
      .reuseConnectors(authResult(inner))
      .connectorFactory!.create('https://smba/emea/');
    const second = await clients
      .reuseConnectors(authResult(inner))
      .connectorFactory!.create('https://smba/emea/');
    expect(second).toBe(first);
    await clients.reuseConnectors(authResult(inner)).connectorFactory!.create('https://smba/amer/');
    await clients.reuseConnectors(authResult(inner)).connectorFactory!.create('https://smba/emea/', 'other');
    await clients.reuseConnectors(authResult(inner, 'bot-b')).connectorFactory!.create('https://smba/emea/');
    expect(inner.made).toHaveLength(4);
  });

  it('does not keep a client that failed to build', async () => {
    const clients = new ReusedBotClients();
    const inner = new CountingFactory();
    inner.failNext = true;
    const factory = () => clients.reuseConnectors(authResult(inner)).connectorFactory!;
    await expect(factory().create('https://smba/emea/')).rejects.toThrow('credentials unavailable');
    await expect(factory().create('https://smba/emea/')).resolves.toBeInstanceOf(ConnectorClient);
    expect(inner.made).toHaveLength(2);
  });

  it('keeps one user-token client per bot identity', async () => {
    const clients = new ReusedBotClients();
    let made = 0;
    const create = async () => {
      made += 1;
      return { made } as unknown as UserTokenClient;
    };
    const a1 = await clients.userTokenClient(identityOf('bot-a'), create);
    const a2 = await clients.userTokenClient(identityOf('bot-a'), create);
    await clients.userTokenClient(identityOf('bot-b'), create);
    expect(a2).toBe(a1);
    expect(made).toBe(2);
  });
});
