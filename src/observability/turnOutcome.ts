import type { TurnOutcome } from './metrics';

/**
 * Lets turn logic name how a turn ended (e.g. 'rate_limited', 'ignored') so the server's turn
 * duration histogram is labelled with it; unmarked turns count as 'ok' (or 'error' if they throw).
 * Typed structurally so the core does not depend on botbuilder's TurnContext.
 */
interface HasTurnState {
  turnState: Map<unknown, unknown>;
}

const TURN_OUTCOME = Symbol('turnOutcome');

export function setTurnOutcome(context: HasTurnState, outcome: TurnOutcome): void {
  context.turnState.set(TURN_OUTCOME, outcome);
}

export function readTurnOutcome(context: HasTurnState): TurnOutcome | undefined {
  return context.turnState.get(TURN_OUTCOME) as TurnOutcome | undefined;
}
