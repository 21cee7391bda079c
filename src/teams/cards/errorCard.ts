import { type AdaptiveCard, adaptiveCard, text } from './cardBase';

/** Shown in place of a card when a card action is refused or fails. */
export function errorCard(message: string, title = 'That did not work'): AdaptiveCard {
  return adaptiveCard([text(title, { weight: 'Bolder', color: 'Attention', size: 'Medium' }), text(message)]);
}
