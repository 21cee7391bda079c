import { type AdaptiveCard, adaptiveCard, text } from './cardBase';
import { english } from '../../text/i18n';

/** Shown in place of a card when a card action is refused or fails. */
export function errorCard(message: string, title = english.t('errorCard.title')): AdaptiveCard {
  return adaptiveCard([text(title, { weight: 'Bolder', color: 'Attention', size: 'Medium' }), text(message)]);
}
