import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OpenAI-compatible chat-completions endpoint that answers at once (POST …/chat/completions),
 * for comparing per-turn cost on the LLM path without a model's latency: a fixed short assistant
 * message, as JSON or, when the request asks for `stream: true`, as server-sent events. Nothing is
 * recorded, so a long run does not grow its memory.
 */
export interface InstantOpenAi {
  /** Base URL for OpenAI clients (`…/v1`). */
  baseUrl: string;
  requests(): number;
  stop(): Promise<void>;
}

const ANSWER = 'Thanks for asking. Here is a short answer from the assistant.';

function completion(model: string) {
  return {
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: ANSWER } }],
    usage: { prompt_tokens: 100, completion_tokens: 12, total_tokens: 112 },
  };
}

function streamed(res: http.ServerResponse, model: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-bench',
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, delta, finish_reason: finish }],
    })}\n\n`;
  res.end(chunk({ role: 'assistant', content: ANSWER }, null) + chunk({}, 'stop') + 'data: [DONE]\n\n');
}

export async function startInstantOpenAi(): Promise<InstantOpenAi> {
  let count = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (
        req.method !== 'POST' ||
        !/\/chat\/completions$/.test(new URL(req.url ?? '/', 'http://x').pathname)
      ) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'not found' } }));
        return;
      }
      count++;
      let body: { model?: string; stream?: boolean } = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'invalid JSON' } }));
        return;
      }
      const model = body.model ?? 'bench-model';
      if (body.stream) return streamed(res, model);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(completion(model)));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests: () => count,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
