import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * Keeps identities out of exported spans. The http/undici instrumentations record full URLs, and
 * this bot's URLs carry conversation ids, user object ids and document ids (Cosmos
 * `/docs/<conversation>`, the connector's `/v3/conversations/<id>/activities/<id>`, Graph's
 * `/users/<id>`). Before a span ends, the id after each such path keyword becomes `{id}` and a
 * query string becomes `[redacted]` (it may hold tokens or search terms) — the same rule as the
 * logs, which carry hashed ids only.
 */
const URL_ATTRIBUTES = ['http.url', 'http.target', 'url.full', 'url.path', 'http.route'];
const ID_AFTER =
  /\/(docs|conversations|activities|members|users|orders|tickets|returns|attachments|pkranges)\/[^/?#]+/g;

export function redactUrl(url: string): string {
  const query = url.search(/[?#]/);
  const path = query === -1 ? url : url.slice(0, query);
  return path.replace(ID_AFTER, '/$1/{id}') + (query === -1 ? '' : '?[redacted]');
}

export class UrlRedactingSpanProcessor implements SpanProcessor {
  onStart(_span: Span, _context: Context): void {}

  onEnding(span: Span): void {
    const attributes = (span as unknown as ReadableSpan).attributes;
    for (const key of URL_ATTRIBUTES) {
      const value = attributes[key];
      if (typeof value === 'string') span.setAttribute(key, redactUrl(value));
    }
    if (typeof attributes['url.query'] === 'string') span.setAttribute('url.query', '[redacted]');
  }

  onEnd(_span: ReadableSpan): void {}
  forceFlush = async (): Promise<void> => undefined;
  shutdown = async (): Promise<void> => undefined;
}
