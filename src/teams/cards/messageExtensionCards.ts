import type { KnowledgeHit } from '../../knowledge';
import { english, type Translator } from '../../text/i18n';
import {
  adaptiveCard,
  type AdaptiveCard,
  escapeMarkdown,
  facts,
  heading,
  openUrlAction,
  text,
} from './cardBase';

/** Longest snippet put on an inserted knowledge card (characters). */
const SNIPPET_CHARS = 500;

/**
 * A record's id and status only: what a shared conversation may see (link previews, and order
 * cards inserted where others read them). No customer name, items, prices, tracking or title.
 */
export function recordStatusCard(
  kind: 'Order' | 'Ticket',
  id: string,
  status: { label: string; color: string },
  note: string,
  tr: Translator = english,
): AdaptiveCard {
  return adaptiveCard([
    ...heading(tr.t(kind === 'Order' ? 'me.orderRecord' : 'me.ticketRecord', { id })),
    text(status.label, { weight: 'Bolder', color: status.color, size: 'Medium' }),
    text(note, { isSubtle: true, size: 'Small' }),
  ]);
}

/** The passage's text, whitespace collapsed and cut at a word boundary. */
export function snippetOf(content: string, max = SNIPPET_CHARS): string {
  const flat = content.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Where a passage comes from, as the bot's citations name it: title, section, page, file. */
export function citationLine(
  hit: Pick<KnowledgeHit, 'title' | 'headingPath' | 'page' | 'source'>,
  tr: Translator = english,
): string {
  const parts = [hit.title, ...hit.headingPath.slice(-1)];
  if (hit.page !== undefined) parts.push(tr.t('me.page', { page: hit.page }));
  return parts.join(' · ');
}

/** A knowledge-base passage with its citation (title, section, page, source file, link when known). */
export function knowledgeSnippetCard(hit: KnowledgeHit, tr: Translator = english): AdaptiveCard {
  const body = [
    ...heading(
      escapeMarkdown(hit.title),
      hit.headingPath.length ? escapeMarkdown(hit.headingPath.join(' › ')) : undefined,
    ),
    text(escapeMarkdown(snippetOf(hit.content))),
    facts([
      [tr.t('me.source'), escapeMarkdown(citationLine(hit, tr))],
      [tr.t('me.file'), escapeMarkdown(hit.source)],
    ]),
  ];
  const actions =
    hit.url && /^https:\/\//i.test(hit.url) ? [openUrlAction(tr.t('me.openSource'), hit.url)] : [];
  return adaptiveCard(body, actions);
}
