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
export type KnowledgeAudience = 'private' | 'shared';

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

export function createKnowledgeAnswerer(options: {
  search: KnowledgeSearch;
  groups: GroupDirectory;
  top: number;
}): KnowledgeAnswerer {
  const retrieve = async (aadObjectId: string | undefined, query: string) => {
    const groups = aadObjectId ? await options.groups.groupsOf(aadObjectId) : [EVERYONE];
    return options.search.search(query, { groups, top: options.top, language: detectLanguage(query) });
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
          if (!('notFound' in publicAnswer)) return { kind: 'answer', ...publicAnswer };
          const own = answerExtractively(question, await retrieve(aadObjectId, question));
          return 'notFound' in own ? { kind: 'notFound' } : { kind: 'restricted', private: own };
        }
      } catch (err) {
        if (err instanceof KnowledgeUnavailableError) {
          logger.warn({ err: err.message }, 'knowledge base unavailable');
          return { kind: 'unavailable' };
        }
        throw err;
      }
      const answer = answerExtractively(question, hits);
      return 'notFound' in answer ? { kind: 'notFound' } : { kind: 'answer', ...answer };
    },
  };
}
