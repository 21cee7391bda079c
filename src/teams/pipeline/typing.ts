import { withTyping } from '../typing';
import { turnStep, type TurnStep } from './step';

/** The typing indicator while the rest of the turn works (see ../typing.ts for when it shows). */
export function showTyping(): TurnStep {
  return turnStep('typing', (context, next) => withTyping(context, next));
}
