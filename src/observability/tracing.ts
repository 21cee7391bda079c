import { SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

/**
 * Manual spans for work no instrumented library call shows: the embedded model, the embedded
 * search index, the answer cache, the turn itself. Without a started SDK the API's tracer is a
 * no-op, so this costs next to nothing. Attributes are bounded values (names, counts, outcomes),
 * never message text or user ids.
 */
export const tracer = trace.getTracer('teams-service-bot');

export async function withSpan<T>(
  name: string,
  attributes: Attributes,
  run: (span: Span) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  return tracer.startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await run(span);
    } catch (err) {
      span.recordException(err instanceof Error ? { name: err.name, message: err.message } : String(err));
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.name : 'error' });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** The bounded facts of an activity a turn span carries (no text, no user or conversation id). */
export function turnSpanAttributes(activity: {
  type?: string;
  name?: string;
  channelId?: string;
  conversation?: { conversationType?: string };
}): Attributes {
  return {
    'bot.activity.type': activity.type ?? 'unknown',
    ...(activity.name ? { 'bot.activity.name': activity.name } : {}),
    'bot.channel': activity.channelId ?? 'unknown',
    'bot.conversation.type': activity.conversation?.conversationType ?? 'personal',
  };
}
