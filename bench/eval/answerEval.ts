import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import {
  answerExtractively,
  createKnowledgeSearch,
  ingestFolder,
  JsonGroupDirectory,
  SAMPLE_DIRECTORY_PATH,
  SAMPLE_KNOWLEDGE_DIR,
  type ExtractiveOptions,
  type KnowledgeHit,
  type KnowledgeSearch,
} from '../../src/knowledge';
import { isSupported, parseDocument, readSidecar } from '../../src/knowledge/parsers';
import { createKnowledgeAnswerer } from '../../src/planner/knowledgeAnswerer';
import { users } from '../../test/helpers/activities';
import { faithfulness, rougeL, sourceMatches } from './metrics';

/** How a question is worded: as the document says it, in everyday words, with typos, in a word or two, or answered by a table row. */
export const QUESTION_STYLES = ['direct', 'paraphrase', 'typo', 'vague', 'table'] as const;
export type QuestionStyle = (typeof QUESTION_STYLES)[number];

/** The languages a question or dialogue is written in; absent means en. Each is reported apart. */
export const EVAL_LANGUAGES = ['en', 'zh-CN'] as const;
export type EvalLanguage = (typeof EVAL_LANGUAGES)[number];

/** Share of the reference an answer must contain (ROUGE-L recall) to count as accurate. */
export const ANSWER_RECALL_THRESHOLD = 0.5;

const questionSchema = z
  .object({
    id: z.string().min(1),
    user: z.enum(['alex', 'bea', 'carl', 'dana']),
    question: z.string().min(3),
    expect: z.enum(['answer', 'refusal']),
    reason: z.enum(['not_in_kb', 'no_access']).optional(),
    source: z.string().optional(),
    reference: z.string().optional(),
    /** How the question is worded; absent means direct. */
    style: z.enum(QUESTION_STYLES).optional(),
    /** The language the question is written in; absent means en. */
    language: z.enum(EVAL_LANGUAGES).optional(),
    /** "dev": a DEV question whatever its id's hash (questions written to grow DEV); absent: by hash. */
    split: z.literal('dev').optional(),
  })
  .refine((q) => q.expect === 'refusal' || (q.source && q.reference), {
    message: 'an answerable question needs source and reference',
  })
  .refine((q) => q.expect === 'answer' || q.reason, { message: 'a refusal question needs a reason' });

export type EvalQuestion = z.infer<typeof questionSchema>;

/** The items written in `language` (absent counts as en): each language is scored and reported apart. */
export function inLanguage<T extends { language?: EvalLanguage }>(
  items: readonly T[],
  language: EvalLanguage,
): T[] {
  return items.filter((x) => (x.language ?? 'en') === language);
}

export function loadQuestions(path: string): EvalQuestion[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read questions ${path}: ${(err as Error).message}`);
  }
  const parsed = z.object({ questions: z.array(questionSchema).min(1) }).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: ${issue.path.join('.')}: ${issue.message}`);
  }
  const ids = new Set<string>();
  for (const q of parsed.data.questions) {
    if (ids.has(q.id)) throw new Error(`${path}: duplicate question id ${q.id}`);
    ids.add(q.id);
  }
  return parsed.data.questions;
}

/** What the bot said: answer text with [n] markers, and the citations behind the markers. */
export interface AnswerOutcome {
  refused: boolean;
  text: string;
  /** index → cited source (path, URL or title) and the chunk text the citation stands for. */
  citations: { index: number; source: string; text: string }[];
}

export type Answerer = (q: EvalQuestion) => Promise<AnswerOutcome>;

export interface SourceInfo {
  source: string;
  title?: string;
  url?: string;
}

/**
 * The bot's embedded answer path without the server: createKnowledgeSearch (embedded index) over
 * data/knowledge, the sample group directory, the bot's KnowledgeAnswerer retrieval (query expansion,
 * the user's groups) and answerExtractively; `minScore` overrides the answer threshold (calibration).
 */
export async function createEmbeddedAnswerer(
  knowledgeDir = SAMPLE_KNOWLEDGE_DIR,
  topK = 5,
  minScore?: number,
  calibration: ExtractiveOptions = {},
  encoder: 'embedded' | 'none' = 'none',
  denseRetrieval?: boolean,
) {
  const dir = mkdtempSync(join(tmpdir(), 'eval-kb-'));
  const search: KnowledgeSearch = createKnowledgeSearch({
    indexPath: join(dir, 'index.json'),
    encoder,
    ...(denseRetrieval === undefined ? {} : { denseRetrieval }),
  });
  await ingestFolder(knowledgeDir, search, { sourceRoot: resolve(knowledgeDir, '..', '..') });
  const directory = new JsonGroupDirectory(SAMPLE_DIRECTORY_PATH);
  const answerer = createKnowledgeAnswerer({ search, groups: directory, top: topK });
  // Retrieval does not depend on the answer step's settings: a sweep retrieves each question once.
  const retrieved = new Map<string, Promise<KnowledgeHit[]>>();
  const hitsFor = (q: EvalQuestion) => {
    const key = `${q.user}|${q.question}`;
    if (!retrieved.has(key)) retrieved.set(key, answerer.retrieve(users[q.user].aadObjectId, q.question));
    return retrieved.get(key)!;
  };
  const answerWith = async (q: EvalQuestion, opts: ExtractiveOptions): Promise<AnswerOutcome> => {
    const hits = await hitsFor(q);
    const result = answerExtractively(q.question, hits, opts);
    if ('notFound' in result) return { refused: true, text: '', citations: [] };
    const content = new Map(hits.map((h) => [h.id, h.content]));
    return {
      refused: false,
      text: result.text,
      citations: result.citations.map((c) => ({
        index: c.index,
        source: c.source,
        text: content.get(c.chunkId) ?? c.snippet,
      })),
    };
  };
  const answer: Answerer = (q) =>
    answerWith(q, { ...calibration, ...(minScore === undefined ? {} : { minScore }) });
  return {
    answer,
    answerWith,
    close: async () => {
      await search.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Title and URL of every document under `knowledgeDir`, so citations that show a title or URL map to a file. */
export async function knowledgeSources(knowledgeDir = SAMPLE_KNOWLEDGE_DIR): Promise<SourceInfo[]> {
  const out: SourceInfo[] = [];
  for (const entry of readdirSync(knowledgeDir, { recursive: true, withFileTypes: true })) {
    const file = join(entry.parentPath, entry.name);
    if (!entry.isFile() || !isSupported(file)) continue;
    const doc = await parseDocument(file, readFileSync(file));
    const sidecar = await readSidecar(file);
    out.push({
      source: relative(knowledgeDir, file).split(sep).join('/'),
      title: sidecar?.title ?? doc.title,
      url: sidecar?.url ?? doc.url,
    });
  }
  return out;
}

export interface AnswerQualityResult {
  path: 'embedded' | 'server';
  questions: number;
  answerable: number;
  /** Answerable questions that got an answer (not a refusal). */
  answeredRate: number;
  /** First citation names the expected source (answerable questions; a refusal counts as wrong). */
  citationCorrectness: number;
  /** Share of all citations (over answered questions) that name the expected source. */
  citationPrecision: number;
  /** Mean share of answer sentences supported by a chunk they cite (answered questions). */
  faithfulness: number;
  /** Mean ROUGE-L F1 against the reference (answerable questions; a refusal scores 0). */
  rougeLF: number;
  /** Refused exactly when a refusal was expected, over all questions. */
  refusalAccuracy: number;
  refusalRecall: { not_in_kb: number; no_access: number };
  /** no_access questions answered with a citation of the restricted document: must be 0. */
  accessLeaks: number;
  /**
   * The same questions split by `style` (absent = direct). accuracy: an answerable question counts when
   * it is answered, the first citation names the expected source and the answer holds at least
   * ANSWER_RECALL_THRESHOLD of the reference (ROUGE-L recall); a refusal question counts when refused.
   */
  byStyle: Partial<
    Record<
      QuestionStyle,
      {
        questions: number;
        answerable: number;
        accuracy: number;
        citationCorrectness: number;
        refusalAccuracy: number;
      }
    >
  >;
  perQuestion: {
    id: string;
    style: QuestionStyle;
    /** See byStyle. */
    accurate: boolean;
    expect: string;
    refused: boolean;
    citedSources: string[];
    citationOk?: boolean;
    faithfulness?: number;
    rougeLF?: number;
    text: string;
  }[];
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

export function scoreAnswers(
  path: 'embedded' | 'server',
  questions: EvalQuestion[],
  outcomes: AnswerOutcome[],
  sources: SourceInfo[],
): AnswerQualityResult {
  if (questions.length !== outcomes.length) throw new Error('scoreAnswers: one outcome per question');
  const info = (source: string): SourceInfo =>
    sources.find((s) => sourceMatches(s.source, { source })) ?? { source };
  const perQuestion: AnswerQualityResult['perQuestion'] = [];
  const citationOk: number[] = [];
  const precision: number[] = [];
  const faith: number[] = [];
  const rouge: number[] = [];
  let refusalHits = 0;
  const refusalByReason = { not_in_kb: [] as number[], no_access: [] as number[] };
  let accessLeaks = 0;
  questions.forEach((q, i) => {
    const o = outcomes[i]!;
    const row: AnswerQualityResult['perQuestion'][number] = {
      id: q.id,
      style: q.style ?? 'direct',
      accurate: false,
      expect: q.expect,
      refused: o.refused,
      citedSources: o.citations.map((c) => c.source),
      text: o.text,
    };
    if ((q.expect === 'refusal') === o.refused) refusalHits++;
    if (q.expect === 'refusal') row.accurate = o.refused;
    if (q.expect === 'answer') {
      const expected = info(q.source!);
      const ok = !o.refused && o.citations.length > 0 && sourceMatches(o.citations[0]!.source, expected);
      citationOk.push(ok ? 1 : 0);
      row.citationOk = ok;
      const overlap = o.refused ? undefined : rougeL(o.text.replace(/\[\d+\]/g, ''), q.reference!);
      row.rougeLF = overlap?.f ?? 0;
      row.accurate = ok && (overlap?.recall ?? 0) >= ANSWER_RECALL_THRESHOLD;
      rouge.push(row.rougeLF);
      if (!o.refused) {
        if (o.citations.length)
          precision.push(
            o.citations.filter((c) => sourceMatches(c.source, expected)).length / o.citations.length,
          );
        row.faithfulness = faithfulness(o.text, new Map(o.citations.map((c) => [c.index, c.text]))).score;
        faith.push(row.faithfulness);
      }
    } else {
      refusalByReason[q.reason!].push(o.refused ? 1 : 0);
      if (
        q.reason === 'no_access' &&
        !o.refused &&
        q.source &&
        o.citations.some((c) => sourceMatches(c.source, info(q.source!)))
      )
        accessLeaks++;
    }
    perQuestion.push(row);
  });
  const answerable = questions.filter((q) => q.expect === 'answer');
  return {
    path,
    questions: questions.length,
    answerable: answerable.length,
    answeredRate: mean(answerable.map((q) => (outcomes[questions.indexOf(q)]!.refused ? 0 : 1))),
    citationCorrectness: mean(citationOk),
    citationPrecision: mean(precision),
    faithfulness: mean(faith),
    rougeLF: mean(rouge),
    refusalAccuracy: refusalHits / questions.length,
    refusalRecall: { not_in_kb: mean(refusalByReason.not_in_kb), no_access: mean(refusalByReason.no_access) },
    accessLeaks,
    byStyle: summarizeByStyle(questions, perQuestion),
    perQuestion,
  };
}

function summarizeByStyle(
  questions: EvalQuestion[],
  rows: AnswerQualityResult['perQuestion'],
): AnswerQualityResult['byStyle'] {
  const out: AnswerQualityResult['byStyle'] = {};
  for (const style of QUESTION_STYLES) {
    const idx = rows.flatMap((r, i) => (r.style === style ? [i] : []));
    if (!idx.length) continue;
    const answerable = idx.filter((i) => questions[i]!.expect === 'answer');
    out[style] = {
      questions: idx.length,
      answerable: answerable.length,
      accuracy: mean(idx.map((i) => (rows[i]!.accurate ? 1 : 0))),
      citationCorrectness: mean(answerable.map((i) => (rows[i]!.citationOk ? 1 : 0))),
      refusalAccuracy: mean(
        idx.map((i) => ((questions[i]!.expect === 'refusal') === rows[i]!.refused ? 1 : 0)),
      ),
    };
  }
  return out;
}

/**
 * The question set's deterministic split: a question marked `split: "dev"` is DEV; any other is DEV
 * when the first byte of sha1(id) is below 102 (about 40 %), else EVAL. The field only adds DEV
 * questions, so no question without it ever changes side. Thresholds, weights and synonyms are
 * chosen looking at DEV only; numbers are reported on EVAL (bench/eval/knowledgeSplit.ts).
 */
export function questionSplit(q: { id: string; split?: 'dev' }): 'dev' | 'eval' {
  if (q.split === 'dev') return 'dev';
  return createHash('sha1').update(q.id).digest()[0]! < 102 ? 'dev' : 'eval';
}
