import { english, translator, type Translator } from '../text/i18n';
import type { ActionContext } from './types';

/** The translator for a tool call: the turn's language, English when the caller set none. */
export const translatorFor = (ctx: Pick<ActionContext, 'language'>): Translator =>
  translator(ctx.language ?? 'en');

/** Replies shared by several tools. Not-found wording is identical for unknown and foreign records on purpose. */
export const orderNotFound = (orderId: string, tr: Translator = english) =>
  tr.t('actions.orderNotFound', { orderId });
export const ticketNotFound = (ticketId: string, tr: Translator = english) =>
  tr.t('actions.ticketNotFound', { ticketId });
export const ordersUnavailableIn = (tr: Translator) => tr.t('actions.ordersUnavailable');
export const ticketsUnavailableIn = (tr: Translator) => tr.t('actions.ticketsUnavailable');
export const identityRequiredIn = (tr: Translator) => tr.t('actions.identityRequired');
export const ordersUnavailable = ordersUnavailableIn(english);
export const ticketsUnavailable = ticketsUnavailableIn(english);
/** For callers without a Microsoft Entra object id (e.g. anonymous meeting guests): no personal data. */
export const identityRequired = identityRequiredIn(english);
