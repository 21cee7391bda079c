import { conceptsOf, isSynonymWord, SYNONYM_VOCABULARY } from './queryExpansion';
import { WordVocabulary } from './spelling';
import { analyze, analyzeTerm, ENGLISH_STOP_WORDS } from './textAnalysis';
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

/** `score`: how well the best sentence answers (comparable across calls for the same question). */
export type ExtractiveAnswer = { text: string; citations: Citation[]; score: number } | { notFound: true };

export interface ExtractiveOptions {
  /** Hits considered (default 3). */
  maxHits?: number;
  /** Sentences in the answer (default 2). */
  maxSentences?: number;
  /** Score the best sentence needs, else notFound (default DEFAULT_MIN_ANSWER_SCORE). */
  minScore?: number;
  /** Weight of the sentence's own coverage against its chunk's (default SENTENCE_SHARE; calibration). */
  sentenceShare?: number;
  /** Bonus for concepts the document's title names (default TITLE_BONUS; calibration). */
  titleBonus?: number;
  /** Weight of a synonym-list concept against a plain word (default SYNONYM_WEIGHT; calibration). */
  synonymWeight?: number;
  /** Coverage the sentence itself needs (default MIN_SENTENCE_COVERAGE; calibration). */
  minSentenceCoverage?: number;
  /** Older name of minScore. */
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
  // "per year", "each day": the unit is in the other word.
  'per',
  'each',
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
 * A candidate for the answer: a sentence, a table row written as "Header: cell; …", or one step of a
 * numbered list. `headings` are heading lines found above it inside the chunk (a PDF page starts
 * with its title as a plain line): they are context, never part of the sentence. `list` numbers the
 * numbered list a step belongs to, so a chosen step brings its whole procedure.
 */
interface Unit {
  text: string;
  headings: string[];
  list?: number;
  /** Numbers the table a row belongs to: another row of it is another answer, not more of this one. */
  table?: number;
}

/**
 * Candidate units of a chunk: paragraphs and list items, with hard-wrapped lines (Markdown, PDF)
 * re-joined, split into sentences; a Markdown table gives one candidate per data row, written as
 * "Header: cell; Header: cell" so the row carries its column names (a question about the cost of
 * express shipping matches the Express row through its "Cost" column) and reads as text in a chat.
 */
function unitsOf(content: string): Unit[] {
  const out: Unit[] = [];
  let headings: string[] = [];
  content.split(/\n\s*\n/).forEach((block, b) => {
    const rows = tableRows(block);
    if (rows) {
      out.push(...rows.map((text) => ({ text, headings, table: b })));
      return;
    }
    for (const part of proseParts(block)) {
      if (part.heading) {
        headings = [...headings, part.text];
        continue;
      }
      if (part.step) out.push({ text: part.text, headings, list: b });
      else out.push(...splitSentences(part.text).map((text) => ({ text, headings })));
    }
  });
  return (
    out
      .map((u) => ({ ...u, text: u.text.trim() }))
      // Chinese says in 6 characters what English needs 12 letters for.
      .filter((u) =>
        HAN.test(u.text) ? [...u.text].length >= 6 : u.text.length >= 12 && /[A-Za-z]/.test(u.text),
      )
  );
}

const HAN = /\p{Script=Han}/u;
const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s/;
const NUMBERED = /^\s*\d+[.)]\s/;

/**
 * A heading line inside a chunk's text: a short line without closing punctuation, followed by a
 * line that starts a sentence (PDF and plain-text pages carry their section titles this way).
 */
function isHeadingLine(line: string, next: string | undefined): boolean {
  const t = line.trim();
  if (/^#{1,6}\s/.test(t)) return true;
  if (!next || !t || LIST_ITEM.test(t) || HAN.test(t)) return false;
  if (/[.!?:;,)"']$/.test(t) || !/^[\p{Lu}\d]/u.test(t)) return false;
  if (t.length > 60 || t.split(/\s+/).length > 8) return false;
  return /^\s*[\p{Lu}\d"(]/u.test(next) || LIST_ITEM.test(next);
}

/** The paragraphs, list items and heading lines of a block, with hard-wrapped lines re-joined. */
function proseParts(block: string): { text: string; heading?: true; step?: true }[] {
  const lines = block.split('\n').filter((l) => l.trim());
  const parts: { text: string; heading?: true; step?: true }[] = [];
  let current: string[] = [];
  const flush = () => {
    if (!current.length) return;
    // A hard-wrapped Chinese line joins without a space; everything else with one.
    const text = current
      .join('\n')
      .replace(/(\p{Script=Han})\s*\n\s*(?=\p{Script=Han})/gu, '$1')
      .replace(/\s+/g, ' ')
      .trim();
    parts.push(NUMBERED.test(current[0]!) ? { text, step: true } : { text });
    current = [];
  };
  lines.forEach((line, i) => {
    // Only a line that starts the block or follows a finished sentence can be a heading.
    const prev = i > 0 ? lines[i - 1]!.trim() : '';
    const afterBreak = i === 0 || /[.!?:]$/.test(prev) || parts.at(-1)?.heading;
    if (afterBreak && !current.length && isHeadingLine(line, lines[i + 1])) {
      parts.push({ text: line.trim().replace(/^#{1,6}\s+/, ''), heading: true });
      return;
    }
    if (afterBreak && current.length && isHeadingLine(line, lines[i + 1])) {
      flush();
      parts.push({ text: line.trim().replace(/^#{1,6}\s+/, ''), heading: true });
      return;
    }
    if (LIST_ITEM.test(line)) flush();
    current.push(line);
  });
  flush();
  return parts;
}

function splitSentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[A-Z0-9"(])|(?<=[。！？])/);
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

/**
 * Score at or above which the best sentence answers the question; below it the bot says it could not
 * find the answer. Calibrated on the DEV split of data/eval/questions.json (bench/eval/calibrate.ts,
 * docs/knowledge.md), never on the evaluation split.
 */
export const DEFAULT_MIN_ANSWER_SCORE = 0.3;

/** Questions that ask for an amount, a duration, a date or a number: a sentence with digits fits better. */
const WANTS_NUMBER =
  /\b(how (?:long|many|much|soon|fast|quickly|often)|when|what time|which days?|until|deadline|phone|number|price|cost|fee|limit|cap|minimum|maximum|percent|rate)\b|多久|多少|几/i;

/**
 * Share of the question's weight the sentence itself (with its title and headings) must cover, whatever
 * its chunk covers: a sentence that shares only "days" and "year" with a question about annual leave
 * is not an answer to it (chosen on the DEV split).
 */
export const MIN_SENTENCE_COVERAGE = 0.35;

/** How much more a concept of the curated synonym list weighs than a plain word (chosen on the DEV split). */
export const SYNONYM_WEIGHT = 2;

/** A sentence about the document itself ("This page explains …") describes, it does not answer. */
const ABOUT_THE_DOCUMENT =
  /^(?:this|these) (?:page|document|guide|guidelines|handbook|section|policy)s? (?:explains?|describes?|collects?|covers?|lists?)\b/i;

/** "How do I …" questions ask for a procedure: the steps of a numbered list are preferred. */
const WANTS_STEPS =
  /\bhow (?:do|can|should|would) (?:i|we|you)\b|\bhow to\b|\b(?:steps?|procedure|process)\b|怎么(?!办)|如何|流程|步骤/i;

/** Weight of the sentence's own coverage against its chunk's (chosen on the DEV split). */
export const SENTENCE_SHARE = 0.4;
/**
 * A document whose title names what the question asks about ("Product warranty" for a warranty
 * question) is preferred over one that only mentions it: this share of the question's weight its
 * title covers is added to the score (chosen on the DEV split).
 */
export const TITLE_BONUS = 0.2;

/** "8 am to 8 pm", "09:00": a sentence stating times of day answers a question about hours. */
const TIME_OF_DAY = /\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b/i;
const HOUR_TERMS = new Set(analyze('hours hour times time'));

interface PoolEntry {
  hit: KnowledgeHit;
  /** Rank of the hit in the retrieval result (0 = best). */
  rank: number;
  unit: Unit;
  terms: Set<string>;
  /** Title, heading path and heading lines above the sentence: they say what it is about. */
  context: Set<string>;
  /** The document title's terms alone. */
  title: Set<string>;
  order: number;
}

interface Candidate extends PoolEntry {
  score: number;
  coverage: number;
}

const covers = (terms: Set<string>, alternative: string[]) => alternative.every((t) => terms.has(t));

/**
 * Picks the best sentences from the top hits, verbatim, each followed by an [n] marker of its
 * chunk. Never writes its own words. A sentence scores by the share of the question's concepts
 * (its words, misspellings read as the nearest word of the text, synonym phrases from
 * synonyms.json) it contains, weighted by how rare each is among the candidates; concepts found
 * only in the sentence's title or headings count half; higher-ranked hits and sentences with a
 * number for "how long / how many" questions are slightly preferred. A step of a numbered list
 * brings the whole list, in order. When the best score is below `minScore`, returns
 * { notFound: true } so the bot can say it could not find the answer.
 */
export function answerExtractively(
  question: string,
  hits: readonly KnowledgeHit[],
  opts: ExtractiveOptions = {},
): ExtractiveAnswer {
  const maxHits = opts.maxHits ?? 3;
  const maxSentences = opts.maxSentences ?? 2;
  const minScore = opts.minScore ?? opts.minCoverage ?? DEFAULT_MIN_ANSWER_SCORE;
  const sentenceShare = opts.sentenceShare ?? SENTENCE_SHARE;
  const titleBonus = opts.titleBonus ?? TITLE_BONUS;
  const minSentenceCoverage = opts.minSentenceCoverage ?? MIN_SENTENCE_COVERAGE;
  const synonymWeight = opts.synonymWeight ?? SYNONYM_WEIGHT;
  const text = typeof question === 'string' ? question : '';
  const chinese = HAN.test(text);
  // A Chinese question's terms are its dictionary words (its character bigrams would count as
  // topics that no sentence has).
  if (!analyze(text, QUESTION_STOP).length || !hits.length) return { notFound: true };

  const pool: PoolEntry[] = [];
  hits.slice(0, maxHits).forEach((hit, h) => {
    const docContext = analyze([hit.title, ...hit.headingPath].join(' '));
    const title = new Set(analyze(hit.title));
    unitsOf(hit.content).forEach((unit, s) => {
      const context = new Set([...docContext, ...analyze(unit.headings.join(' '))]);
      pool.push({
        hit,
        rank: h,
        unit,
        terms: new Set(analyze(unit.text)),
        context,
        title,
        order: h * 1000 + s,
      });
    });
  });
  if (!pool.length) return { notFound: true };

  // Misspelt question words are read as the closest word of the retrieved text (spelling.ts).
  const known = new Set(pool.flatMap((p) => [...p.terms, ...p.context]));
  let words: WordVocabulary | undefined; // built only when a word needs reading
  const corrected = text.replace(/[A-Za-z]+/g, (word) => {
    const term = analyzeTerm(word, QUESTION_STOP);
    if (!term || known.has(term) || word.length < 5 || isSynonymWord(word)) return word;
    if (!words) {
      words = new WordVocabulary();
      for (const p of pool) words.add(`${p.unit.text} ${p.unit.headings.join(' ')}`);
      hits.slice(0, maxHits).forEach((hit) => words!.add([hit.title, ...hit.headingPath].join(' ')));
      words.add(SYNONYM_VOCABULARY);
    }
    return words.correct(word) ?? word;
  });
  const concepts = conceptsOf([...new Set(analyze(corrected, QUESTION_STOP, { bigrams: !chinese }))]);
  const inText = (p: PoolEntry, alts: string[][]) => alts.some((a) => covers(p.terms, a));
  const inContext = (p: PoolEntry, alts: string[][]) => alts.some((a) => covers(p.context, a));
  // Concepts rare among the candidate sentences weigh more (idf over sentences); a concept of the
  // curated synonym list names a topic of the knowledge base and weighs `synonymWeight` times more.
  const weight = concepts.map(
    (c) =>
      Math.log(1 + pool.length / (1 + pool.filter((p) => inText(p, c.alternatives)).length)) *
      (c.alternatives.length > 1 ? synonymWeight : 1),
  );
  const total = weight.reduce((a, b) => a + b, 0);
  const wantsNumber = WANTS_NUMBER.test(text);
  const wantsSteps = WANTS_STEPS.test(text);
  // How much of the question the sentence's whole chunk covers: a paraphrase often names in the
  // question what the chunk says across two sentences and its heading.
  const chunkTerms = new Map<string, Set<string>>();
  for (const p of pool) {
    const set = chunkTerms.get(p.hit.id) ?? new Set<string>();
    for (const t of [...p.terms, ...p.context]) set.add(t);
    chunkTerms.set(p.hit.id, set);
  }
  const chunkCoverage = new Map(
    [...chunkTerms].map(([id, terms]) => [
      id,
      concepts.reduce(
        (a, c, i) => a + (c.alternatives.some((alt) => covers(terms, alt)) ? weight[i]! : 0),
        0,
      ) / total,
    ]),
  );

  const candidates: Candidate[] = pool
    .map((p) => {
      let matched = 0;
      let context = 0;
      const statesTime = TIME_OF_DAY.test(p.unit.text);
      concepts.forEach((c, i) => {
        const timeConcept = statesTime && c.alternatives.some((a) => a.length === 1 && HOUR_TERMS.has(a[0]!));
        if (inText(p, c.alternatives) || timeConcept) matched += weight[i]!;
        else if (inContext(p, c.alternatives)) context += weight[i]!;
      });
      const rankBonus = 1 - p.rank * 0.05;
      const numberBonus = wantsNumber && /\d/.test(p.unit.text) ? 1.1 : 1;
      const stepBonus = wantsSteps && p.unit.list !== undefined ? 1.15 : 1;
      const aboutPenalty = ABOUT_THE_DOCUMENT.test(p.unit.text) ? 0.8 : 1;
      const coverage = (matched + context) / total;
      const inTitle = concepts.reduce(
        (a, c, i) => a + (c.alternatives.some((alt) => covers(p.title, alt)) ? weight[i]! : 0),
        0,
      );
      return {
        ...p,
        coverage,
        score:
          matched > 0 && coverage >= minSentenceCoverage
            ? (sentenceShare * ((matched + context / 2) / total) +
                (1 - sentenceShare) * chunkCoverage.get(p.hit.id)! +
                titleBonus * (inTitle / total)) *
              rankBonus *
              numberBonus *
              stepBonus *
              aboutPenalty
            : 0,
      };
    })
    .filter((c) => c.score >= minScore)
    .sort((a, b) => b.score - a.score || a.order - b.order);
  if (!candidates.length) return { notFound: true };

  const best = candidates[0]!;
  let chosen: PoolEntry[];
  if (best.unit.list !== undefined) {
    // A procedure is answered whole and in order, never from its second step.
    chosen = pool.filter((p) => p.hit.id === best.hit.id && p.unit.list === best.unit.list);
  } else {
    // A second sentence only from the same document and nearly as good: answers stay short.
    chosen = [
      best,
      ...candidates
        .slice(1)
        .filter(
          (c) =>
            c.hit.source === best.hit.source &&
            c.unit.list === undefined &&
            c.score >= best.score * 0.8 &&
            c.coverage >=
              best.coverage *
                (c.unit.table !== undefined && c.unit.table === best.unit.table && c.hit.id === best.hit.id
                  ? 0.8
                  : 0.5) &&
            c.unit.text !== best.unit.text,
        ),
    ].slice(0, maxSentences);
    chosen.sort((a, b) => a.order - b.order); // keep document order within the answer
  }

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
        snippet: c.unit.text,
        chunkId: c.hit.id,
        groups: c.hit.groups,
      });
    } else {
      citations[index - 1]!.snippet += ` ${c.unit.text}`;
    }
    return `${c.unit.text} [${index}]`;
  });
  return { text: parts.join(best.unit.list !== undefined ? '\n' : ' '), citations, score: best.score };
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
