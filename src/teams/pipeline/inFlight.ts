import { turnStep, type TurnStep } from './step';

/** Tracks running turns in `inFlight`, so graceful shutdown can wait for them (up to a deadline). */
export function trackInFlight(inFlight: Set<Promise<void>>): TurnStep {
  return turnStep('inFlight', async (_context, next) => {
    const turn = next();
    inFlight.add(turn);
    try {
      await turn;
    } finally {
      inFlight.delete(turn);
    }
  });
}
