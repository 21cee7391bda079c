import type { TurnContext } from 'botbuilder';

/**
 * A typed slot in `context.turnState`: the pipeline puts per-turn objects there (the transcript,
 * the turn services) and the routes read them back with their type, instead of casting an
 * untyped bag entry at every reader.
 */
export interface TurnDataKey<T> {
  readonly symbol: symbol;
  /** Never set; carries T for the compiler. */
  readonly type?: T;
}

export function turnDataKey<T>(description: string): TurnDataKey<T> {
  return { symbol: Symbol(description) };
}

export function setTurnData<T>(context: TurnContext, key: TurnDataKey<T>, value: T): void {
  context.turnState.set(key.symbol, value);
}

export function getTurnData<T>(context: TurnContext, key: TurnDataKey<T>): T | undefined {
  return context.turnState.get(key.symbol) as T | undefined;
}
