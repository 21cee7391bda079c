import { PassThrough, type Readable } from 'node:stream';
import { Response } from 'node-fetch';
import type { RequestInfo, RequestInit } from 'node-fetch';

/** A node-fetch style fetch (the openai client's transport on Node). */
type FetchFn = (url: RequestInfo, init?: RequestInit) => Promise<Response>;

/**
 * Bounds the silence inside a streamed (Server-Sent Events) completion. The openai client's
 * `timeout` ends when the response headers arrive, so a model that stops sending mid-stream
 * without closing the connection would hold the turn, its conversation lease and the open Teams
 * stream forever. Here the body fails with an error once `idleMs` pass without a byte; the client
 * then reports the call as failed and the stream ends with the apology.
 */
export function withStreamIdleTimeout(fetch: FetchFn, idleMs: number): FetchFn {
  return async (url, init) => {
    const response = await fetch(url, init);
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || !type.includes('text/event-stream') || !response.body) return response;
    const source = response.body as unknown as Readable;
    const guarded = new PassThrough();
    let timer: NodeJS.Timeout | undefined;
    const stop = () => clearTimeout(timer);
    const arm = () => {
      stop();
      timer = setTimeout(() => {
        guarded.destroy(new Error(`model stream stalled: no data for ${idleMs} ms`));
        source.destroy();
      }, idleMs);
      timer.unref();
    };
    source.on('data', arm);
    source.on('end', stop);
    source.on('error', (err) => {
      stop();
      guarded.destroy(err);
    });
    guarded.on('close', stop);
    arm();
    source.pipe(guarded);
    return new Response(guarded, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      url: response.url,
    } as ConstructorParameters<typeof Response>[1]);
  };
}
