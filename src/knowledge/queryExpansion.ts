import synonymData from './synonyms.json';
import { analyze } from './textAnalysis';
import { HAN } from '../text/words';

/**
 * Query expansion from a small curated synonym list (synonyms.json, data rather than code): a
 * question that says "money back" is also about "refund", one that says "vacation" about "annual
 * leave". Phrases are compared after the index's own analysis (lower case, stop words, Porter
 * stems), so "vacation days" and "vacations" both match.
 *
 * Groups also hold Chinese words (保修 beside "warranty", 营业 beside "opening hours"): a Chinese
 * question then finds an English-only document (the answer says its source is English) and a
 * Chinese sentence that says it in other words (关门 → 营业). A Chinese phrase is matched in a
 * question as a substring (ICU segments 保修期内 differently from 保修), and in a text by its
 * character bigrams, which every analysed text has.
 */

/** One thing the question asks about: its own words, or any of the equivalent phrases. */
interface QueryConcept {
  /** Each alternative is a phrase as analysed terms; a text covers the concept when it has all terms of one. */
  alternatives: string[][];
  /** The question's own terms this concept stands for. */
  own: string[];
}

interface Group {
  phrases: string[][];
  raw: string[];
}

/** A Chinese phrase as terms: its character bigrams (the terms every analysed Chinese text has). */
function chineseBigrams(phrase: string): string[] {
  const chars = [...phrase];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) {
    const bigram = chars[i]! + chars[i + 1]!;
    if (!out.includes(bigram)) out.push(bigram);
  }
  return out;
}

const phraseTerms = (p: string) => (HAN.test(p) ? chineseBigrams(p) : analyze(p));

function loadGroups(): Group[] {
  const parsed = synonymData as { groups: string[][] };
  return parsed.groups.map((g) => {
    const phrases = g.map(phraseTerms).filter((t) => t.length > 0);
    return { phrases, raw: g };
  });
}

const GROUPS = loadGroups();
/** Every phrase, longest first, with its group: the longest match in the question wins. */
const PHRASES = GROUPS.flatMap((group) =>
  group.phrases.filter((terms) => !HAN.test(terms.join(''))).map((terms) => ({ terms, group })),
).sort((a, b) => b.terms.length - a.terms.length);
/** The Chinese phrases (two characters or more), longest first, with their group. */
const CHINESE_PHRASES = GROUPS.flatMap((group) =>
  group.raw
    .filter((p) => HAN.test(p) && [...p].length >= 2)
    .map((p) => ({ text: p, group, alternatives: group.phrases })),
).sort((a, b) => [...b.text].length - [...a.text].length);

const SYNONYM_WORDS = new Set(
  GROUPS.flatMap((g) => g.raw.flatMap((phrase) => phrase.toLowerCase().match(/[a-z]+/g) ?? [])),
);

/**
 * A case a sentence may be narrowed to (synonyms.json `qualifiers`: "international" for "International
 * orders … take 6 to 12 business days"): `pattern` finds one of its English phrases in a text (as
 * written, so "internal" is not "international" as their stems are), `phrases` are its group's
 * phrases as analysed terms, the alternatives a question names the case with.
 */
export interface Qualifier {
  pattern: RegExp;
  phrases: string[][];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The synonym groups that narrow a rule to a case. */
export const QUALIFIERS: readonly Qualifier[] = (
  (synonymData as { qualifiers?: string[] }).qualifiers ?? []
).map((head) => {
  const group = GROUPS.find((g) => g.raw[0] === head);
  if (!group) throw new Error(`synonyms.json: qualifier "${head}" names no group`);
  const english = group.raw.filter((p) => !HAN.test(p)).map((p) => escapeRegExp(p).replace(/ /g, '\\s+'));
  return { pattern: new RegExp(`\\b(?:${english.join('|')})(?:s|es)?\\b`, 'i'), phrases: group.phrases };
});

/** The synonym list's words, one text: misspellings are also read as these ("jaket" → "jacket"). */
export const SYNONYM_VOCABULARY = [...SYNONYM_WORDS].join(' ');

/** Whether a Chinese text holds a Chinese phrase of the synonym list (国际配送 holds 国际, 配送). */
export function holdsChineseSynonym(text: string): boolean {
  return CHINESE_PHRASES.some((p) => text.includes(p.text));
}

/** Whether `word` (lower case, unstemmed) is part of a phrase of the synonym list. */
export function isSynonymWord(word: string): boolean {
  return SYNONYM_WORDS.has(word.toLowerCase());
}

/**
 * The question's concepts: runs of its analysed terms that name a synonym phrase become one concept
 * with all of the group's phrases as alternatives; every other term is a concept of its own.
 * `terms` is the question already analysed (the caller's stop list applies).
 */
export function conceptsOf(terms: readonly string[]): QueryConcept[] {
  const key = terms.join(' ');
  const cached = CONCEPTS_CACHE.get(key);
  if (cached) return cached;
  const concepts = findConcepts(terms);
  if (CONCEPTS_CACHE.size >= 1000) CONCEPTS_CACHE.delete(CONCEPTS_CACHE.keys().next().value!);
  CONCEPTS_CACHE.set(key, concepts);
  return concepts;
}

/** The same question is analysed for retrieval and for the answer (twice in shared chats). */
const CONCEPTS_CACHE = new Map<string, QueryConcept[]>();

function findConcepts(terms: readonly string[]): QueryConcept[] {
  const used = new Array<boolean>(terms.length).fill(false);
  const found: { at: number; concept: QueryConcept }[] = [];
  const present = new Set(terms);
  for (const { terms: phrase, group } of PHRASES) {
    if (!phrase.every((t) => present.has(t))) continue;
    for (let i = 0; i + phrase.length <= terms.length; i++) {
      // A phrase matches with at most one other word inside it: "send stuff back" names "send back".
      const at = phraseAt(terms, used, phrase, i);
      if (!at) continue;
      for (const k of at) used[k] = true;
      found.push({ at: i, concept: { alternatives: group.phrases, own: [...phrase] } });
    }
  }
  terms.forEach((t, i) => {
    if (!used[i]) found.push({ at: i, concept: { alternatives: [[t]], own: [t] } });
  });
  return distinctInOrder(found);
}

/**
 * A Chinese question's concepts: the synonym list's Chinese phrases found in `text` (longest
 * first, not overlapping), each with its group's alternatives, then every Chinese term of `terms`
 * (the question's words, analysed) that is not part of one of them, and the concepts of its
 * English terms (conceptsOf).
 */
export function chineseConceptsOf(text: string, terms: readonly string[]): QueryConcept[] {
  const taken = new Array<boolean>(text.length).fill(false);
  const found: { at: number; concept: QueryConcept }[] = [];
  const covered: string[] = [];
  for (const phrase of CHINESE_PHRASES) {
    for (let at = text.indexOf(phrase.text); at >= 0; at = text.indexOf(phrase.text, at + 1)) {
      const span = [...Array(phrase.text.length).keys()].map((k) => at + k);
      if (span.some((k) => taken[k])) continue;
      for (const k of span) taken[k] = true;
      covered.push(phrase.text);
      found.push({ at, concept: { alternatives: phrase.alternatives, own: chineseBigrams(phrase.text) } });
    }
  }
  const place = (term: string) => {
    const at = text.toLowerCase().indexOf(term);
    return at < 0 ? text.length : at;
  };
  for (const term of terms.filter((t) => HAN.test(t))) {
    if (covered.some((c) => c.includes(term) || term.includes(c))) continue;
    found.push({ at: place(term), concept: { alternatives: [[term]], own: [term] } });
  }
  // English words in a Chinese question ("VPN 怎么连接", "wifi 连不上") keep their own groups.
  for (const concept of conceptsOf(terms.filter((t) => !HAN.test(t))))
    found.push({ at: place(concept.own[0]!), concept });
  return distinctInOrder(found);
}

/** One concept per distinct meaning, in question order. */
function distinctInOrder(found: { at: number; concept: QueryConcept }[]): QueryConcept[] {
  const seen = new Set<string>();
  return found
    .sort((a, b) => a.at - b.at)
    .map((f) => f.concept)
    .filter((c) => {
      const key = c.alternatives.map((a) => a.join(' ')).join('|');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** Positions of `phrase` starting at `i` (one gap of one word allowed after its first term), or undefined. */
function phraseAt(
  terms: readonly string[],
  used: readonly boolean[],
  phrase: readonly string[],
  i: number,
): number[] | undefined {
  const free = (k: number, t: string) => k < terms.length && !used[k] && terms[k] === t;
  if (!free(i, phrase[0]!)) return undefined;
  for (const gap of phrase.length > 1 ? [0, 1] : [0]) {
    const at = [i, ...phrase.slice(1).map((_, k) => i + 1 + gap + k)];
    if (phrase.every((t, k) => free(at[k]!, t))) return at;
  }
  return undefined;
}

/**
 * "IT" written in capitals is the IT department, not the pronoun the analyser drops as a stop word
 * ("who do I call after hours for IT?"): it is searched as the service desk as well (not in a
 * message written all in capitals, where "IT" is the pronoun shouted).
 */
const IT_DEPARTMENT = /(?<![\p{L}\p{N}])IT(?![\p{L}\p{N}])/u;

/** Words a document of the IT department is written with: "IT" in capitals, the service desk. */
const IT_WORDS = /\b(?:service desk|help ?desk|tech support)\b/i;

/** "IT" in capitals, not the pronoun (nor a message shouted in capitals). */
const namesItInCapitals = (question: string) =>
  IT_DEPARTMENT.test(question) && question !== question.toUpperCase();

/**
 * Whether the question names the IT department: "IT" in capitals ("is IT open on saturday?") or its
 * service desk in so many words ("is the helpdesk open on weekends?").
 */
export function namesItDepartment(question: string): boolean {
  return namesItInCapitals(question) || IT_WORDS.test(question);
}

/** Whether a text (a document's title, headings or content) is the IT department's. */
export function isItDepartmentText(text: string): boolean {
  return IT_DEPARTMENT.test(text) || IT_WORDS.test(text);
}

/** The question with the departments it names in capitals spelled out ("… for IT" → "… for IT service desk"). */
export function spellOutDepartments(question: string): string {
  return namesItInCapitals(question) ? question.replace(IT_DEPARTMENT, 'IT service desk') : question;
}

/**
 * "How long does shipping *take*?", "how long will a refund *take*": the verb asks for a duration
 * (answers.ts WANTS_NUMBER), it is not the topic, and "International orders … *take* 6 to 12 business days"
 * matched it where the Standard row says "Delivery time: 3 to 5 business days".
 */
const DURATION_VERB = /\b(how long\b[^?.!]*?)\s(?:take|takes|last|lasts)\b(?!\s+(?:back|off|out|on)\b)/gi;
/**
 * "When will my parcel arrive?", "how soon does an order get here?": when a shipment arrives is its
 * delivery time, the words the documents use ("Delivery time: 3 to 5 business days"), not a
 * sentence about parcels that have not arrived.
 */
const ARRIVAL_ASKED =
  /\b(when|how (?:long|soon|fast|quickly|many days))\s+(will|would|does|do|should|can|could|is|are)\s+(?:(?:my|the|a|an|your|our)\s+)?(?:parcels?|packages?|orders?|shipments?|deliver(?:y|ies))\s+(?:(?!not\b|never\b)\w+\s+)?(?:arrive|get here|come|reach me|be here)\b/gi;
export const withoutDurationVerb = (text: string) =>
  text.replace(DURATION_VERB, '$1').replace(ARRIVAL_ASKED, '$1 $2 delivery');

/**
 * The search text for a question: the question itself plus the equivalent phrases of every synonym
 * group it names ("money back" → "… refund reimburse …"), so BM25 finds a document that says it
 * in other words.
 */
export function expandQuery(question: string): string {
  const terms = analyze(question);
  const extra: string[] = [];
  const chinese = HAN.test(question);
  const concepts = chinese ? chineseConceptsOf(question, terms) : conceptsOf(terms);
  for (const concept of concepts) {
    if (concept.alternatives.length < 2) continue;
    const group = GROUPS.find((g) => g.phrases === concept.alternatives);
    // An English question is not searched with Chinese words (it would reach the Chinese documents).
    for (const phrase of (group?.raw ?? []).filter((p) => chinese || !HAN.test(p))) {
      if (phraseTerms(phrase).join(' ') !== concept.own.join(' ')) extra.push(phrase);
    }
  }
  // BM25 weighs a query term by its count in the query: the question's own words, given twice,
  // count double the equivalents, so "return shipping" still prefers the returns page.
  return extra.length ? `${question} ${question} ${extra.join(' ')}` : question;
}
