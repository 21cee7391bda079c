import { analyze, ENGLISH_STOP_WORDS } from './textAnalysis';
import { countTokens, decodeTokens, encodeTokens } from '../text/tokens';
import type { KnowledgeHit } from './types';

export interface Citation {
  /** 1-based marker used in the text as [index]. */
  index: number;
  title: string;
  source: string;
  url?: string;
  page?: number;
  snippet: string;
  chunkId: string;
  /** The document's access groups (for its sensitivity label); absent on citations stored before. */
  groups?: string[];
}

export type ExtractiveAnswer = { text: string; citations: Citation[] } | { notFound: true };

export interface ExtractiveOptions {
  /** Hits considered (default 3). */
  maxHits?: number;
  /** Sentences in the answer (default 2). */
  maxSentences?: number;
  /** Share of the question's term weight a sentence must cover to count as relevant (default 0.5). */
  minCoverage?: number;
}

// Question words carry no topic; they are ignored on top of the index's stop words.
const QUESTION_WORDS = new Set([
  'how',
  'what',
  'when',
  'where',
  'which',
  'who',
  'whom',
  'why',
  'many',
  'much',
  'long',
  'do',
  'does',
  'did',
  'can',
  'could',
  'i',
  'me',
  'my',
  'we',
  'our',
  'you',
  'your',
  'get',
  'have',
  'has',
  'should',
  'would',
  'tell',
  'about',
  'please',
  'there',
  'any',
  'is',
  'am',
  'from',
  'after',
  'before',
]);
/** Chinese question words ("how long", "how much", "what time", …): they ask, they are not the topic. */
const CHINESE_QUESTION_WORDS =
  '多久 多少 多长 几 几点 几天 怎么办 哪些 为什么 是否 能否 可否 能不能 可不可以 告诉 知道'.split(' ');
const QUESTION_STOP: ReadonlySet<string> = new Set([
  ...ENGLISH_STOP_WORDS,
  ...QUESTION_WORDS,
  ...CHINESE_QUESTION_WORDS,
]);

/**
 * Candidate sentences of a chunk: paragraphs and list items, with hard-wrapped lines (Markdown, PDF)
 * re-joined, split into sentences; a Markdown table gives one candidate per data row, written as
 * "Header: cell; Header: cell" so the row carries its column names (a question about the cost of
 * express shipping matches the Express row through its "Cost" column) and reads as text in a chat.
 */
function sentencesOf(content: string): string[] {
  return (
    content
      .split(/\n\s*\n/)
      .flatMap((block) => tableRows(block) ?? proseSentences(block))
      .map((s) => s.trim())
      // Chinese says in 6 characters what English needs 12 letters for.
      .filter((s) => (HAN.test(s) ? [...s].length >= 6 : s.length >= 12 && /[A-Za-z]/.test(s)))
  );
}

const HAN = /\p{Script=Han}/u;

function proseSentences(block: string): string[] {
  return block.split(/\n(?=\s*(?:[-*+]|\d+\.|\|)\s)/).flatMap((para) =>
    para
      // A hard-wrapped Chinese line joins without a space; everything else with one.
      .replace(/(\p{Script=Han})\s*\n\s*(?=\p{Script=Han})/gu, '$1')
      .replace(/\s+/g, ' ')
      .split(/(?<=[.!?])\s+(?=[A-Z0-9"(])|(?<=[。！？])/),
  );
}

const TABLE_SEPARATOR = /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$/;

/** The data rows of a Markdown table (header row, separator row, rows), or undefined for anything else. */
function tableRows(block: string): string[] | undefined {
  const lines = block
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length < 3 || !lines.every((l) => l.startsWith('|')) || !TABLE_SEPARATOR.test(lines[1]!))
    return undefined;
  const cells = (line: string) =>
    line
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((c) => c.trim());
  const header = cells(lines[0]!);
  return lines.slice(2).map((line) =>
    cells(line)
      .map((cell, i) => (cell && header[i] ? `${header[i]}: ${cell}` : cell))
      .filter(Boolean)
      .join('; '),
  );
}

interface Candidate {
  hit: KnowledgeHit;
  sentence: string;
  score: number;
  coverage: number;
  order: number;
}

/**
 * Picks the best sentences from the top hits, verbatim, each followed by an [n] marker of its
 * chunk. Never writes its own words: when no sentence covers enough of the question, returns
 * { notFound: true } so the bot can say it could not find the answer.
 */
const TIME_QUESTION_TERMS = new Set(analyze('hours hour opening times time'));
const TIME_OF_DAY = /\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b/i;

export function answerExtractively(
  question: string,
  hits: readonly KnowledgeHit[],
  opts: ExtractiveOptions = {},
): ExtractiveAnswer {
  const maxHits = opts.maxHits ?? 3;
  const maxSentences = opts.maxSentences ?? 2;
  const minCoverage = opts.minCoverage ?? 0.5;
  const text = typeof question === 'string' ? question : '';
  const chinese = HAN.test(text);
  // A Chinese question's terms are its dictionary words (its character bigrams would count as
  // topics that no sentence has); a Chinese sentence is also about the headings above it, since a
  // question names the topic as the heading does (退货期限) while the sentence uses the verb (退货).
  const qTerms = [...new Set(analyze(text, QUESTION_STOP, { bigrams: !chinese }))];
  if (!qTerms.length || !hits.length) return { notFound: true };

  const pool: {
    hit: KnowledgeHit;
    sentence: string;
    terms: Set<string>;
    /** Heading terms (Chinese only): they let a sentence pass the coverage bar, not win the ranking. */
    context: Set<string>;
    order: number;
  }[] = [];
  hits.slice(0, maxHits).forEach((hit, h) =>
    sentencesOf(hit.content).forEach((sentence, s) => {
      const context = new Set(chinese && HAN.test(sentence) ? analyze(hit.headingPath.join(' ')) : []);
      pool.push({ hit, sentence, terms: new Set(analyze(sentence)), context, order: h * 1000 + s });
    }),
  );
  if (!pool.length) return { notFound: true };
  // Terms rare among the candidate sentences weigh more (idf over sentences).
  const weight = new Map(
    qTerms.map((t) => [t, Math.log(1 + pool.length / (1 + pool.filter((p) => p.terms.has(t)).length))]),
  );
  const total = [...weight.values()].reduce((a, b) => a + b, 0);

  // "what are the phone support hours?": a sentence stating times ("8 am to 8 pm") is about hours.
  const timeTerms = new Set(qTerms.filter((t) => TIME_QUESTION_TERMS.has(t)));
  const candidates: Candidate[] = pool
    .map((p) => {
      if (timeTerms.size && TIME_OF_DAY.test(p.sentence)) for (const t of timeTerms) p.terms.add(t);
      const matched = qTerms.filter((t) => p.terms.has(t)).reduce((a, t) => a + weight.get(t)!, 0);
      const inContext = qTerms
        .filter((t) => !p.terms.has(t) && p.context.has(t))
        .reduce((a, t) => a + weight.get(t)!, 0);
      // Slight preference for higher-ranked hits and shorter sentences at equal coverage.
      const rankBonus = 1 - Math.floor(p.order / 1000) * 0.05;
      return {
        hit: p.hit,
        sentence: p.sentence,
        coverage: (matched + inContext) / total,
        score: ((matched + inContext / 2) / total) * rankBonus,
        order: p.order,
      };
    })
    .filter((c) => c.coverage >= minCoverage)
    .sort((a, b) => b.score - a.score || a.sentence.length - b.sentence.length);
  if (!candidates.length) return { notFound: true };

  const best = candidates[0]!;
  const chosen = [
    best,
    ...candidates.slice(1).filter((c) => c.score >= best.score * 0.75 && c.sentence !== best.sentence),
  ].slice(0, maxSentences);
  chosen.sort((a, b) => a.order - b.order); // keep document order within the answer

  const citations: Citation[] = [];
  const indexOf = new Map<string, number>();
  const parts = chosen.map((c) => {
    let index = indexOf.get(c.hit.id);
    if (index === undefined) {
      index = citations.length + 1;
      indexOf.set(c.hit.id, index);
      citations.push({
        index,
        title: c.hit.title,
        source: c.hit.source,
        ...(c.hit.url ? { url: c.hit.url } : {}),
        ...(c.hit.page !== undefined ? { page: c.hit.page } : {}),
        snippet: c.sentence,
        chunkId: c.hit.id,
        groups: c.hit.groups,
      });
    } else {
      citations[index - 1]!.snippet += ` ${c.sentence}`;
    }
    return `${c.sentence} [${index}]`;
  });
  return { text: parts.join(' '), citations };
}

export interface PromptContext {
  /** The fenced sources, ready to place in the prompt. */
  text: string;
  citations: Citation[];
  tokens: number;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * Packs hits, best first, into `tokenBudget` tokens for an LLM prompt. Each hit is fenced as data in
 * a <source index="n"> element so the model can cite [n] and cannot mistake it for instructions;
 * a closing tag inside the content is neutralized. The first hit is truncated if it alone is too long.
 */
export function buildContext(hits: readonly KnowledgeHit[], tokenBudget: number): PromptContext {
  if (!Number.isInteger(tokenBudget) || tokenBudget < 1)
    throw new RangeError('tokenBudget must be a positive integer');
  const blocks: string[] = [];
  const citations: Citation[] = [];
  let used = 0;
  for (const hit of hits) {
    const index = citations.length + 1;
    const attrs = [
      `index="${index}"`,
      `title="${escapeAttr(hit.title)}"`,
      `source="${escapeAttr(hit.url ?? hit.source)}"`,
    ];
    if (hit.page !== undefined) attrs.push(`page="${hit.page}"`);
    const open = `<source ${attrs.join(' ')}>\n`;
    const close = '\n</source>';
    let content = hit.content.replace(/<\/?source\b/gi, (m) => m.replace('<', '&lt;'));
    const overhead = countTokens(open + close) + (blocks.length ? 1 : 0);
    let tokens = overhead + countTokens(content);
    if (used + tokens > tokenBudget) {
      if (blocks.length || overhead >= tokenBudget - used) break;
      content = decodeTokens(encodeTokens(content).slice(0, tokenBudget - used - overhead));
      tokens = tokenBudget - used;
    }
    blocks.push(open + content + close);
    used += tokens;
    citations.push({
      index,
      title: hit.title,
      source: hit.source,
      ...(hit.url ? { url: hit.url } : {}),
      ...(hit.page !== undefined ? { page: hit.page } : {}),
      snippet: hit.content.slice(0, 200),
      chunkId: hit.id,
      groups: hit.groups,
    });
  }
  return { text: blocks.join('\n'), citations, tokens: used };
}
