import { join } from 'node:path';
import { buildIndex, loadCorpus, loadQrels, loadQueries, ndcgAt, recallAt, splitOf } from '../retrievalLib';
import { recallCurve } from './metrics';

export const SCIFACT_DIR = '/work/shared/data/scifact';
export const RECALL_KS = [1, 3, 5, 10, 20, 50, 100] as const;

export interface RetrievalEvalResult {
  dataset: string;
  split: 'heldout' | 'all';
  queries: number;
  documents: number;
  ndcgAt10: number;
  recallAt100: number;
  recallCurve: { k: number; recall: number }[];
}

/**
 * SciFact (BEIR) train queries against the embedded engine (bench/retrievalLib, same settings as
 * bench:retrieval). `heldout` is the 60 % of queries never used for tuning.
 */
export function evaluateRetrieval(
  dir = SCIFACT_DIR,
  split: 'heldout' | 'all' = 'heldout',
  onQuery?: () => void,
): RetrievalEvalResult {
  const docs = loadCorpus(join(dir, 'corpus.jsonl'));
  const qrels = loadQrels(join(dir, 'qrels', 'train.tsv'));
  const queries = loadQueries(join(dir, 'queries_train.jsonl')).filter(
    (q) => qrels.has(q.id) && (split === 'all' || splitOf(q.id) === split),
  );
  if (!queries.length) throw new Error(`no judged SciFact queries in split ${split}`);
  const index = buildIndex(docs);
  const rankings = new Map<string, string[]>();
  let ndcg = 0;
  let recall = 0;
  for (const q of queries) {
    const ranked = index.search(q.text, 100).map((r) => r.id);
    rankings.set(q.id, ranked);
    ndcg += ndcgAt(10, ranked, qrels.get(q.id)!);
    recall += recallAt(100, ranked, qrels.get(q.id)!);
    onQuery?.();
  }
  return {
    dataset: 'scifact (BEIR) train queries',
    split,
    queries: queries.length,
    documents: docs.length,
    ndcgAt10: ndcg / queries.length,
    recallAt100: recall / queries.length,
    recallCurve: recallCurve(rankings, qrels, RECALL_KS),
  };
}

export function scifactQueryCount(dir = SCIFACT_DIR, split: 'heldout' | 'all' = 'heldout'): number {
  const qrels = loadQrels(join(dir, 'qrels', 'train.tsv'));
  return loadQueries(join(dir, 'queries_train.jsonl')).filter(
    (q) => qrels.has(q.id) && (split === 'all' || splitOf(q.id) === split),
  ).length;
}
