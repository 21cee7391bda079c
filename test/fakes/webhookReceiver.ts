import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WEBHOOK_HEADERS, verifyWebhookSignature } from '../../src/tickets/webhook/webhookSignature';

export type ReceivedDelivery = {
  idempotencyKey: string;
  event: string;
  /** The body as sent (what the signature covers). */
  raw: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  body: unknown;
  headers: http.IncomingHttpHeaders;
  /** Checked only when the receiver has the secret; true otherwise. */
  signatureValid: boolean;
};

/**
 * The ticket system's webhook endpoint on 127.0.0.1. With the secret it verifies each delivery's
 * signature the way a real consumer would (docs/tickets-webhook.md; 401 when it does not match).
 * It records every delivery it answered; `up = false` answers 503 and `failWith` another error.
 */
export class WebhookReceiver {
  up = true;
  failWith: number | undefined;
  readonly deliveries: ReceivedDelivery[] = [];
  port = 0;
  private server: http.Server | undefined;

  constructor(private readonly secret?: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/tickets`;
  }

  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const refusal = this.failWith ?? (this.up ? undefined : 503);
        // Two calls, not writeHead().end(): in the integration tests writeHead() did not return the response.
        if (refusal) {
          res.writeHead(refusal);
          res.end();
          return;
        }
        const delivery = this.record(Buffer.concat(chunks).toString('utf8'), req.headers);
        this.deliveries.push(delivery);
        res.writeHead(delivery.signatureValid ? (this.secret ? 204 : 200) : 401);
        res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(port, '127.0.0.1', resolve);
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Accepted (validly signed) deliveries with this X-Idempotency-Key. */
  countFor(key: string): number {
    return this.deliveries.filter((d) => d.idempotencyKey === key && d.signatureValid).length;
  }

  /** Accepted (validly signed) deliveries per X-Idempotency-Key. */
  countsByKey(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const d of this.deliveries.filter((x) => x.signatureValid))
      counts.set(d.idempotencyKey, (counts.get(d.idempotencyKey) ?? 0) + 1);
    return counts;
  }

  private record(raw: string, headers: http.IncomingHttpHeaders): ReceivedDelivery {
    const signatureValid =
      !this.secret ||
      verifyWebhookSignature(
        this.secret,
        headers[WEBHOOK_HEADERS.timestamp] as string | undefined,
        raw,
        headers[WEBHOOK_HEADERS.signature] as string | undefined,
      );
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    return {
      idempotencyKey: String(headers[WEBHOOK_HEADERS.idempotencyKey]),
      event: String(headers[WEBHOOK_HEADERS.event]),
      raw,
      body,
      headers,
      signatureValid,
    };
  }
}
