import type { TurnOutcome } from './metrics';

/**
 * Lets turn logic name how a turn ended (e.g. 'rate_limited', 'ignored') so the server's turn
 * duration histogram is labelled with it; unmarked turns count as 'ok' (or 'error' if they throw).
 * Also collects what the turn did (the recognised intent, the tools it called) for the one log
 * line the server writes per turn. Typed structurally so the core does not depend on botbuilder's
 * TurnContext.
 */
interface HasTurnState {
  turnState: Map<unknown, unknown>;
}

/** What one turn did, for its log line: never message text, only names. */
interface TurnSummary {
  intent?: string;
  tools: string[];
}

const TURN_OUTCOME = Symbol('turnOutcome');
const TURN_SUMMARY = Symbol('turnSummary');

export function setTurnOutcome(context: HasTurnState, outcome: TurnOutcome): void {
  context.turnState.set(TURN_OUTCOME, outcome);
}

export function readTurnOutcome(context: HasTurnState): TurnOutcome | undefined {
  return context.turnState.get(TURN_OUTCOME) as TurnOutcome | undefined;
}

function summaryOf(context: HasTurnState): TurnSummary {
  let summary = context.turnState.get(TURN_SUMMARY) as TurnSummary | undefined;
  if (!summary) {
    summary = { tools: [] };
    context.turnState.set(TURN_SUMMARY, summary);
  }
  return summary;
}

export function noteTurnIntent(context: HasTurnState, intent: string): void {
  summaryOf(context).intent = intent;
}

export function noteToolCall(context: HasTurnState, tool: string, outcome: string): void {
  summaryOf(context).tools.push(outcome === 'ok' ? tool : `${tool}:${outcome}`);
}

export function readTurnSummary(context: HasTurnState): TurnSummary {
  return summaryOf(context);
}
