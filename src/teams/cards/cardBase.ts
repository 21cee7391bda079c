import type { CardActionVerb, CardVerbInput } from './cardVerbs';
/** Minimal Adaptive Card JSON helpers (schema 1.5). Pure data: no botbuilder imports. */
export type CardElement = Record<string, unknown>;

export type AdaptiveCard = {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardElement[];
  /** Universal Actions refresh: per-user views (see ticketCards.withUserRefresh). */
  refresh?: { action: CardElement; userIds?: string[] };
};

const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

export function adaptiveCard(body: CardElement[], actions?: CardElement[]): AdaptiveCard {
  const card: AdaptiveCard = { type: 'AdaptiveCard', $schema: ADAPTIVE_CARD_SCHEMA, version: '1.5', body };
  if (actions && actions.length > 0) card.actions = actions;
  return card;
}

export function heading(text: string, subtle?: string): CardElement[] {
  const out: CardElement[] = [
    { type: 'TextBlock', text, size: 'Large', weight: 'Bolder', wrap: true, style: 'heading' },
  ];
  if (subtle) out.push({ type: 'TextBlock', text: subtle, isSubtle: true, spacing: 'None', wrap: true });
  return out;
}

export function text(value: string, extra: CardElement = {}): CardElement {
  return { type: 'TextBlock', text: value, wrap: true, ...extra };
}

/** A FactSet, skipping facts without a value. */
export function facts(entries: [string, string | undefined][]): CardElement {
  return {
    type: 'FactSet',
    facts: entries.filter(([, v]) => v !== undefined && v !== '').map(([title, value]) => ({ title, value })),
  };
}

/** Universal Action (Action.Execute): Teams sends an adaptiveCard/action invoke with verb + data. */
export function executeAction<V extends CardActionVerb>(
  title: string,
  verb: V,
  data: CardVerbInput<V>,
  extra: CardElement = {},
): CardElement {
  return { type: 'Action.Execute', title, verb, data, ...extra };
}

export function openUrlAction(title: string, url: string): CardElement {
  return { type: 'Action.OpenUrl', title, url };
}

export { isoDay } from '../../text/dates';

/**
 * The card's language on its buttons (only when not English, so English cards stay as they were):
 * a click comes back without text, and the card it produces keeps the language it was shown in.
 */
export function langData(tr: { language: string }): { lang?: 'zh-CN' } {
  return tr.language === 'zh-CN' ? { lang: 'zh-CN' } : {};
}

const currencyFormats = new Map<string, Intl.NumberFormat>();

/** Formats an amount; formatters are cached per currency (building one costs more than formatting). */
export function money(amount: number, currency: string): string {
  try {
    let format = currencyFormats.get(currency);
    if (!format) {
      format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
      currencyFormats.set(currency, format);
    }
    return format.format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

/**
 * Escapes user-provided text for a TextBlock or FactSet value, which Teams renders as Markdown: a
 * title like `[x](http://evil)` must show as typed, not as a live link (nor as bold, a list or
 * a heading). Backslash escapes of ASCII punctuation are CommonMark, which Adaptive Cards follow.
 */
export function escapeMarkdown(value: string): string {
  return value
    .replace(/[\\`*_[\]()~]/g, '\\$&')
    .replace(/^(\s*)([-+#>]|\d+(?=[.)]))/gm, (_, space: string, mark: string) =>
      /^\d/.test(mark) ? `${space}${mark}\\` : `${space}\\${mark}`,
    );
}
