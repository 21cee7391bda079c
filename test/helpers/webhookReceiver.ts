import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A ticket-webhook receiver on loopback that can be switched down (503) and up, and counts the
 * deliveries it accepted per X-Idempotency-Key, with their bodies and headers.
 */
export class WebhookReceiver {
  up = true;
  readonly deliveries = new Map<string, number>();
  readonly received: { body: string; headers: http.IncomingHttpHeaders }[] = [];
  url = '';
  private server?: http.Server;

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (!this.up) {
          res.writeHead(503);
          res.end();
          return;
        }
        const key = String(req.headers['x-idempotency-key']);
        this.deliveries.set(key, (this.deliveries.get(key) ?? 0) + 1);
        this.received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
        res.writeHead(200);
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/tickets`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
