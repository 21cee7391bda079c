import https from 'node:https';
import tls from 'node:tls';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair, type JWTPayload, type KeyLike } from 'jose';
import { generate } from 'selfsigned';

/**
 * A local stand-in for the two Microsoft identity services a bot talks to, on 127.0.0.1 over
 * HTTPS (self-signed certificate):
 *
 * - the Bot Framework channel's OpenID metadata + JWKS (inbound: the keys botbuilder checks
 *   channel tokens against; keys carry `endorsements` like the real ones), and
 * - an Entra-style authority with OpenID configuration and a token endpoint that issues
 *   client-credentials tokens (outbound: what the bot presents to the connector).
 *
 * It signs channel tokens with its own RSA key (jose), and records token requests.
 */
export interface TokenRequest {
  grantType?: string;
  clientId?: string;
  clientSecret?: string;
  scope?: string;
}

export interface ChannelTokenOptions {
  audience: string;
  serviceUrl: string;
  issuer?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  /** Sign with a key the JWKS does not publish, under the published kid. */
  foreignKey?: boolean;
  kid?: string;
  extraClaims?: JWTPayload;
}

export class LocalIdentityProvider {
  readonly tokenRequests: TokenRequest[] = [];
  /** Tokens this provider issued through its token endpoint. */
  readonly issuedTokens: string[] = [];
  readonly channelIssuer = 'https://api.botframework.test';
  readonly kid = `test-key-${randomUUID()}`;
  caPem = '';
  url = '';
  private server?: https.Server;
  private signingKey?: KeyLike;
  private foreignKey?: KeyLike;
  private publicJwk: Record<string, unknown> = {};

  constructor(
    private readonly client: { id: string; secret: string },
    readonly tenant = 'bot-tenant',
    private readonly endorsements = ['msteams'],
  ) {}

  get openIdMetadataUrl(): string {
    return `${this.url}/channel/.well-known/openidconfiguration`;
  }
  get loginEndpoint(): string {
    return `${this.url}/${this.tenant}`;
  }

  async start(): Promise<this> {
    const pair = await generateKeyPair('RS256');
    this.signingKey = pair.privateKey;
    this.foreignKey = (await generateKeyPair('RS256')).privateKey;
    this.publicJwk = {
      ...(await exportJWK(pair.publicKey)),
      kid: this.kid,
      use: 'sig',
      endorsements: this.endorsements,
    };

    const cert = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keySize: 2048,
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    this.caPem = cert.cert;
    this.server = https.createServer({ key: cert.private, cert: cert.cert }, (req, res) =>
      this.handle(req, res),
    );
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A Bot Framework channel token as the Teams channel would send it. */
  async channelToken(options: ChannelTokenOptions): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = options.expiresIn ?? 3600;
    return new SignJWT({ serviceurl: options.serviceUrl, ...options.extraClaims })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? this.kid })
      .setIssuer(options.issuer ?? this.channelIssuer)
      .setAudience(options.audience)
      .setIssuedAt(now - 60 + Math.min(0, expiresIn))
      .setNotBefore(now - 60 + Math.min(0, expiresIn))
      .setExpirationTime(now + expiresIn)
      .sign(options.foreignKey ? this.foreignKey! : this.signingKey!);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', this.url).pathname;
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const authority = `${this.url}/${this.tenant}`;
      if (req.method === 'GET' && path === '/channel/.well-known/openidconfiguration') {
        return json(200, {
          issuer: this.channelIssuer,
          jwks_uri: `${this.url}/channel/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
        });
      }
      if (req.method === 'GET' && path === '/channel/keys') return json(200, { keys: [this.publicJwk] });
      if (req.method === 'GET' && path === `/${this.tenant}/v2.0/.well-known/openid-configuration`) {
        return json(200, {
          issuer: `${authority}/v2.0`,
          authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
          token_endpoint: `${authority}/oauth2/v2.0/token`,
          end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
          jwks_uri: `${authority}/discovery/v2.0/keys`,
          response_types_supported: ['code', 'id_token', 'token'],
        });
      }
      if (req.method === 'POST' && path === `/${this.tenant}/oauth2/v2.0/token`) {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const request: TokenRequest = {
          grantType: form.get('grant_type') ?? undefined,
          clientId: form.get('client_id') ?? undefined,
          clientSecret: form.get('client_secret') ?? undefined,
          scope: form.get('scope') ?? undefined,
        };
        this.tokenRequests.push(request);
        if (request.grantType !== 'client_credentials') return json(400, { error: 'unsupported_grant_type' });
        if (request.clientId !== this.client.id || request.clientSecret !== this.client.secret) {
          return json(401, { error: 'invalid_client', error_description: 'bad client credentials' });
        }
        const accessToken = `outbound-${randomBytes(12).toString('hex')}`;
        this.issuedTokens.push(accessToken);
        return json(200, {
          token_type: 'Bearer',
          expires_in: 3600,
          ext_expires_in: 3600,
          access_token: accessToken,
        });
      }
      json(404, { error: 'not_found' });
    });
  }
}

/**
 * Makes this test process trust `pem` for outgoing HTTPS, as NODE_EXTRA_CA_CERTS does for a
 * whole process (Node reads that variable only at start-up, so a test cannot set it for itself).
 * Vitest runs each test file in its own process, so this does not leak into other files.
 */
export function trustCertificate(pem: string): void {
  https.globalAgent.options.ca = [...tls.rootCertificates, pem];
}
