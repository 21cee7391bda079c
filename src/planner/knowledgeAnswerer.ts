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
import { FOLLOW_UP_WINDOW_MS, isFollowUp } from '../knowledge/followUp';
import { expandQuery, spellOutDepartments, withoutDurationVerb } from '../knowledge/queryExpansion';
import { logger } from '../observability/logger';

export type KnowledgeReply =
  | { kind: 'answer'; text: string; citations: Citation[] }
  /** `unknownName`: what the question names that no document mentions ("bitcoin", 支付宝). */
  | { kind: 'notFound'; unknownName?: string }
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
    /** The question a follow-up ("and on Sundays?") leans on: searched with it, answered with its help. */
    previousQuestion?: string,
  ): Promise<KnowledgeReply>;
}

/** The reply's text and citations (the score only chose it). */
const reply = ({ text, citations }: { text: string; citations: Citation[] }) => ({ text, citations });
const notFound = (answer: { unknownName?: string }): KnowledgeReply =>
  answer.unknownName ? { kind: 'notFound', unknownName: answer.unknownName } : { kind: 'notFound' };

export function createKnowledgeAnswerer(options: {
  search: KnowledgeSearch;
  groups: GroupDirectory;
  top: number;
}): KnowledgeAnswerer {
  const retrieve = async (aadObjectId: string | undefined, query: string) => {
    const groups = aadObjectId ? await options.groups.groupsOf(aadObjectId) : [EVERYONE];
    // Searched with the synonyms of what it names ("money back" → refund), and with "when will my
    // parcel arrive" read as its delivery time; answered from the question.
    return options.search.search(expandQuery(withoutDurationVerb(query)), {
      groups,
      top: options.top,
      language: detectLanguage(query),
      semanticQuery: query,
    });
  };
  return {
    retrieve,
    async answer(aadObjectId, asked, audience = 'private', previousQuestion) {
      // "who do I call after hours for IT?": the department, searched and answered as such.
      const question = spellOutDepartments(asked);
      let hits: KnowledgeHit[];
      const query = previousQuestion ? `${previousQuestion} ${question}` : question;
      const extract = (found: readonly KnowledgeHit[]) =>
        answerExtractively(
          question,
          found,
          // A follow-up asks for one detail: its best sentence (a procedure still comes whole).
          previousQuestion ? { previousQuestion, maxSentences: 1 } : {},
        );
      try {
        // Shared conversation: search only what every member may see (no group restriction).
        hits = await retrieve(audience === 'shared' ? undefined : aadObjectId, query);
        if (audience === 'shared' && aadObjectId) {
          const publicAnswer = extract(hits);
          const own = extract(await retrieve(aadObjectId, query));
          // What the asker alone may see answers better (or only it answers): it goes to them alone,
          // never as a weaker sentence of a public document in the shared conversation.
          const ownIsRestricted =
            !('notFound' in own) && own.citations.some((c) => !c.groups?.includes(EVERYONE));
          if (ownIsRestricted && ('notFound' in publicAnswer || own.score > publicAnswer.score))
            return { kind: 'restricted', private: reply(own) };
          if (!('notFound' in publicAnswer)) return { kind: 'answer', ...reply(publicAnswer) };
          return 'notFound' in own ? notFound(own) : { kind: 'answer', ...reply(own) };
        }
      } catch (err) {
        if (err instanceof KnowledgeUnavailableError) {
          logger.warn({ err: err.message }, 'knowledge base unavailable');
          return { kind: 'unavailable' };
        }
        throw err;
      }
      const answer = extract(hits);
      return 'notFound' in answer ? notFound(answer) : { kind: 'answer', ...reply(answer) };
    },
  };
}

/** The question a follow-up may lean on, as the conversation state keeps it (per member). */
export interface FollowUpTopic {
  question: string;
  /** When it was answered (ISO): a follow-up leans on it for FOLLOW_UP_WINDOW_MS. */
  at: string;
}

/**
 * Follow-up questions (src/knowledge/followUp.ts): a message worded as a follow-up ("and on
 * sundays?") within FOLLOW_UP_WINDOW_MS of the last answered question (`before`, which the caller
 * keeps in the conversation state) is answered with it as context, and alone when that finds
 * nothing. `topic` is what the caller keeps for the next follow-up: the first question of a run
 * ("and on Saturdays?" after "and on Sundays?" still leans on the opening-hours question), or
 * undefined when nothing was answered.
 */
export async function answerWithFollowUp(
  inner: KnowledgeAnswerer,
  aadObjectId: string | undefined,
  question: string,
  audience: KnowledgeAudience,
  before: FollowUpTopic | undefined,
  now = Date.now(),
): Promise<{ reply: KnowledgeReply; topic?: string }> {
  const answered = (r: KnowledgeReply) => r.kind === 'answer' || r.kind === 'restricted';
  const context =
    before && now - Date.parse(before.at) < FOLLOW_UP_WINDOW_MS && isFollowUp(question)
      ? before.question
      : undefined;
  if (context) {
    const reply = await inner.answer(aadObjectId, question, audience, context);
    if (reply.kind !== 'notFound') return { reply, topic: answered(reply) ? context : undefined };
  }
  const reply = await inner.answer(aadObjectId, question, audience);
  return { reply, topic: answered(reply) ? question : undefined };
}
