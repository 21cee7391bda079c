import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server on 127.0.0.1 speaking the subset of the Azure AI Search REST API
 * (api-version 2025-09-01, as used by @azure/search-documents 12) and the Azure OpenAI embeddings
 * endpoint that the knowledge backend uses. It records every request so tests can assert on them.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
}

type Doc = Record<string, unknown> & { id: string };
type Pred = (doc: Doc, scope: Record<string, unknown>) => boolean;

// --- OData filter subset: `a/any(g: g eq 'x' or ...)`, `a/any(g: search.in(g, 'x,y', ','))`,
// `field eq 'x'`, and/or, parentheses. ---
function tokenizeFilter(filter: string): string[] {
  const tokens: string[] = [];
  const re =
    /\s*(?:('(?:[^']|'')*')|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)|(\/)|(\()|(\))|(:)|(,)|(-?\d+))/y;
  let pos = 0;
  while (pos < filter.length) {
    if (/^\s*$/.test(filter.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(filter);
    if (!m) throw new Error(`Invalid expression: unexpected '${filter.slice(pos, pos + 10)}' at ${pos}`);
    tokens.push(m[0].trim());
    pos = re.lastIndex;
  }
  return tokens;
}

export function parseFilter(filter: string): Pred {
  const t = tokenizeFilter(filter);
  let i = 0;
  const peek = () => t[i];
  const take = (expected?: string) => {
    const tok = t[i++];
    if (tok === undefined || (expected !== undefined && tok !== expected))
      throw new Error(`Invalid expression: expected ${expected ?? 'token'} got ${tok}`);
    return tok;
  };
  const literal = (tok: string): unknown =>
    tok.startsWith("'") ? tok.slice(1, -1).replace(/''/g, "'") : Number(tok);
  const value = (name: string, doc: Doc, scope: Record<string, unknown>) =>
    name in scope ? scope[name] : doc[name];
  function orExpr(): Pred {
    let left = andExpr();
    while (peek() === 'or') {
      take();
      const l = left;
      const r = andExpr();
      left = (d, s) => l(d, s) || r(d, s);
    }
    return left;
  }
  function andExpr(): Pred {
    let left = factor();
    while (peek() === 'and') {
      take();
      const l = left;
      const r = factor();
      left = (d, s) => l(d, s) && r(d, s);
    }
    return left;
  }
  function factor(): Pred {
    if (peek() === '(') {
      take('(');
      const e = orExpr();
      take(')');
      return e;
    }
    const name = take();
    if (name === 'search.in') {
      // search.in(variable, 'v1<d>v2…', '<d>'): Azure's set-membership function.
      take('(');
      const variable = take();
      take(',');
      const list = literal(take()) as string;
      let delimiters = ' ,';
      if (peek() === ',') {
        take(',');
        delimiters = literal(take()) as string;
      }
      take(')');
      const split = new RegExp(`[${delimiters.replace(/[\]\\^-]/g, '\\$&')}]`);
      const values = new Set(list.split(split).filter(Boolean));
      return (d, s) => values.has(value(variable, d, s) as string);
    }
    if (peek() === '/') {
      take('/');
      take('any');
      take('(');
      const v = take();
      take(':');
      const body = orExpr();
      take(')');
      return (d, s) => {
        const arr = value(name, d, s);
        return Array.isArray(arr) && arr.some((x) => body(d, { ...s, [v]: x }));
      };
    }
    const op = take();
    if (op !== 'eq' && op !== 'ne') throw new Error(`Invalid expression: unsupported operator ${op}`);
    const lit = literal(take());
    return (d, s) => (op === 'eq' ? value(name, d, s) === lit : value(name, d, s) !== lit);
  }
  const pred = orExpr();
  if (i !== t.length) throw new Error(`Invalid expression: trailing ${t.slice(i).join(' ')}`);
  return pred;
}

const words = (s: string): string[] => s.toLowerCase().match(/[a-z0-9]+/g) ?? [];

/** Deterministic 16-dim bag-of-words embedding (hashing trick), L2-normalized. */
export function fakeEmbedding(text: string, dims = 16): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const w of words(text)) {
    let h = 0;
    for (const ch of w) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    v[h % dims]! += 1;
  }
  const n = Math.sqrt(v.reduce((a, x) => a + x * x, 0)) || 1;
  return v.map((x) => x / n);
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * (b[i] ?? 0);
  return dot;
}

export class FakeAzureServices {
  readonly requests: RecordedRequest[] = [];
  readonly indexes = new Map<string, { definition: Record<string, unknown>; docs: Map<string, Doc> }>();
  /** Next N requests answer 503 (to test retries / unavailability). */
  failNext = 0;
  private server: Server | undefined;
  endpoint = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  requestsTo(pathPart: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path.includes(pathPart));
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': typeof body === 'string' ? 'text/plain' : 'application/json; odata.metadata=none',
    });
    res.end(text);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = decodeURIComponent(url.pathname);
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return this.send(res, 400, { error: { code: 'InvalidRequest', message: 'body is not JSON' } });
    }
    this.requests.push({
      method: req.method ?? '',
      path,
      query: url.searchParams,
      headers: req.headers,
      body,
    });
    if (this.failNext > 0) {
      this.failNext--;
      return this.send(res, 503, { error: { code: 'ServiceUnavailable', message: 'try later' } });
    }
    try {
      this.route(req.method ?? '', path, body as Record<string, unknown>, res);
    } catch (err) {
      this.send(res, 400, { error: { code: 'InvalidRequestParameter', message: (err as Error).message } });
    }
  }

  private route(method: string, path: string, body: Record<string, unknown>, res: ServerResponse): void {
    let m = /^\/openai\/deployments\/([^/]+)\/embeddings$/.exec(path);
    if (m && method === 'POST') {
      const input = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input)];
      return this.send(res, 200, {
        object: 'list',
        model: m[1],
        data: input.map((text, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(text) })),
        usage: { prompt_tokens: 1, total_tokens: 1 },
      });
    }
    m = /^\/indexes(?:\('([^']+)'\)|\/([^/]+))(\/.*)?$/.exec(path);
    if (!m)
      return this.send(res, 404, { error: { code: 'NotFound', message: `no route ${method} ${path}` } });
    const name = m[1] ?? m[2]!;
    const rest = m[3] ?? '';
    if (rest === '' && method === 'PUT') {
      const existed = this.indexes.get(name);
      this.indexes.set(name, { definition: body, docs: existed?.docs ?? new Map() });
      return this.send(res, existed ? 200 : 201, { ...body, '@odata.etag': '"1"' });
    }
    const index = this.indexes.get(name);
    if (!index)
      return this.send(res, 404, {
        error: { code: 'ResourceNotFound', message: `index '${name}' not found` },
      });
    if (rest === '/docs/$count' && method === 'GET') return this.send(res, 200, String(index.docs.size));
    if (rest === '/docs/search.index' && method === 'POST') {
      const results = (body.value as Record<string, unknown>[]).map((action) => {
        const { '@search.action': kind, ...doc } = action;
        const id = String(doc.id);
        if (kind === 'delete') index.docs.delete(id);
        else
          index.docs.set(id, {
            ...(kind === 'merge' || kind === 'mergeOrUpload' ? index.docs.get(id) : {}),
            ...doc,
          } as Doc);
        return { key: id, status: true, errorMessage: null, statusCode: 200 };
      });
      return this.send(res, 200, { value: results });
    }
    if (rest === '/docs/search.post.search' && method === 'POST')
      return this.send(res, 200, this.search(index.docs, body));
    return this.send(res, 404, { error: { code: 'NotFound', message: `no route ${method} ${path}` } });
  }

  /** BM25-ish text scoring (tf·idf), optional vector cosine fused by reciprocal rank, filter, select, skip/top. */
  private search(docs: Map<string, Doc>, body: Record<string, unknown>): unknown {
    const pred = typeof body.filter === 'string' ? parseFilter(body.filter) : () => true;
    const candidates = [...docs.values()].filter((d) => pred(d, {}));
    const text = String(body.search ?? '*');
    const scores = new Map<string, number>();
    if (text === '*') {
      candidates.sort((a, b) => a.id.localeCompare(b.id)).forEach((d) => scores.set(d.id, 1));
    } else {
      const q = words(text);
      const docWords = new Map(
        candidates.map((d) => [
          d.id,
          words(`${d.title} ${d.content} ${(d.headingPath as string[] | undefined)?.join(' ') ?? ''}`),
        ]),
      );
      const ranked = candidates
        .map((d) => {
          const w = docWords.get(d.id)!;
          let s = 0;
          for (const term of q) {
            const tf = w.filter((x) => x === term).length;
            const df = [...docWords.values()].filter((ws) => ws.includes(term)).length;
            if (tf) s += (tf / (tf + 1.2)) * Math.log(1 + (candidates.length - df + 0.5) / (df + 0.5));
          }
          return { id: d.id, s };
        })
        .filter((r) => r.s > 0)
        .sort((a, b) => b.s - a.s);
      const vq = (body.vectorQueries as { vector: number[]; k?: number }[] | undefined)?.[0];
      if (vq) {
        const vr = candidates
          .filter((d) => Array.isArray(d.contentVector))
          .map((d) => ({ id: d.id, s: cosine(vq.vector, d.contentVector as number[]) }))
          .sort((a, b) => b.s - a.s)
          .slice(0, vq.k ?? 50);
        for (const list of [ranked, vr])
          list.forEach((r, i) => scores.set(r.id, (scores.get(r.id) ?? 0) + 1 / (60 + i + 1)));
      } else ranked.forEach((r) => scores.set(r.id, r.s));
    }
    const select = typeof body.select === 'string' ? body.select.split(',').map((s) => s.trim()) : undefined;
    const skip = Number(body.skip ?? 0);
    const top = Number(body.top ?? 50);
    const semantic = body.queryType === 'semantic';
    const value = [...scores.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(skip, skip + top)
      .map(([id, score]) => {
        const d = docs.get(id)!;
        const fields = select ? Object.fromEntries(select.map((f) => [f, d[f] ?? null])) : { ...d };
        return {
          '@search.score': score,
          ...(semantic ? { '@search.rerankerScore': score * 4 } : {}),
          ...fields,
        };
      });
    return { value };
  }
}
