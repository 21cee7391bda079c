import { readFileSync } from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * An HTTPS reverse proxy in front of the embedded Cosmos server that answers the documented
 * Cosmos throttling response (HTTP 429 + x-ms-retry-after-ms) — or another status, e.g. the 403
 * an Entra data-plane role gets for control-plane calls — to the first `throttleCount` requests
 * matching `shouldThrottle`, and forwards everything else unchanged.
 */
export async function startThrottlingProxy(
  target: string,
  shouldThrottle: (method: string, url: string, headers: http.IncomingHttpHeaders) => boolean,
  throttleCount: number,
  status = 429,
): Promise<{ endpoint: string; throttled: () => number; forwarded: () => string[]; close(): Promise<void> }> {
  const certDir = join(require.resolve('@vercel/cosmosdb-server/package.json'), '..');
  const targetUrl = new URL(target);
  let throttled = 0;
  const forwarded: string[] = [];
  const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });
  const server = https.createServer(
    { key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) },
    (req, res) => {
      if (shouldThrottle(req.method ?? '', req.url ?? '', req.headers) && throttled < throttleCount) {
        throttled++;
        req.resume();
        res.writeHead(status, {
          'content-type': 'application/json',
          'x-ms-retry-after-ms': '5',
          'x-ms-request-charge': '0.5',
          'x-ms-activity-id': `throttle-${throttled}`,
        });
        res.end(
          JSON.stringify(
            status === 429
              ? { code: 'TooManyRequests', message: 'Request rate is large.' }
              : {
                  code: 'Forbidden',
                  message: 'Request blocked by Auth: principal lacks the required action.',
                },
          ),
        );
        return;
      }
      forwarded.push(`${req.method} ${req.url}`);
      const upstream = https.request(
        {
          host: targetUrl.hostname,
          port: targetUrl.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: targetUrl.host },
          agent,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => {
        res.statusCode = 502;
        res.end();
      });
      req.pipe(upstream);
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://127.0.0.1:${port}`,
    throttled: () => throttled,
    forwarded: () => forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
