import { detectLanguage } from '../text/language';
import {
  answerExtractively,
  EVERYONE,
  KnowledgeUnavailableError,
  type Citation,
  type GroupDirectory,
  type KnowledgeHit,
  type KnowledgeSearch,
} from '../knowledge';
import { expandQuery } from '../knowledge/queryExpansion';
import { logger } from '../observability/logger';

export type KnowledgeReply =
  | { kind: 'answer'; text: string; citations: Citation[] }
  | { kind: 'notFound' }
  | { kind: 'unavailable' }
  /**
   * Shared conversation: only a restricted document answers, which the asker may see but not
   * everyone. The answer is for the asker alone (a 1:1 chat), never for the shared conversation.
   */
  | { kind: 'restricted'; private: { text: string; citations: Citation[] } };

/** 'shared': a channel, group chat or meeting; only documents for everyone may be posted there. */
type KnowledgeAudience = 'private' | 'shared';

/**
 * Retrieval for one user: resolves the user's groups, searches with them as the security
 * filter (in the backend, never in a prompt) and, for the embedded model, answers
 * extractively. A user with no Entra id sees only documents for everyone.
 */
export interface KnowledgeAnswerer {
  retrieve(aadObjectId: string | undefined, query: string): Promise<KnowledgeHit[]>;
  answer(
    aadObjectId: string | undefined,
    question: string,
    audience?: KnowledgeAudience,
  ): Promise<KnowledgeReply>;
}

/** The reply's text and citations (the score only chose it). */
const reply = ({ text, citations }: { text: string; citations: Citation[] }) => ({ text, citations });

export function createKnowledgeAnswerer(options: {
  search: KnowledgeSearch;
  groups: GroupDirectory;
  top: number;
}): KnowledgeAnswerer {
  const retrieve = async (aadObjectId: string | undefined, query: string) => {
    const groups = aadObjectId ? await options.groups.groupsOf(aadObjectId) : [EVERYONE];
    // Searched with the synonyms of what it names ("money back" → refund); answered from the question.
    return options.search.search(expandQuery(query), {
      groups,
      top: options.top,
      language: detectLanguage(query),
    });
  };
  return {
    retrieve,
    async answer(aadObjectId, question, audience = 'private') {
      let hits: KnowledgeHit[];
      try {
        // Shared conversation: search only what every member may see (no group restriction).
        hits = await retrieve(audience === 'shared' ? undefined : aadObjectId, question);
        if (audience === 'shared' && aadObjectId) {
          const publicAnswer = answerExtractively(question, hits);
          const own = answerExtractively(question, await retrieve(aadObjectId, question));
          // What the asker alone may see answers better (or only it answers): it goes to them alone,
          // never as a weaker sentence of a public document in the shared conversation.
          const ownIsRestricted =
            !('notFound' in own) && own.citations.some((c) => !c.groups?.includes(EVERYONE));
          if (ownIsRestricted && ('notFound' in publicAnswer || own.score > publicAnswer.score))
            return { kind: 'restricted', private: reply(own) };
          if (!('notFound' in publicAnswer)) return { kind: 'answer', ...reply(publicAnswer) };
          return 'notFound' in own ? { kind: 'notFound' } : { kind: 'answer', ...reply(own) };
        }
      } catch (err) {
        if (err instanceof KnowledgeUnavailableError) {
          logger.warn({ err: err.message }, 'knowledge base unavailable');
          return { kind: 'unavailable' };
        }
        throw err;
      }
      const answer = answerExtractively(question, hits);
      return 'notFound' in answer ? { kind: 'notFound' } : { kind: 'answer', ...reply(answer) };
    },
  };
}
