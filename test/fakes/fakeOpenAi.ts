import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';

/**
 * A local server on 127.0.0.1 speaking the chat-completions protocol of Azure OpenAI
 * (POST /openai/deployments/{deployment}/chat/completions?api-version=…) and of OpenAI-compatible
 * endpoints (POST /v1/chat/completions). Replies come from a script, so tests can return tool
 * calls, throttle (429 + Retry-After) or fail (5xx); every request is recorded for assertions.
 */

export interface RecordedChatRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body (chat completion params). */
  body: ChatRequestBody;
}

export interface ChatRequestBody {
  model?: string;
  messages: Array<{
    role: string;
    content?: string | null;
    tool_calls?: ToolCall[];
    tool_call_id?: string;
    name?: string;
  }>;
  tools?: Array<{ type: 'function'; function: { name: string; description?: string; parameters?: unknown } }>;
  tool_choice?: unknown;
  [key: string]: unknown;
}

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ScriptedReply {
  status?: number;
  headers?: Record<string, string>;
  /** JSON body; for 200 use `completion()`. */
  body?: unknown;
  /** Hold the reply this long (to exercise client timeouts). */
  delayMs?: number;
  /** How a request with `stream: true` is answered (default: `body` cut into chunks, no pauses). */
  stream?: StreamOptions;
}

/** Streaming (Server-Sent Events) of a scripted completion. */
export interface StreamOptions {
  /** Pause between chunks, in ms (the model "thinking" while it writes). */
  chunkDelayMs?: number;
  /** Characters of content per chunk (default 12). */
  chunkChars?: number;
  /**
   * Fail after this many chunks: `error` sends an error object as the next event (what OpenAI and
   * Azure OpenAI do mid-stream), `disconnect` drops the connection, `stall` sends nothing more
   * and keeps the connection open.
   */
  failAfterChunks?: number;
  failure?: 'error' | 'disconnect' | 'stall';
}

/** A completion answered as a stream when the request asks for one (`stream: true`). */
export function streamed(reply: ScriptedReply, options: StreamOptions = {}): ScriptedReply {
  return { ...reply, stream: options };
}

interface CompletionBody {
  id: string;
  created: number;
  model: string;
  choices: Array<{ finish_reason: string; message: { content: string | null; tool_calls?: ToolCall[] } }>;
}

/**
 * The chat.completion.chunk deltas of a completion, as OpenAI streams them: the role first, content
 * in pieces, each tool call as its id, type and name followed by its arguments in pieces (every
 * tool-call delta carries the call's `index`), then an empty delta with the finish reason.
 */
export function completionChunks(body: CompletionBody, chunkChars = 12): Array<Record<string, unknown>> {
  const choice = body.choices[0]!;
  const base = { id: body.id, object: 'chat.completion.chunk', created: body.created, model: body.model };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const pieces = (text: string) => text.match(new RegExp(`[\\s\\S]{1,${chunkChars}}`, 'g')) ?? [];
  const out = [chunk({ role: 'assistant', content: '' })];
  for (const piece of pieces(choice.message.content ?? '')) out.push(chunk({ content: piece }));
  (choice.message.tool_calls ?? []).forEach((call, index) => {
    out.push(
      chunk({
        tool_calls: [
          { index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } },
        ],
      }),
    );
    for (const piece of pieces(call.function.arguments))
      out.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  out.push(chunk({}, choice.finish_reason));
  return out;
}

export type Script = ScriptedReply | ((request: RecordedChatRequest) => ScriptedReply);

/** A chat.completion object whose single choice carries `content` and/or `tool_calls`. */
export function completion(
  message: { content?: string | null; tool_calls?: ToolCall[] },
  model = 'fake-model',
): ScriptedReply {
  return {
    status: 200,
    body: {
      id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [
        {
          index: 0,
          finish_reason: message.tool_calls?.length ? 'tool_calls' : 'stop',
          message: {
            role: 'assistant',
            content: message.content ?? null,
            ...(message.tool_calls ? { tool_calls: message.tool_calls } : {}),
          },
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    },
  };
}

export function toolCall(id: string, name: string, args: unknown): ToolCall {
  return { id, type: 'function', function: { name, arguments: JSON.stringify(args) } };
}

/** The error body shape both services use. */
export function apiError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): ScriptedReply {
  return { status, headers, body: { error: { code, message, type: code } } };
}

export interface FakeOpenAi {
  /** Base URL: https://127.0.0.1:port (TLS) or http://127.0.0.1:port. */
  url: string;
  /** PEM of the self-signed certificate (TLS only), to trust it in an https.Agent. */
  ca?: string;
  requests: RecordedChatRequest[];
  /** Appends replies; each request consumes the next one. */
  script(...replies: Script[]): void;
  /** Replies left unconsumed. */
  pending(): number;
  close(): Promise<void>;
}

const AZURE_PATH = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/;
const OPENAI_PATH = /^\/v1\/chat\/completions$/;

let cachedCert: Promise<{ key: string; cert: string }> | undefined;
function certificate() {
  cachedCert ??= generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + 24 * 3600 * 1000),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  return cachedCert;
}

export async function startFakeOpenAi(options: { tls?: boolean } = {}): Promise<FakeOpenAi> {
  const requests: RecordedChatRequest[] = [];
  const queue: Script[] = [];

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || !(AZURE_PATH.test(url.pathname) || OPENAI_PATH.test(url.pathname))) {
        return send(404, {
          error: { code: 'NotFound', message: `no route for ${req.method} ${url.pathname}` },
        });
      }
      if (AZURE_PATH.test(url.pathname) && !url.searchParams.get('api-version')) {
        return send(400, {
          error: { code: 'MissingApiVersion', message: 'api-version query parameter is required' },
        });
      }
      let body: ChatRequestBody;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequestBody;
      } catch {
        return send(400, { error: { code: 'BadRequest', message: 'body is not JSON' } });
      }
      const recorded: RecordedChatRequest = {
        method: req.method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
      };
      requests.push(recorded);
      const next = queue.shift();
      if (!next)
        return send(500, { error: { code: 'NoScript', message: 'fake server has no scripted reply left' } });
      const reply = typeof next === 'function' ? next(recorded) : next;
      const respond = () => {
        if (res.destroyed) return;
        const status = reply.status ?? 200;
        if (body.stream === true && status === 200) return sendStream(res, reply);
        send(status, reply.body ?? {}, reply.headers);
      };
      if (reply.delayMs) setTimeout(respond, reply.delayMs).unref();
      else respond();
    });
  };

  let server: Server;
  let ca: string | undefined;
  if (options.tls) {
    const { key, cert } = await certificate();
    ca = cert;
    server = createHttpsServer({ key, cert }, handler) as unknown as Server;
  } else {
    server = createHttpServer(handler);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    ca,
    requests,
    script: (...replies) => void queue.push(...replies),
    pending: () => queue.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with Server-Sent Events: one `data:` line per chunk, then `data: [DONE]`. */
function sendStream(res: ServerResponse, reply: ScriptedReply): void {
  const options = reply.stream ?? {};
  const chunks = completionChunks(reply.body as CompletionBody, options.chunkChars);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
  let sent = 0;
  const next = () => {
    if (res.destroyed) return;
    if (options.failAfterChunks !== undefined && sent >= options.failAfterChunks) {
      if (options.failure === 'stall') return;
      if (options.failure === 'disconnect') {
        res.destroy();
        return;
      }
      const error = {
        message: 'The server had an error while processing your request.',
        type: 'server_error',
      };
      res.end(`data: ${JSON.stringify({ error })}\n\n`);
      return;
    }
    if (sent >= chunks.length) {
      res.end('data: [DONE]\n\n');
      return;
    }
    res.write(`data: ${JSON.stringify(chunks[sent++])}\n\n`);
    if (options.chunkDelayMs) setTimeout(next, options.chunkDelayMs).unref();
    else setImmediate(next);
  };
  next();
}
