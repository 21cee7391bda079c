/**
 * Pure metric functions for the evaluation report. Retrieval metrics (nDCG, recall) come from
 * bench/retrievalLib.ts and macro-F1 from bench/lib/intentBenchmark.ts so every benchmark scores alike.
 */
import { recallAt } from '../retrievalLib';

export { ndcgAt, recallAt } from '../retrievalLib';
export { macroF1 } from '../lib/intentBenchmark';

/**
 * Lower-cased alphanumeric tokens ("7.95 USD" → ["7", "95", "usd"]); each Chinese character is a token of
 * its own ("退货 30 天" → ["退", "货", "30", "天"]), as ROUGE is usually computed on Chinese text, which
 * has no spaces between words.
 */
export function tokenize(text: string): string[] {
  return (
    (typeof text === 'string'
      ? text.toLowerCase().match(/\p{Script=Han}|(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu)
      : null) ?? []
  );
}

// Function words carry no content; faithfulness ignores them so "the", "of" cannot make a sentence look supported.
const STOP = new Set(
  'a an and are as at be by can do does for from has have if in into is it its of on or our so that the their then there these this to was we were will with you your'.split(
    ' ',
  ),
);

export function contentTokens(text: string): string[] {
  const all = tokenize(text);
  const content = all.filter((t) => !STOP.has(t));
  return content.length ? content : all;
}

/** Length of the longest common subsequence of two token lists (O(n·m) time, O(m) memory). */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (!a.length || !b.length) return 0;
  let prev = new Array<number>(b.length + 1).fill(0);
  let curr = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      curr[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, curr[j - 1]!);
    }
    [prev, curr] = [curr, prev];
  }
  return prev[b.length]!;
}

export interface RougeScore {
  precision: number;
  recall: number;
  f: number;
}

/** ROUGE-L (Lin 2004) on word tokens: LCS-based precision, recall and F1 of a candidate against a reference. */
export function rougeL(candidate: string, reference: string): RougeScore {
  const c = tokenize(candidate);
  const r = tokenize(reference);
  const lcs = lcsLength(c, r);
  if (lcs === 0) return { precision: 0, recall: 0, f: 0 };
  const precision = lcs / c.length;
  const recall = lcs / r.length;
  return { precision, recall, f: (2 * precision * recall) / (precision + recall) };
}

export function accuracy(gold: readonly string[], predicted: readonly string[]): number {
  if (gold.length !== predicted.length) throw new Error('accuracy: gold and predicted differ in length');
  return gold.length ? gold.filter((g, i) => g === predicted[i]).length / gold.length : NaN;
}

export interface ConfusionMatrix {
  labels: string[];
  /** matrix[i][j]: how many items of gold label i were predicted as label j. */
  matrix: number[][];
}

/** Confusion matrix over `labels` (plus any label seen in the data but missing from `labels`, appended sorted). */
export function confusionMatrix(
  gold: readonly string[],
  predicted: readonly string[],
  labels: readonly string[] = [],
): ConfusionMatrix {
  if (gold.length !== predicted.length)
    throw new Error('confusionMatrix: gold and predicted differ in length');
  const extra = [...new Set([...gold, ...predicted])].filter((l) => !labels.includes(l)).sort();
  const all = [...labels, ...extra];
  const index = new Map(all.map((l, i) => [l, i]));
  const matrix = all.map(() => all.map(() => 0));
  gold.forEach((g, i) => {
    matrix[index.get(g)!]![index.get(predicted[i]!)!]!++;
  });
  return { labels: all, matrix };
}

/** Splits an answer into sentences (English or Chinese); citation markers like [1] stay attached to their sentence. */
export function answerSentences(text: string): string[] {
  return (
    text
      .replace(/\s+/g, ' ')
      // English: after . ! ? and a space before a capital; Chinese: after 。！？ (no space needed).
      .split(/(?<=[.!?](?:\s*\[\d+\])*)\s+(?=[A-Z0-9"(])|(?<=[。！？](?:\s*\[\d+\])*)\s*(?=[^\s[])/)
      .map((s) => s.trim())
      .filter((s) => tokenize(s.replace(/\[\d+\]/g, '')).length > 0)
  );
}

export interface FaithfulnessResult {
  /** Share of sentences supported by a cited chunk (0 when the answer has no sentences). */
  score: number;
  sentences: { sentence: string; support: number; supported: boolean }[];
}

/**
 * Faithfulness of an answer to its citations: a sentence is supported when at least `threshold` of its
 * content tokens occur in one chunk it cites ([n] markers in the sentence; a sentence without markers
 * may use any cited chunk). `chunks` maps citation index → chunk text.
 */
export function faithfulness(
  answer: string,
  chunks: ReadonlyMap<number, string>,
  threshold = 0.8,
): FaithfulnessResult {
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError('threshold must be in (0, 1]');
  const chunkTokens = new Map([...chunks].map(([i, text]) => [i, new Set(tokenize(text))]));
  const sentences = answerSentences(answer).map((sentence) => {
    const markers = [...sentence.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    const candidates = markers.length ? markers : [...chunkTokens.keys()];
    const tokens = contentTokens(sentence.replace(/\[\d+\]/g, ''));
    let support = 0;
    for (const i of candidates) {
      const set = chunkTokens.get(i);
      if (!set) continue;
      support = Math.max(support, tokens.filter((t) => set.has(t)).length / tokens.length);
    }
    return { sentence, support, supported: support >= threshold };
  });
  return {
    score: sentences.length ? sentences.filter((s) => s.supported).length / sentences.length : 0,
    sentences,
  };
}

/** Recall@k for each k, averaged over queries: the recall@k curve. */
export function recallCurve(
  rankings: ReadonlyMap<string, readonly string[]>,
  qrels: ReadonlyMap<string, ReadonlyMap<string, number>>,
  ks: readonly number[],
): { k: number; recall: number }[] {
  const ids = [...rankings.keys()].filter((id) => qrels.has(id));
  return ks.map((k) => ({
    k,
    recall: ids.length
      ? ids.reduce((sum, id) => sum + recallAt(k, rankings.get(id)!, qrels.get(id)!), 0) / ids.length
      : NaN,
  }));
}

/** True when a cited source (path, URL or title) names the expected source file. */
export function sourceMatches(
  cited: string,
  expected: { source: string; url?: string; title?: string },
): boolean {
  if (!cited) return false;
  const c = cited.trim().toLowerCase();
  const s = expected.source.toLowerCase();
  return (
    c === s ||
    c.endsWith(`/${s}`) ||
    s.endsWith(`/${c}`) ||
    (!!expected.url && c === expected.url.toLowerCase()) ||
    (!!expected.title && c === expected.title.toLowerCase())
  );
}
