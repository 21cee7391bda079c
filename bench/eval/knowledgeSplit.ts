/**
 * Knowledge answers on the question set's DEV / EVAL split (questionSplit in answerEval.ts):
 *   npx tsx bench/eval/knowledgeSplit.ts [--calibrate true] [--show dev|eval|none] [--server true]
 *     [--eval false] [--dev all|hash|added]
 * DEV is the questions questionSplit puts there: by hash of the id, or marked `split: "dev"` (added
 * to grow DEV); --dev hash or added scores one of the two alone.
 * --calibrate sweeps the answer threshold on DEV only and prints the DEV curve; EVAL is then scored
 * once at the shipped values, never used to choose anything. --server true also asks EVAL through the
 * real bot (intent routing included), as npm run eval does for all questions.
 */
import type { ExtractiveOptions } from '../../src/knowledge';
import { BenchUsageError, parseBenchArgs } from '../lib/args';
import {
  createEmbeddedAnswerer,
  inLanguage,
  knowledgeSources,
  loadQuestions,
  questionSplit,
  scoreAnswers,
  type AnswerOutcome,
  type AnswerQualityResult,
  type EvalQuestion,
} from './answerEval';
import { startServerSession } from './serverSession';

let ENCODER: 'embedded' | 'none' = 'none';
let DENSE: boolean | undefined;

function line(name: string, r: AnswerQualityResult): string {
  const pct = (x: number) => (Number.isNaN(x) ? '  n/a' : `${(100 * x).toFixed(1).padStart(5)}`);
  const answerable = r.perQuestion.filter((p) => p.expect === 'answer');
  const accuracy = answerable.filter((p) => p.accurate).length / answerable.length;
  const para = r.byStyle.paraphrase;
  return `${name.padEnd(10)} n=${String(r.questions).padStart(3)} citation ${pct(r.citationCorrectness)}  answer-acc ${pct(accuracy)}  paraphrase-acc ${pct(para?.accuracy ?? NaN)}  refusal-acc ${pct(r.refusalAccuracy)}  leaks ${r.accessLeaks}`;
}

async function run(
  questions: EvalQuestion[],
  minScore?: number,
  extra: ExtractiveOptions = {},
): Promise<AnswerOutcome[]> {
  const answerer = await createEmbeddedAnswerer(undefined, 5, minScore, extra, ENCODER, DENSE);
  try {
    const out: AnswerOutcome[] = [];
    for (const q of questions) out.push(await answerer.answer(q));
    return out;
  } finally {
    await answerer.close();
  }
}

async function main(): Promise<void> {
  const args = parseBenchArgs(
    process.argv.slice(2),
    {
      calibrate: { description: 'true: sweep the threshold on DEV', default: 'false' },
      show: { description: 'print the misses of dev, eval, devbot or none', default: 'none' },
      server: { description: 'true: also ask EVAL through the real bot (src/index.ts)', default: 'false' },
      questions: { description: 'question set', default: 'data/eval/questions.json' },
      eval: { description: 'false: DEV only (while choosing anything)', default: 'true' },
      dev: {
        description: 'DEV questions: all, hash (the original DEV by id hash) or added (split: "dev")',
        default: 'all',
      },
      encoder: { description: 'dense leg of the embedded index: embedded or none', default: 'none' },
      dense: {
        description: 'with --encoder: fuse the dense ranking into retrieval (true/false)',
        default: '',
      },
      'semantic-weight': { description: 're-ranker weight (default: the shipped value)', default: '' },
      'min-relevance': { description: 're-ranker refusal threshold (default: shipped)', default: '' },
      'rescue-similarity': { description: 're-ranker paraphrase rescue (default: shipped)', default: '' },
      rerank: {
        description: 'true: sweep the sentence re-ranker settings on DEV (with --encoder)',
        default: 'false',
      },
    },
    'usage: npx tsx bench/eval/knowledgeSplit.ts [--calibrate true] [--show dev|eval|none]',
  );
  if (!['embedded', 'none'].includes(args.encoder))
    throw new BenchUsageError('--encoder must be embedded or none');
  ENCODER = args.encoder as 'embedded' | 'none';
  if (args.dense) DENSE = args.dense === 'true';
  const chosen: ExtractiveOptions = {
    ...(args['semantic-weight'] ? { semanticWeight: Number(args['semantic-weight']) } : {}),
    ...(args['min-relevance'] ? { minRelevance: Number(args['min-relevance']) } : {}),
    ...(args['rescue-similarity'] ? { rescueSimilarity: Number(args['rescue-similarity']) } : {}),
  };
  if (!['all', 'hash', 'added'].includes(args.dev))
    throw new BenchUsageError('--dev must be all, hash or added');
  // English only: the Chinese questions are an evaluation set of their own, never used to choose values
  // (the few written as DEV, split: "dev", are scored on their own line: zh-DEV).
  const loaded = loadQuestions(args.questions);
  const all = inLanguage(loaded, 'en');
  const sources = await knowledgeSources();
  const inDev = (q: EvalQuestion) =>
    questionSplit(q) === 'dev' && (args.dev === 'all' || (args.dev === 'added') === (q.split === 'dev'));
  const dev = all.filter(inDev);
  const zhDev = inLanguage(loaded, 'zh-CN').filter((q) => q.split === 'dev' && args.dev !== 'hash');
  const evalSet = all.filter((q) => questionSplit(q) === 'eval');
  if (args.calibrate === 'true') {
    // The parameters answerExtractively exposes, around the shipped values; DEV only.
    for (const minSentenceCoverage of [0.3, 0.35, 0.4])
      for (const sentenceShare of [0.4, 0.6])
        for (const synonymWeight of [1.5, 2, 3])
          for (const titleBonus of [0, 0.2])
            for (const minScore of [0.2, 0.3]) {
              const calibration = { minSentenceCoverage, sentenceShare, synonymWeight, titleBonus };
              const r = scoreAnswers('embedded', dev, await run(dev, minScore, calibration), sources);
              const name = `dev cover ${minSentenceCoverage} share ${sentenceShare} syn ${synonymWeight} title ${titleBonus} min ${minScore}`;
              process.stdout.write(`${line(name, r)}\n`);
            }
  }
  if (args.rerank === 'true') await sweepReranker(dev, sources);
  const rDev = scoreAnswers('embedded', dev, await run(dev, undefined, chosen), sources);
  process.stdout.write(`${line('DEV', rDev)}\n`);
  const rZh = zhDev.length ? scoreAnswers('embedded', zhDev, await run(zhDev), sources) : undefined;
  if (rZh) process.stdout.write(`${line('zh-DEV', rZh)}\n`);
  const rEval =
    args.eval === 'false' ? undefined : scoreAnswers('embedded', evalSet, await run(evalSet), sources);
  if (rEval) process.stdout.write(`${line('EVAL', rEval)}\n`);
  if (args.server === 'true') {
    const session = await startServerSession();
    try {
      for (const [name, qs] of [
        ['DEV/bot', dev],
        ...(zhDev.length ? ([['zh-DEV/bot', zhDev]] as const) : []),
        ...(rEval ? ([['EVAL/bot', evalSet]] as const) : []),
      ] as const) {
        const out: AnswerOutcome[] = [];
        for (const q of qs) out.push(await session.answer(q));
        const r = scoreAnswers('server', qs, out, sources);
        process.stdout.write(`${line(name, r)}\n`);
        if (name.includes('DEV/bot') && args.show === 'devbot') showMisses(qs, r);
      }
    } finally {
      await session.stop();
    }
  }
  if (args.show === 'dev') showMisses(dev, rDev);
  if (args.show === 'dev' && rZh) showMisses(zhDev, rZh);
  if (args.show === 'eval' && rEval) showMisses(evalSet, rEval);
}

/** The sentence re-ranker's weight and thresholds, on DEV only (retrieval done once per question). */
async function sweepReranker(dev: EvalQuestion[], sources: Awaited<ReturnType<typeof knowledgeSources>>) {
  const answerer = await createEmbeddedAnswerer(undefined, 5, undefined, {}, ENCODER, DENSE);
  try {
    for (const semanticWeight of [0, 0.05, 0.1, 0.2])
      for (const minRelevance of [0, 0.6, 0.7, 0.75, 0.8, 0.825, 0.85, 0.875, 0.9])
        for (const rescueSimilarity of [0.5, 0.6, 0.7, 2]) {
          const opts = { semanticWeight, minRelevance, rescueSimilarity };
          const out: AnswerOutcome[] = [];
          for (const q of dev) out.push(await answerer.answerWith(q, opts));
          const r = scoreAnswers('embedded', dev, out, sources);
          const name = `dev w ${semanticWeight} min ${minRelevance} rescue ${rescueSimilarity}`;
          process.stdout.write(`${line(name, r)}\n`);
        }
  } finally {
    await answerer.close();
  }
}

function showMisses(qs: EvalQuestion[], r: AnswerQualityResult): void {
  r.perQuestion.forEach((p, i) => {
    if (p.accurate) return;
    const q = qs[i]!;
    process.stdout.write(
      `\n✗ ${q.id} [${q.user} ${q.expect} ${q.style ?? 'direct'}] ${q.question}\n   want ${q.source ?? q.reason}: ${q.reference ?? ''}\n   got  ${p.refused ? `REFUSED ${p.text.slice(0, 80)}` : `${p.citedSources.join(',')}: ${p.text}`}\n`,
    );
  });
}

main().catch((error: unknown) => {
  if (error instanceof BenchUsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
