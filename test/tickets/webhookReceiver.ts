import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WEBHOOK_HEADERS, verifyWebhookSignature } from '../../src/tickets/webhook/webhookSignature';

export type ReceivedDelivery = {
  idempotencyKey: string;
  event: string;
  body: unknown;
  signatureValid: boolean;
};

/**
 * A webhook receiver on 127.0.0.1 that verifies each delivery's signature the way a real
 * consumer would (docs/tickets-webhook.md) and records it. `failWith` makes it answer an error.
 */
export class WebhookReceiver {
  readonly deliveries: ReceivedDelivery[] = [];
  failWith: number | undefined;
  private server: http.Server | undefined;
  port = 0;

  constructor(private readonly secret: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/tickets`;
  }

  async listen(port = 0): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (this.failWith) {
          res.writeHead(this.failWith).end();
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const signatureValid = verifyWebhookSignature(
          this.secret,
          req.headers[WEBHOOK_HEADERS.timestamp] as string | undefined,
          raw,
          req.headers[WEBHOOK_HEADERS.signature] as string | undefined,
        );
        this.deliveries.push({
          idempotencyKey: String(req.headers[WEBHOOK_HEADERS.idempotencyKey]),
          event: String(req.headers[WEBHOOK_HEADERS.event]),
          body: JSON.parse(raw),
          signatureValid,
        });
        res.writeHead(signatureValid ? 204 : 401).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(port, '127.0.0.1', resolve);
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  countFor(key: string): number {
    return this.deliveries.filter((d) => d.idempotencyKey === key && d.signatureValid).length;
  }
}
