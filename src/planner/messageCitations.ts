import type { Citation as MessageCitation } from '@microsoft/teams-ai';
import type { Citation as KnowledgeCitation } from '../knowledge';

/**
 * Knowledge citations → teams-ai message citations, in marker order ([1] is the first).
 * The page goes into the title so it survives into the Teams citation card.
 */
export function toMessageCitations(citations: readonly KnowledgeCitation[]): MessageCitation[] {
  return [...citations]
    .sort((a, b) => a.index - b.index)
    .map((c) => ({
      title: c.page !== undefined ? `${c.title} (p. ${c.page})` : c.title,
      url: c.url ?? '',
      filepath: c.source,
      content: c.snippet,
    }));
}
