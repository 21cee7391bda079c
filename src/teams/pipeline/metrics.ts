import type { TurnContext } from 'botbuilder';
import { logger } from '../../observability/logger';
import type { BotMetrics, TurnOutcome } from '../../observability/metrics';
import { readTurnOutcome, readTurnSummary } from '../../observability/turnOutcome';
import { turnSpanAttributes, withSpan } from '../../observability/tracing';
import { turnStep, type TurnStep } from './step';

/**
 * Outermost step: one `bot.turn` span per activity (child of the POST's server span; Cosmos,
 * Search, the model and the connector calls are its children), the turn duration histogram
 * labelled with the outcome the later steps named (else ok, or error when the turn threw), and
 * one log line per turn: type, outcome, intent, tools called, duration (never the text).
 */
export function turnMetrics(metrics: BotMetrics): TurnStep {
  return turnStep('metrics', (context, next) =>
    withSpan('bot.turn', turnSpanAttributes(context.activity), async (span) => {
      await timed(metrics, context, next);
      const { intent, tools } = readTurnSummary(context);
      span.setAttributes({
        'bot.outcome': readTurnOutcome(context) ?? 'ok',
        ...(intent ? { 'bot.intent': intent } : {}),
        'bot.tools': tools,
      });
    }),
  );
}

async function timed(metrics: BotMetrics, context: TurnContext, next: () => Promise<void>): Promise<void> {
  const endTurn = metrics.startTurn();
  const started = performance.now();
  let outcome: TurnOutcome = 'error';
  try {
    await next();
    outcome = readTurnOutcome(context) ?? 'ok';
  } finally {
    endTurn(outcome);
    if (outcome !== 'ignored') logTurn(context, outcome, performance.now() - started);
  }
}

function logTurn(context: TurnContext, outcome: TurnOutcome, ms: number): void {
  const { intent, tools } = readTurnSummary(context);
  logger.info(
    {
      activity: context.activity,
      outcome,
      ...(intent ? { intent } : {}),
      ...(tools.length ? { tools } : {}),
      ms: Math.round(ms),
    },
    'turn',
  );
}
