import type { Middleware, TurnContext } from 'botbuilder';

/** One step of the turn pipeline: a botbuilder Middleware with a name (logs, the order test). */
export interface TurnStep extends Middleware {
  readonly name: string;
}

/** A named Middleware from its onTurn function. */
export function turnStep(
  name: string,
  onTurn: (context: TurnContext, next: () => Promise<void>) => Promise<void>,
): TurnStep {
  return { name, onTurn };
}
