import { cardAction, type ConversationRef } from './activities';
import type { ConnectorCall, LocalConnector } from './connector';

/** The Adaptive Cards in a recorded bot message. */
export function cardsOf(call: ConnectorCall | undefined): Record<string, any>[] {
  return (call?.activity.attachments ?? [])
    .filter((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive')
    .map((a: any) => a.content);
}

/** Finds an Action.Execute with the given verb anywhere in a card. */
export function findExecuteAction(
  card: unknown,
  verb: string,
): { verb: string; data: Record<string, unknown> } | undefined {
  if (card === null || typeof card !== 'object') return undefined;
  const node = card as Record<string, any>;
  if (node.type === 'Action.Execute' && node.verb === verb) return { verb, data: node.data ?? {} };
  for (const value of Object.values(node)) {
    const found = Array.isArray(value)
      ? value.map((v) => findExecuteAction(v, verb)).find(Boolean)
      : findExecuteAction(value, verb);
    if (found) return found;
  }
  return undefined;
}

/** All visible text of a card (TextBlocks, facts), for content assertions. */
export function cardText(card: unknown): string {
  return JSON.stringify(card);
}

/**
 * The Confirm click on the ticket draft card the bot sent in reply to `draftActivityId`, as the
 * invoke activity Teams would post; throws when no such card or button was sent.
 */
export function confirmDraftAction(
  connector: LocalConnector,
  conv: ConversationRef,
  draftActivityId: string,
) {
  const card = cardsOf(
    connector.messages(conv.id).find((c) => c.activityId === draftActivityId && cardsOf(c).length),
  )[0];
  const confirm = findExecuteAction(card, 'ticket.confirm');
  if (!confirm) throw new Error(`no ticket draft card with Confirm in reply to ${draftActivityId}`);
  return cardAction(connector.url, conv, 'ticket.confirm', confirm.data);
}

/** Message text and card content of the bot's answer to one message, as a person reads it. */
export function shownText(calls: ConnectorCall[]): string {
  return calls.map((c) => [String(c.activity.text ?? ''), ...cardsOf(c).map(cardText)].join('\n')).join('\n');
}

/** Whether any card in the answer has an Action.Execute button with this verb. */
export function hasCardAction(calls: ConnectorCall[], verb: string): boolean {
  return calls.some((c) => cardsOf(c).some((card) => findExecuteAction(card, verb)));
}
