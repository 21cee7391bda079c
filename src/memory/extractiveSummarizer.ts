import type { MemoryTurn, Summarizer } from './conversationMemory';
import { countTokens, truncateToTokens } from '../text/tokens';
import { tokenizeWords } from '../text/words';

/**
 * An offline summarizer for embedded mode: keeps the most informative sentences of the
 * previous summary plus the dropped messages, in their original order, within a token cap.
 *
 * Sentence score = topicality (mean frequency of its content words across all candidates,
 * scaled to 0..1) + recency (0..1, newer sentences win ties) + 2 when it carries an identifier
 * (order numbers, ticket ids: what a customer-service conversation must not forget).
 */
export interface ExtractiveSummarizerOptions {
  /** Token cap for the summary. Default 400. */
  maxTokens?: number;
  /** Sentences shorter than this many characters are ignored ("ok", "thanks"). Default 12. */
  minSentenceChars?: number;
}

const STOPWORDS = new Set(
  (
    'a an the and or but if then so of to in on at by for with from as is are was were be been being it its this that ' +
    'these those i me my we our you your he she they them their what which who whom how when where why can could would ' +
    'should will shall may might must do does did done have has had not no yes ok okay please thanks thank hi hello ' +
    'there here just also very about into than too up down out over again more most some any all each user assistant'
  ).split(' '),
);

const IDENTIFIER = /\b(?=[A-Za-z-]*\d)[A-Za-z0-9][A-Za-z0-9-]{2,}\b/;

interface Candidate {
  text: string;
  order: number;
  words: string[];
}

export function createExtractiveSummarizer(options: ExtractiveSummarizerOptions = {}): Summarizer {
  const maxTokens = options.maxTokens ?? 400;
  const minChars = options.minSentenceChars ?? 12;
  const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

  const sentencesOf = (text: string): string[] =>
    Array.from(segmenter.segment(text), (s) => s.segment.replace(/\s+/g, ' ').trim()).filter(
      (s) => s.length > 0,
    );

  return async (previousSummary: string, droppedTurns: MemoryTurn[]): Promise<string> => {
    const candidates: Candidate[] = [];
    const add = (text: string) => {
      if (text.length < minChars) return;
      if (candidates.some((c) => c.text === text)) return; // repeated sentences add nothing
      candidates.push({ text, order: candidates.length, words: wordsOf(text) });
    };
    // Previous summary lines are already "Role: sentence"; keep them as they are.
    for (const line of previousSummary.split('\n')) for (const s of sentencesOf(line)) add(s);
    for (const turn of droppedTurns) {
      const role = turn.role === 'user' ? 'User' : 'Assistant';
      for (const s of sentencesOf(turn.text)) add(`${role}: ${s}`);
    }
    if (candidates.length === 0) return previousSummary;

    const freq = new Map<string, number>();
    for (const c of candidates) for (const w of new Set(c.words)) freq.set(w, (freq.get(w) ?? 0) + 1);
    const maxFreq = Math.max(...freq.values());
    // Three terms of similar scale: identifiers (+2), recency (0..1), topicality (0..1).
    const score = (c: Candidate) => {
      const content = c.words.filter((w) => !STOPWORDS.has(w));
      const topical =
        content.length === 0
          ? 0
          : content.reduce((sum, w) => sum + (freq.get(w) ?? 0), 0) / content.length / maxFreq;
      const idBoost = IDENTIFIER.test(c.text) ? 2 : 0;
      const recency = (c.order + 1) / candidates.length;
      return idBoost + recency + topical;
    };

    const ranked = [...candidates].sort((a, b) => score(b) - score(a) || b.order - a.order);
    const chosen: Candidate[] = [];
    let used = 0;
    for (const c of ranked) {
      const cost = countTokens(c.text) + 1; // +1 for the newline
      if (used + cost > maxTokens) continue;
      chosen.push(c);
      used += cost;
    }
    if (chosen.length === 0) return truncateToTokens(ranked[0].text, maxTokens);
    return chosen
      .sort((a, b) => a.order - b.order)
      .map((c) => c.text)
      .join('\n');
  };
}

function wordsOf(text: string): string[] {
  return tokenizeWords(text.toLowerCase(), { bigrams: false }).filter((w) => w.length > 1);
}
