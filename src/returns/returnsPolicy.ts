import { citationOf, type Citation, type KnowledgeSearch } from '../knowledge';
import { EVERYONE } from '../knowledge/types';
import { logger } from '../observability/logger';

/** Finds the passage of the returns policy that a return reply cites. */
export interface ReturnsPolicySource {
  /** The returns policy's return-window passage as citation [1], or undefined when not indexed. */
  citation(): Promise<Citation | undefined>;
}

const QUERY = 'returns refunds policy return window days of delivery';

/**
 * The citation comes from the same knowledge index as every other answer (documents for everyone
 * only: the reply may be read in any conversation), so its title, link and snippet are those a
 * knowledge answer about returns would show. Found once, then kept; a failed search is retried
 * on the next call and the reply goes out without the citation meanwhile.
 */
export function knowledgeReturnsPolicy(search: Pick<KnowledgeSearch, 'search'>): ReturnsPolicySource {
  let found: Citation | undefined;
  return {
    async citation() {
      if (found) return found;
      try {
        const hits = await search.search(QUERY, { groups: [EVERYONE], top: 5 });
        const hit =
          hits.find((h) => /return/i.test(h.title) && /\bdays?\b/i.test(h.content)) ??
          hits.find((h) => /return/i.test(h.title));
        if (!hit) return undefined;
        found = citationOf(hit, 1);
        return found;
      } catch (err) {
        logger.warn({ err: String(err) }, 'returns policy citation unavailable');
        return undefined;
      }
    },
  };
}
