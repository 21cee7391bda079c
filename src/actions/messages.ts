import { english, type Translator } from '../text/i18n';

/** Replies shared by several tools. Not-found wording is identical for unknown and foreign records on purpose. */
export const orderNotFound = (orderId: string, tr: Translator = english) =>
  tr.t('actions.orderNotFound', { orderId });
export const ticketNotFound = (ticketId: string, tr: Translator = english) =>
  tr.t('actions.ticketNotFound', { ticketId });
export const ordersUnavailable = english.t('actions.ordersUnavailable');
export const ticketsUnavailable = english.t('actions.ticketsUnavailable');
/** For callers without a Microsoft Entra object id (e.g. anonymous meeting guests): no personal data. */
export const identityRequired = english.t('actions.identityRequired');
