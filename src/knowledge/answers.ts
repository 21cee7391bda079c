import {
  chineseConceptsOf,
  conceptsOf,
  holdsChineseSynonym,
  isItDepartmentText,
  isSynonymWord,
  namesItDepartment,
  QUALIFIERS,
  SYNONYM_VOCABULARY,
  withoutDurationVerb,
} from './queryExpansion';
import { MIN_CORRECTED_LENGTH, WordVocabulary } from './spelling';
import { analyze, analyzeTerm, ENGLISH_STOP_WORDS } from './textAnalysis';
import { countTokens, decodeTokens, encodeTokens } from '../text/tokens';
import { NOUN_SUFFIX } from '../text/words';
import type { KnowledgeHit } from './types';
import { HAN, unitsOf, type Unit } from './answerUnits';

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

/** The citation [index] for a search hit: where it is, a snippet, and its access groups. */
export function citationOf(hit: KnowledgeHit, index: number): Citation {
  return {
    index,
    title: hit.title,
    source: hit.source,
    ...(hit.url ? { url: hit.url } : {}),
    ...(hit.page !== undefined ? { page: hit.page } : {}),
    snippet: hit.content.slice(0, 200),
    chunkId: hit.id,
    groups: hit.groups,
  };
}

/** `score`: how well the best sentence answers (comparable across calls for the same question). */
export type ExtractiveAnswer =
  | { text: string; citations: Citation[]; score: number }
  /** `unknownName`: the question's name no retrieved document mentions, as the question writes it. */
  | { notFound: true; unknownName?: string };

export interface ExtractiveOptions {
  /**
   * The question this one follows up ("how long does standard shipping take?" before "and to
   * Canada?"): its concepts weigh half and the answer must match one of this question's own.
   */
  previousQuestion?: string;
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
  /**
   * Weight of the sentence's cosine similarity with the question against its lexical relevance, when
   * the hits carry sentence vectors (default SEMANTIC_WEIGHT; chosen on DEV).
   */
  semanticWeight?: number;
  /**
   * With sentence vectors, the relevance threshold: a sentence whose lexical relevance plus cosine
   * similarity with the question stays below it never answers (default MIN_RELEVANCE).
   */
  minRelevance?: number;
  /**
   * With sentence vectors, a sentence this similar to the question qualifies although it shares too
   * few of its words (a paraphrase; default RESCUE_SIMILARITY).
   */
  rescueSimilarity?: number;
  /**
   * Share of the question's weight that may name things none of the retrieved documents mentions
   * (default MAX_UNKNOWN_SHARE; chosen on DEV): above it the question is about something else.
   */
  maxUnknownShare?: number;
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
  'got',
  'gets',
  'getting',
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
  // Chat spelling of the words above ("whats ur email adress", "hows u track it").
  'whats',
  'hows',
  'wheres',
  'whens',
  'ur',
  'u',
  'pls',
  'plz',
]);

/**
 * Words of conversation that say how the asker feels or when, not what the question is about ("can
 * I *still* send *something* back?", "I *already* tried it on", "what *now*?"). No document sentence
 * has them, so they weighed most of all (idf) and pulled a paraphrase below the coverage it needs.
 */
const FILLER_WORDS =
  'still already just really actually also even ever anyway now then maybe perhaps somehow ' +
  'something anything everything someone anyone somebody anybody ' +
  'want wanted wanna like know let lets okay ok hi hello hey thanks thank please help ' +
  'usually normally typically generally wait hmm um uh';

/**
 * Words that ask for the form of the answer, a procedure, not its topic ("what are the steps to
 * send an item back"): WANTS_STEPS prefers numbered steps for them.
 */
const FORM_WORDS = 'step steps procedure process instructions';
/** Chinese question words ("how long", "how much", "what time", …): they ask, they are not the topic. */
const CHINESE_QUESTION_WORDS =
  '多久 多少 多长 几 几点 几天 怎么办 哪些 为什么 是否 能否 可否 能不能 可不可以 告诉 知道'.split(' ');
const QUESTION_STOP: ReadonlySet<string> = new Set([
  ...ENGLISH_STOP_WORDS,
  ...QUESTION_WORDS,
  ...FILLER_WORDS.split(' '),
  ...FORM_WORDS.split(' '),
  ...CHINESE_QUESTION_WORDS,
]);

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
/**
 * Words of the opening-hours group that a sentence may use in another sense: "valid for 8 hours"
 * (a duration) and "open a ticket" (the verb) say nothing about when something is open, so "IT
 * support hours" is not answered by them. `other` finds the other sense in a text; a question
 * that uses it itself ("how many hours …", "how do I open a ticket?") still matches it.
 */
const OTHER_SENSES = [
  {
    term: analyzeTerm('hours')!,
    word: /\bhours?\b/gi,
    other:
      /\b(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a few|several)\s+(?:business\s+|working\s+)?hours?\b/gi,
    asked: /\bhow (?:long|many|much)\b/i,
  },
  {
    term: analyzeTerm('open')!,
    word: /\bopen(?:s|ed)?\b/gi,
    other: /\bopen(?:s|ed)?\s+(?:a|an|the|your|my|our|it|them|this|that|one)\b/gi,
    asked: /\bopen(?:s|ed)?\s+(?:a|an|the|your|my|our|it|them|this|that|one)\b/i,
  },
];

/** The terms a text uses only in their other sense (OTHER_SENSES). */
function otherSensesOf(text: string): Set<string> {
  const count = (re: RegExp) => text.match(re)?.length ?? 0;
  return new Set(
    OTHER_SENSES.filter((s) => count(s.other) > 0 && count(s.other) === count(s.word)).map((s) => s.term),
  );
}

/**
 * Contact details a question asks for and how a sentence states them. A sentence that states a phone
 * number ("Phone support: 1-800-555-0142") answers "what is your phone number?" although it does not
 * say "number", and it is preferred (× CONTACT_DETAIL_BONUS) over sentences that merely mention phone
 * numbers ("after registering your phone number").
 */
const CONTACT_DETAILS = [
  {
    asks: /\b(?:(?:tele)?phone|contact|hotline|support|service)\s+(?:number|no\b|#)|\bnumber (?:to call|for (?:the )?(?:customer )?(?:service|support))\b|\bcall (?:you|customer service|support)\b/i,
    states: /(?:\+?\d{1,3}[-\s.])?\(?\d{3}\)?[-\s.]\d{3}[-\s.]\d{4}\b/,
    terms: analyze('phone number'),
  },
  {
    asks: /\be-?mail(?: address)?\b/i,
    states: /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/,
    terms: analyze('email address'),
  },
];
const CONTACT_DETAIL_BONUS = 1.25;

/**
 * The sentence re-ranker's settings (hits with sentence vectors only; chosen on the DEV split with
 * bench/eval/knowledgeSplit.ts --encoder embedded, docs/knowledge.md): the weight of the cosine
 * similarity between question and sentence, the similarity below which a sentence never answers,
 * and the one at which it answers without sharing enough of the question's words.
 */
export const SEMANTIC_WEIGHT = 0;
export const MIN_RELEVANCE = 0.75;
export const RESCUE_SIMILARITY = 0.6;

/**
 * Share of the question's own weight (idf over the candidate sentences) that may be concepts no
 * retrieved document has anywhere, in its text, title or headings. Above it the documents share only
 * the question's small words ("how much is *overtime* *paid*?" → "shipping costs … are paid by
 * Contoso"; "*gift* *wrap*" → gift cards) and the question is refused (chosen on the DEV split).
 */
export const MAX_UNKNOWN_SHARE = 0.5;

interface PoolEntry {
  hit: KnowledgeHit;
  /** The unit's sentence vector when its hit carries them (re-ranker). */
  vector?: Float32Array;
  /** Rank of the hit in the retrieval result (0 = best). */
  rank: number;
  unit: Unit;
  terms: Set<string>;
  /** Title, heading path and heading lines above the sentence: they say what it is about. */
  context: Set<string>;
  /** The terms of the sentence before it under the same headings (coverage only, see poolOf). */
  leadIn: Set<string>;
  /** The document title's terms alone. */
  title: Set<string>;
  /** The cases the unit is narrowed to (qualifiersOf), each as the phrases a question names it by. */
  qualifiers: string[][][];
  /** Terms it uses only in another sense ("valid for 8 hours", "open a ticket"; otherSensesOf). */
  otherSenses: Set<string>;
  order: number;
}

interface Candidate extends PoolEntry {
  score: number;
  /** The score before the plain case's preference: a case may still follow the best sentence. */
  plainScore: number;
  coverage: number;
}

const covers = (terms: Set<string>, alternative: string[]) => alternative.every((t) => terms.has(t));

/** The options with their defaults filled in. */
type Settings = Required<Omit<ExtractiveOptions, 'minCoverage' | 'previousQuestion'>>;

function settingsOf(opts: ExtractiveOptions): Settings {
  return {
    maxHits: opts.maxHits ?? 3,
    maxSentences: opts.maxSentences ?? 2,
    minScore: opts.minScore ?? opts.minCoverage ?? DEFAULT_MIN_ANSWER_SCORE,
    sentenceShare: opts.sentenceShare ?? SENTENCE_SHARE,
    titleBonus: opts.titleBonus ?? TITLE_BONUS,
    minSentenceCoverage: opts.minSentenceCoverage ?? MIN_SENTENCE_COVERAGE,
    synonymWeight: opts.synonymWeight ?? SYNONYM_WEIGHT,
    semanticWeight: opts.semanticWeight ?? SEMANTIC_WEIGHT,
    minRelevance: opts.minRelevance ?? MIN_RELEVANCE,
    rescueSimilarity: opts.rescueSimilarity ?? RESCUE_SIMILARITY,
    maxUnknownShare: opts.maxUnknownShare ?? MAX_UNKNOWN_SHARE,
  };
}

/**
 * The hits the answer is taken from: the top `maxHits`, plus, for a question asking for a phone number
 * or an email address, the best lower hit that states one (BM25 ranks "registering your phone number"
 * above "Phone support: 1-800-…" for "what is your phone number?"), and for a how-to question the
 * best lower hit with numbered steps.
 */
function hitsFor(text: string, hits: readonly KnowledgeHit[], maxHits: number): KnowledgeHit[] {
  const top = hits.slice(0, maxHits);
  const details = CONTACT_DETAILS.filter((d) => d.asks.test(text));
  const states = (h: KnowledgeHit) => details.some((d) => d.states.test(h.content));
  const lower = hits.slice(maxHits);
  const stating = details.length && !top.some(states) ? lower.find(states) : undefined;
  // A question asking how to do something, when no top hit holds a procedure: the best lower hit
  // that does ("what are the steps to send an item back" ranks the policy's intro first).
  const steps = (h: KnowledgeHit) => unitsOf(h.content).some((u) => u.list !== undefined);
  const procedure = WANTS_STEPS.test(text) && !top.some(steps) ? lower.find(steps) : undefined;
  return [...top, ...(stating ? [stating] : []), ...(procedure ? [procedure] : [])];
}

/**
 * Places a sentence is narrowed to by name: capitalised words after "to / for / outside / within"
 * ("Standard shipping to Alaska and Hawaii", "For Canada, duties are collected"). Not after "in":
 * "the button in Outlook", "chat in Microsoft Teams" are where, not a case (it cost a DEV answer).
 */
const PLACE_QUALIFIER =
  /\b(?:[Tt]o|[Ff]or|[Oo]utside(?: of)?|[Ww]ithin)\s+(?:the\s+)?([A-Z][a-z]+(?:(?:,\s*|\s+(?:and|or)\s+|\s+)[A-Z][a-z]+)*)/g;

/**
 * The cases a unit (with its headings) is narrowed to: words of the qualifier groups of
 * synonyms.json ("International orders …", a row under "International shipping") and places named
 * after a preposition. Each is given as the phrases a question would name it by.
 */
export function qualifiersOf(text: string): string[][][] {
  const found: string[][][] = QUALIFIERS.filter((q) => q.pattern.test(text)).map((q) => q.phrases);
  // "for the United Kingdom": a case of a group already, not two names.
  const rest = QUALIFIERS.reduce((t, q) => t.replace(new RegExp(q.pattern.source, 'gi'), ' '), text);
  // "to Alaska and Hawaii": one case, which a question names by either place.
  for (const m of rest.matchAll(PLACE_QUALIFIER)) {
    const names = m[1]!
      .split(/,\s*|\s+(?:and|or)\s+|\s+/)
      .filter((name) => !CALENDAR_WORD.test(name))
      .map((name) => analyzeTerm(name, QUESTION_STOP))
      .filter((t): t is string => !!t);
    if (names.length) found.push(names.map((t) => [t]));
  }
  return found;
}

/** A hit's rank for the answer's small preference for higher hits: one that joined ranks as the last. */
const rankOf = (h: number, maxHits: number) => Math.min(h, maxHits - 1);

/**
 * The terms of each numbered list of a chunk, all its steps together: a step answers as its whole
 * procedure (chooseUnits), so for a question asking how to do something it is scored with the
 * procedure's words ("send an item back" is in step 3, "print the label" in step 4). Other
 * questions score each step alone: a procedure holds many words and would match them by chance.
 */
function procedureTerms(units: readonly Unit[]): Map<number, string[]> {
  const byList = new Map<number, string[]>();
  for (const u of units)
    if (u.list !== undefined) byList.set(u.list, [...(byList.get(u.list) ?? []), ...analyze(u.text)]);
  return byList;
}

/** Step 1: every candidate unit of the top hits, with its terms and what it is about. */
function poolOf(hits: readonly KnowledgeHit[], wantsSteps: boolean, maxHits: number): PoolEntry[] {
  const pool: PoolEntry[] = [];
  hits.forEach((hit, h) => {
    const docContext = analyze([hit.title, ...hit.headingPath].join(' '));
    const title = new Set(analyze(hit.title));
    const units = unitsOf(hit.content);
    const procedures = procedureTerms(units);
    units.forEach((unit, s) => {
      // The sentence before, under the same headings, may say what this one is about ("Harassment …
      // is not tolerated. You can raise a concern … anonymously"): its words count towards the
      // coverage the sentence needs, not towards its score.
      const before = units[s - 1];
      const leadIn =
        before &&
        before.list === undefined &&
        unit.list === undefined &&
        unit.table === undefined &&
        before.headings.join('\n') === unit.headings.join('\n')
          ? analyze(before.text)
          : [];
      const context = new Set([...docContext, ...analyze(unit.headings.join(' '))]);
      // A stated phone number or email address is a "phone number" / "email address" in so many words.
      const stated = CONTACT_DETAILS.filter((d) => d.states.test(unit.text)).flatMap((d) => d.terms);
      const vector = hit.sentenceVectors?.units.get(unit.text);
      const own = unit.list !== undefined && wantsSteps ? procedures.get(unit.list)! : analyze(unit.text);
      pool.push({
        hit,
        ...(vector ? { vector } : {}),
        rank: rankOf(h, maxHits),
        unit,
        terms: new Set([...own, ...stated]),
        context,
        leadIn: new Set(leadIn),
        title,
        otherSenses: otherSensesOf(unit.text),
        qualifiers: qualifiersOf([unit.text, ...hit.headingPath, ...unit.headings].join('\n')),
        order: h * 1000 + s,
      });
    });
  });
  return pool;
}

/** Step 2: misspelt question words read as the closest word of the retrieved text (spelling.ts). */
function correctSpelling(text: string, pool: PoolEntry[], hits: readonly KnowledgeHit[]): string {
  const known = new Set(pool.flatMap((p) => [...p.terms, ...p.context]));
  let words: WordVocabulary | undefined; // built only when a word needs reading
  return text.replace(/[A-Za-z]+/g, (word) => {
    const term = analyzeTerm(word, QUESTION_STOP);
    if (!term || known.has(term) || word.length < MIN_CORRECTED_LENGTH || isSynonymWord(word)) return word;
    if (!words) {
      words = new WordVocabulary();
      for (const p of pool) words.add(`${p.unit.text} ${p.unit.headings.join(' ')}`);
      hits.forEach((hit) => words!.add([hit.title, ...hit.headingPath].join(' ')));
      words.add(SYNONYM_VOCABULARY);
    }
    return words.correct(word) ?? word;
  });
}

/** The question's concepts, each with its weight; `total` is their sum. */
interface WeightedConcepts {
  alternatives: string[][][];
  /** The first `own` concepts are the question's; the others come from the question it follows up. */
  own: number;
  weight: number[];
  total: number;
  /** The question's names (namesIn): an answering sentence must say them, and more than them. */
  names: Set<string>;
  /** The terms the question itself uses in their other sense ("how many hours", "open a ticket"). */
  otherSenses: Set<string>;
}

/** Weight of a concept of the previous question in a follow-up's (against the follow-up's own). */
const PREVIOUS_QUESTION_WEIGHT = 0.5;

const inText = (p: PoolEntry, alts: string[][]) => alts.some((a) => covers(p.terms, a));
const inContext = (p: PoolEntry, alts: string[][]) => alts.some((a) => covers(p.context, a));

/**
 * Step 3: concepts rare among the candidate sentences weigh more (idf over sentences); a concept of
 * the curated synonym list names a topic of the knowledge base and weighs `synonymWeight` times more.
 */
function weighConcepts(
  corrected: string,
  chinese: boolean,
  pool: PoolEntry[],
  synonymWeight: number,
  previous?: string,
): WeightedConcepts {
  // A Chinese question: its dictionary words, and the synonym list's Chinese phrases in it.
  const conceptsIn = (text: string) => {
    const han = chinese && HAN.test(text);
    const terms = [...new Set(analyze(text, QUESTION_STOP, { bigrams: !han }))];
    return (han ? chineseConceptsOf(text, terms) : conceptsOf(terms)).map((c) => c.alternatives);
  };
  const key = (alts: string[][]) => alts.map((a) => a.join(' ')).join('|');
  const own = conceptsIn(corrected);
  const seen = new Set(own.map(key));
  const before = previous ? conceptsIn(previous).filter((alts) => !seen.has(key(alts))) : [];
  const alternatives = [...own, ...before];
  const weight = alternatives.map(
    (alts, i) =>
      Math.log(1 + pool.length / (1 + pool.filter((p) => inText(p, alts)).length)) *
      (alts.length > 1 ? synonymWeight : 1) *
      (i < own.length ? 1 : PREVIOUS_QUESTION_WEIGHT),
  );
  return {
    alternatives,
    weight,
    own: own.length,
    total: weight.reduce((a, b) => a + b, 0),
    // "你们接受PayPal吗": whether the shop accepts a Latin name, a name as in English ("用PayPal
    // 付的钱多久能退回来" asks about the refund, not whether PayPal is taken).
    names: new Set([
      ...namesIn(corrected),
      ...chineseNamesIn(corrected, 'supported')
        .filter((n) => !HAN.test(n))
        .flatMap((n) => analyze(n, QUESTION_STOP)),
    ]),
    otherSenses: new Set(OTHER_SENSES.filter((o) => o.asked.test(corrected)).map((o) => o.term)),
  };
}

const isName = (alts: string[][], names: Set<string>) =>
  alts.length === 1 && alts[0]!.length === 1 && names.has(alts[0]![0]!);

/** Share of the question's weight a set of terms covers. */
function coverageOf(terms: Set<string>, q: WeightedConcepts): number {
  return (
    q.alternatives.reduce(
      (a, alts, i) => a + (alts.some((alt) => covers(terms, alt)) ? q.weight[i]! : 0),
      0,
    ) / q.total
  );
}

/**
 * Step 4: how much of the question each chunk covers as a whole: a paraphrase often names in the
 * question what the chunk says across two sentences and its heading.
 */
function chunkCoverages(pool: PoolEntry[], q: WeightedConcepts): Map<string, number> {
  const chunkTerms = new Map<string, Set<string>>();
  for (const p of pool) {
    const set = chunkTerms.get(p.hit.id) ?? new Set<string>();
    for (const t of [...p.terms, ...p.context]) set.add(t);
    chunkTerms.set(p.hit.id, set);
  }
  return new Map([...chunkTerms].map(([id, terms]) => [id, coverageOf(terms, q)]));
}

/** What the question asks for beyond its concepts (a number, steps, a contact detail). */
interface Wants {
  number: boolean;
  steps: boolean;
  detail: typeof CONTACT_DETAILS;
}

/** A unit's lexical relevance and coverage (the concepts it, its headings and its chunk contain). */
function lexicalOf(p: PoolEntry, q: WeightedConcepts, s: Settings, chunkCoverage: number) {
  let matched = 0;
  let matchedOwn = 0;
  let context = 0;
  let leadIn = 0;
  const statesTime = TIME_OF_DAY.test(p.unit.text);
  // "valid for 8 hours", "open a ticket": not the hours or the opening the question means.
  const otherSense = [...p.otherSenses].filter((t) => !q.otherSenses.has(t));
  const says = otherSense.length
    ? (alts: string[][]) => alts.some((a) => a.every((t) => p.terms.has(t) && !otherSense.includes(t)))
    : (alts: string[][]) => inText(p, alts);
  q.alternatives.forEach((alts, i) => {
    const timeConcept = statesTime && alts.some((a) => a.length === 1 && HOUR_TERMS.has(a[0]!));
    if (says(alts) || timeConcept) {
      matched += q.weight[i]!;
      // A name alone is no answer: "PayPal refunds arrive within 24 hours" for "can I pay with PayPal?".
      if (i < q.own && !isName(alts, q.names)) matchedOwn += q.weight[i]!;
    } else if (inContext(p, alts)) context += q.weight[i]!;
    else if (alts.some((a) => covers(p.leadIn, a))) leadIn += q.weight[i]!;
  });
  const coverage = (matched + context) / q.total;
  const covered = (matched + context + leadIn) / q.total;
  const relevance =
    s.sentenceShare * ((matched + context / 2) / q.total) +
    (1 - s.sentenceShare) * chunkCoverage +
    s.titleBonus * coverageOf(p.title, q);
  // The sentence says the question's names (in its text or headings): "can I pay with PayPal?" is
  // not answered by a sentence about paying duties.
  const saysNames = [...q.names].every((n) => p.terms.has(n) || p.context.has(n));
  return {
    coverage,
    relevance,
    qualifies: matchedOwn > 0 && saysNames && covered >= s.minSentenceCoverage,
  };
}

/**
 * A sentence narrowed to a case the question does not name loses to a plain one: "how long does
 * shipping take?" is answered by the Standard row, not by "International orders … take 6 to 12
 * business days" or "Standard shipping to Alaska and Hawaii takes 5 to 8 business days" (chosen on
 * the DEV split: 0.75–0.95 score the same, 1 loses a citation).
 */
export const QUALIFIER_PENALTY = 0.85;
/**
 * The default case named first in a sentence or a table cell ("Option: Standard", "The standard
 * working week …"): preferred when nothing narrows the question (DEV: 1.05–1.1 score the same, 1.2
 * loses a citation). Not anywhere in the sentence: "normal wear and tear" is no default case.
 */
const DEFAULT_CASE = /(?:^|:\s*)(?:the\s+)?(?:standard|regular|default)\b/i;
export const DEFAULT_CASE_BONUS = 1.1;

/** Whether the question names a case (one of its concepts has one of the case's phrases). */
const namesCase = (q: WeightedConcepts, phrases: string[][]) => {
  const keys = new Set(phrases.map((p) => p.join(' ')));
  return q.alternatives.some((alts) => alts.some((a) => keys.has(a.join(' '))));
};

/** The plain case preferred: a case the question does not name × QUALIFIER_PENALTY, a "standard" one × DEFAULT_CASE_BONUS. */
function caseFactorOf(p: PoolEntry, q: WeightedConcepts): number {
  if (p.qualifiers.some((phrases) => !namesCase(q, phrases))) return QUALIFIER_PENALTY;
  return DEFAULT_CASE.test(p.unit.text) ? DEFAULT_CASE_BONUS : 1;
}

/** Small preferences: higher-ranked hits, numbers, steps, stated contact details; "this page explains" less. */
function preferenceOf(p: PoolEntry, wants: Wants): number {
  const rankBonus = 1 - p.rank * 0.05;
  const numberBonus = wants.number && /\d/.test(p.unit.text) ? 1.1 : 1;
  const stepBonus = wants.steps && p.unit.list !== undefined ? 1.15 : 1;
  const aboutPenalty = ABOUT_THE_DOCUMENT.test(p.unit.text) ? 0.8 : 1;
  const detailBonus = wants.detail.some((d) => d.states.test(p.unit.text)) ? CONTACT_DETAIL_BONUS : 1;
  return rankBonus * numberBonus * stepBonus * aboutPenalty * detailBonus;
}

/**
 * The question's vector, when every candidate unit has a sentence vector (computed at ingest time);
 * otherwise undefined and the answer is lexical alone (no encoder, vectors not ready, Azure).
 */
function questionVectorOf(pool: PoolEntry[]): Float32Array | undefined {
  const query = pool[0]?.hit.sentenceVectors?.query;
  return query && pool.every((p) => p.vector) ? query : undefined;
}

/** Cosine similarity of two unit-length vectors. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let d = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) d += a[i]! * b[i]!;
  return d;
}

/**
 * The sentence re-ranker: with sentence vectors, relevance is lexical + semanticWeight ×
 * cosine(question, sentence); a sentence whose lexical relevance + cosine is below `minRelevance`
 * never answers, one at or above `rescueSimilarity` qualifies without the lexical coverage (a paraphrase).
 */
export function rerankedRelevance(
  lexical: { relevance: number; qualifies: boolean },
  similarity: number | undefined,
  s: Pick<Settings, 'semanticWeight' | 'minRelevance' | 'rescueSimilarity'>,
): { relevance: number; qualifies: boolean } {
  if (similarity === undefined) return lexical;
  return {
    relevance: lexical.relevance + s.semanticWeight * similarity,
    qualifies:
      (lexical.qualifies || similarity >= s.rescueSimilarity) &&
      lexical.relevance + similarity >= s.minRelevance,
  };
}

/** Step 5: each unit's score (see answerExtractively); those at or above `minScore`, best first. */
function scoreCandidates(text: string, pool: PoolEntry[], q: WeightedConcepts, s: Settings): Candidate[] {
  const wants: Wants = {
    number: WANTS_NUMBER.test(text),
    steps: WANTS_STEPS.test(text),
    detail: CONTACT_DETAILS.filter((d) => d.asks.test(text)),
  };
  const chunkCoverage = chunkCoverages(pool, q);
  const queryVector = questionVectorOf(pool);
  return pool
    .map((p) => {
      const lexical = lexicalOf(p, q, s, chunkCoverage.get(p.hit.id)!);
      const similarity = queryVector ? cosine(queryVector, p.vector!) : undefined;
      const { relevance, qualifies } = rerankedRelevance(lexical, similarity, s);
      const plainScore = qualifies ? relevance * preferenceOf(p, wants) : 0;
      return { ...p, coverage: lexical.coverage, score: plainScore * caseFactorOf(p, q), plainScore };
    })
    .filter((c) => c.score >= s.minScore)
    .sort((a, b) => b.score - a.score || a.order - b.order);
}

/**
 * Step 6: the units of the answer. A numbered step brings its whole procedure, in order; otherwise
 * the best sentence plus more from the same document that are nearly as good (answers stay short).
 */
function chooseUnits(candidates: Candidate[], pool: PoolEntry[], maxSentences: number): PoolEntry[] {
  const best = candidates[0]!;
  if (best.unit.list !== undefined)
    return pool.filter((p) => p.hit.id === best.hit.id && p.unit.list === best.unit.list);
  const sameTable = (c: Candidate) =>
    c.unit.table !== undefined && c.unit.table === best.unit.table && c.hit.id === best.hit.id;
  const chosen: PoolEntry[] = [
    best,
    ...candidates.slice(1).filter(
      (c) =>
        c.hit.source === best.hit.source &&
        c.unit.list === undefined &&
        // "This document collects …" describes the page: it never joins an answer.
        !ABOUT_THE_DOCUMENT.test(c.unit.text) &&
        c.plainScore >= best.plainScore * 0.8 &&
        c.coverage >= best.coverage * (sameTable(c) ? 0.8 : 0.5) &&
        c.unit.text !== best.unit.text,
    ),
  ].slice(0, maxSentences);
  // The best sentence first ("my laptop is broken": the damaged-laptop sentence, then the one on
  // laptops in general); in document order only with the sentence right next to it, which reads
  // on from it or leads into it ("Return shipping is free … For orders shipped to Alaska …").
  const rest = chosen.slice(1).sort((a, b) => a.order - b.order);
  const leadsIn = (p: PoolEntry) =>
    p.order === best.order - 1 && p.unit.table === undefined && best.unit.table === undefined;
  return [...rest.filter(leadsIn), best, ...rest.filter((p) => !leadsIn(p))];
}

/** Step 7: the answer text, each unit followed by its chunk's [n] marker, and the citations. */
function cite(chosen: PoolEntry[], asSteps: boolean): { text: string; citations: Citation[] } {
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
  return { text: parts.join(asSteps ? '\n' : ' '), citations };
}

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
  retrieved: readonly KnowledgeHit[],
  opts: ExtractiveOptions = {},
): ExtractiveAnswer {
  const s = settingsOf(opts);
  const text = typeof question === 'string' ? question : '';
  let hits = retrieved;
  // A Chinese question's terms are its dictionary words (its character bigrams would count as
  // topics that no sentence has).
  if (!analyze(text, QUESTION_STOP).length) return { notFound: true };
  // "do you accept bitcoin?", "你们支持支付宝吗": a name no retrieved text mentions is refused by name.
  const unknownName = unknownNameIn(text, hits);
  if (unknownName) return { notFound: true, unknownName };
  // "is IT open on saturday?": the IT department's documents answer, never the shops' opening hours.
  if (namesItDepartment(text)) hits = hits.filter(isItDepartmentHit);
  if (!hits.length) return { notFound: true };
  const pool = poolOf(hitsFor(text, hits, s.maxHits), WANTS_STEPS.test(text), s.maxHits);
  if (!pool.length) return { notFound: true };
  // The question as read: misspelt words replaced by the retrieved text's ("numbr" → number).
  const read = withoutDurationVerb(correctSpelling(text, pool, [...new Set(pool.map((p) => p.hit))]));
  const concepts = weighConcepts(read, HAN.test(text), pool, s.synonymWeight, opts.previousQuestion);
  // Chinese questions keep their own words (你好, 问一下) that no document has: the rule is English only.
  if (!HAN.test(text) && mostlyUnknown(concepts, hits, s.maxUnknownShare)) return { notFound: true };
  // "我的扫描仪坏了": a device no retrieved text names; a sentence on damaged goods is no answer.
  if (HAN.test(text) && unknownDevice(concepts, hits)) return { notFound: true };
  const candidates = scoreCandidates(read, pool, concepts, s);
  if (!candidates.length) return { notFound: true };
  const best = candidates[0]!;
  const chosen = chooseUnits(candidates, pool, s.maxSentences);
  return { ...cite(chosen, best.unit.list !== undefined), score: best.score };
}

/** A hit of the IT department's documents: its title, headings or text say "IT" or the service desk. */
const isItDepartmentHit = (h: KnowledgeHit) =>
  isItDepartmentText([h.title, ...h.headingPath, h.content].join('\n'));

/** Months and weekdays: capitalised, but they say when, not what the question is about. */
const CALENDAR_WORD =
  /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)$/i;

/**
 * Lower-case words that follow "in / at / with …" without being a place or a brand ("in early
 * December", "in person", "with my order"): they say when or how, not where or what.
 */
const NOT_A_NAME = new Set(
  (
    'early late mid person advance time total general full part case fact stock addition future past ' +
    'morning mornings afternoon evening evenings night weekend weekends week weeks month months year years ' +
    'today tomorrow yesterday store stores shop shops office home work order orders ' +
    // Prepositions and determiners after a preposition ("send it in under warranty", "in any store").
    'under over between into onto upon within without across along behind below above beside ' +
    'beyond during except inside out past since than toward towards until down off some any all ' +
    'every another other which what this that these those our your their his her'
  ).split(' '),
);

/** A lower-case word after a preposition that names a place or a brand ("a store in berlin", "pay with klarna"). */
const NAME_SLOT =
  /\b(?:in|at|near|around|outside|with|via|using|through)\s+(?:the\s+|a\s+|an\s+)?([a-z]{3,}(?:\s+pay\b)?)\b/g;

/** A lower-case word a shop takes, accepts or supports ("do you take klarna", "accept amex"): a payment brand. */
// "do you support alipay", not "is phone support open" (there support is a noun).
const TAKEN_SLOT =
  /(?:\b(?:take|takes|accept|accepts)|\b(?:you|shop|store|site|app)\s+supports?)\s+(?:the\s+|a\s+|an\s+)?([a-z]{3,}(?:\s+pay)?)\s*[?!.]*$/g;

/** A name of the question as it writes it (`said`) and as the index analyses it (`term`). */
interface Name {
  said: string;
  term: string;
}

/**
 * The names a question is about: capitalised words after its first ("Berlin", "PayPal", "France"),
 * lower-case words in a name's place after a preposition ("in berlin", "with paypal") and the last
 * word after "take / accept / support" ("do you take klarna"), with a "pay" after it ("accept apple
 * pay"); calendar words, words of the synonym
 * list ("Germany" = international) and stop words are not names.
 */
function namedIn(text: string): Name[] {
  const capitalised = [...text.matchAll(/(?<=[A-Za-z0-9,;:]\s+)[A-Z][a-z]+(?:[A-Z][a-z]+)*\b/g)]
    .map((m) => m[0])
    .filter((w) => w.length > 2);
  const placed = [...text.matchAll(NAME_SLOT), ...text.trim().matchAll(TAKEN_SLOT)]
    .map((m) => m[1]!)
    .filter((w) => !NOT_A_NAME.has(w.split(' ')[0]!));
  const names = new Map<string, Name>();
  for (const said of [...capitalised, ...placed]) {
    // "apple pay": the brand is the name, "pay" says what it is.
    const word = said.split(' ')[0]!;
    if (CALENDAR_WORD.test(word) || isSynonymWord(word)) continue;
    const term = analyzeTerm(word, QUESTION_STOP);
    if (term && !names.has(term)) names.set(term, { said, term });
  }
  return [...names.values()];
}

export function namesIn(text: string): string[] {
  return namedIn(text).map((n) => n.term);
}

/**
 * What a Chinese question asks to pay with, or whether the shop supports or accepts it: "你们支持
 * 支付宝吗", "能用微信支付吗", "你们收比特币吗", "可以用 Klarna 付款吗". The name is 2–5 Han characters
 * or Latin words in that place; one holding a phrase of the synonym list (信用卡, 国际配送, 退货) is a
 * concept the documents may well cover, not a name.
 */
const ZH_PAID_WITH =
  /(?:用|使用|通过|拿)\s*(\p{Script=Han}{2,5}?|[A-Za-z][A-Za-z ]{1,20}?)\s*来?(?:支付|付款|付钱|结账|买单|结算|付)/gu;
const ZH_SUPPORTED =
  /(?:支持|接受|收不收|[你您们]收|能用|可以用|可用|能刷|可以刷)\s*(\p{Script=Han}{2,5}?|[A-Za-z][A-Za-z ]{1,20}?)\s*(?:吗|么|嘛|不|没有|呢)?\s*[?？。!！]*$/u;

export function chineseNamesIn(text: string, only?: 'supported'): string[] {
  if (!HAN.test(text)) return [];
  const supported = [ZH_SUPPORTED.exec(text.trim())].filter((m) => m !== null);
  const said = [...(only ? [] : text.matchAll(ZH_PAID_WITH)), ...supported]
    // "可以用微信付钱吗": paying is the verb, 微信 the name.
    .map((m) => m[1]!.trim().replace(/(?<=.{2})(?:付钱|结账|买单|结算)$/u, ''))
    .filter((n) => !holdsChineseSynonym(n));
  // "能用微信支付吗" reads 微信支付 (supported) and 微信 (paid with): the longer says it whole.
  return [...new Set(said)].filter((n, _, all) => !all.some((m) => m !== n && m.includes(n)));
}

/**
 * The first name of the question that none of the retrieved documents contains, as the question
 * writes it: the question is about something the knowledge base does not cover ("is there a store in
 * berlin?" is not answered with where stores accept returns, "你们支持支付宝吗" not with where refunds
 * go). A Chinese name is looked for as written in the hits' text; a Latin one by its analysed words.
 */
export function unknownNameIn(text: string, hits: readonly KnowledgeHit[]): string | undefined {
  const english = namedIn(text);
  const chinese = chineseNamesIn(text);
  if (!english.length && !chinese.length) return undefined;
  const texts = hits.map((h) => [h.title, ...h.headingPath, h.content].join(' '));
  const known = new Set(texts.flatMap((t) => analyze(t)));
  const unknownEnglish = english.find((n) => !known.has(n.term));
  if (unknownEnglish) return unknownEnglish.said;
  return chinese.find((name) =>
    HAN.test(name)
      ? !texts.some((t) => t.includes(name))
      : analyze(name, QUESTION_STOP).some((term) => !known.has(term) && !isSynonymWord(term)),
  );
}

/**
 * Whether the question is mostly about things no retrieved hit mentions at all, in its text, title or
 * headings: more than `maxShare` of its own weight (idf over the candidate sentences) and at least
 * half of its concepts, counted alike. The idf alone counts a paraphrase's everyday word ("how
 * *quickly* do you answer emails?") as much as a topic; the count alone refuses a short question
 * with a typo the spelling step did not read.
 */
/**
 * A Chinese question about a device or part (扫描仪, 显示器, 路由器: a word ending in one of the
 * device suffixes of src/text/words.ts) that none of the hits names: the Chinese counterpart of the
 * name rule (`unknownName`). Words of the synonym list are concepts of their group, never this.
 */
function unknownDevice(q: WeightedConcepts, hits: readonly KnowledgeHit[]): boolean {
  const devices = q.alternatives
    .slice(0, q.own)
    .filter((alts) => alts.length === 1 && alts[0]!.length === 1)
    .map((alts) => alts[0]![0]!)
    .filter((t) => HAN.test(t) && [...t].length >= 3 && NOUN_SUFFIX.has([...t].at(-1)!));
  if (!devices.length) return false;
  const known = new Set(hits.flatMap((h) => analyze([h.title, ...h.headingPath, h.content].join(' '))));
  return devices.some((d) => !known.has(d));
}

function mostlyUnknown(q: WeightedConcepts, hits: readonly KnowledgeHit[], maxShare: number): boolean {
  // A stated phone number or email address is a "phone number" / "email address" (as in poolOf).
  const known = new Set(
    hits.flatMap((h) => [
      ...analyze([h.title, ...h.headingPath, h.content].join(' ')),
      ...CONTACT_DETAILS.filter((d) => d.states.test(h.content)).flatMap((d) => d.terms),
    ]),
  );
  let weight = 0;
  let unknownWeight = 0;
  let unknown = 0;
  for (let i = 0; i < q.own; i++) {
    weight += q.weight[i]!;
    if (q.alternatives[i]!.some((alt) => covers(known, alt))) {
      // A topic of the synonym list the documents have ("refunds", "warranty") is what it asks about.
      if (q.alternatives[i]!.length > 1) return false;
      continue;
    }
    unknownWeight += q.weight[i]!;
    unknown++;
  }
  return weight > 0 && unknownWeight / weight > maxShare && unknown >= q.own / 2;
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
    citations.push(citationOf(hit, index));
  }
  return { text: blocks.join('\n'), citations, tokens: used };
}
