/**
 * One evaluation report over everything we can measure offline:
 *   npm run eval [-- --quick true] [--server true|false] [--turns-json report/turns.json] [--out-dir report]
 *                [--feedback <EMBEDDED_DATA_DIR>|cosmos]
 * Writes report/report.md, report/index.html, report/*.svg, report/eval.json and appends report/history.csv.
 * --quick skips CLINC150 (≈ 60 s of training); --server false skips everything that needs the real bot.
 * --feedback reads users' thumbs up/down from a transcript store (see feedbackEval.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BenchUsageError, parseBenchArgs } from '../lib/args';
import { PROJECT_ROOT } from '../lib/childServer';
import { Progress, type Stage } from '../lib/progress';
import { embeddedBotEnv, runTurnsBenchmark, type TurnsBenchmarkResult } from '../lib/turnsBenchmark';
import {
  createEmbeddedAnswerer,
  inLanguage,
  knowledgeSources,
  loadQuestions,
  scoreAnswers,
  type Answerer,
  type AnswerOutcome,
  type AnswerQualityResult,
  type EvalQuestion,
} from './answerEval';
import {
  loadDialogues,
  runDialogue,
  summarizeDialogues,
  type DialogueResult,
  type DialogueSummary,
} from './dialogues';
import { evaluateBotIntents, evaluateChineseIntents, evaluateClinc } from './intentEval';
import { loadFeedback, summarizeFeedback } from './feedbackEval';
import { appendHistory, renderHtml, renderMarkdown, writeCharts, type EvalResults } from './report';
import { evaluateRetrieval, scifactQueryCount } from './retrievalEval';
import { startServerSession } from './serverSession';
import { heatmapSvg, histogramSvg, lineChartSvg } from './svg';

const bars = new Progress('eval');
const log = (message: string) => bars.log(message);
const stage = (name: string, total: number): Stage => bars.stage(name, total);

function gitSha(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    }).trim();
  } catch {
    return 'unknown';
  }
}

async function answerAll(
  questions: EvalQuestion[],
  answer: Answerer,
  name: string,
): Promise<AnswerOutcome[]> {
  const bar = stage(name, questions.length);
  const out: AnswerOutcome[] = [];
  for (const q of questions) {
    try {
      out.push(await answer(q));
    } catch (err) {
      log(`${q.id}: ${(err as Error).message}`);
      out.push({ refused: true, text: '', citations: [] });
    }
    bar.increment();
  }
  return out;
}

/** A knowledge file's language as ingest reads it: Chinese files are named *.zh-CN.* in data/knowledge. */
function sourceLanguage(source: string): 'en' | 'zh-CN' {
  return /\.zh-CN\./i.test(source) ? 'zh-CN' : 'en';
}

async function main(): Promise<void> {
  const args = parseBenchArgs(
    process.argv.slice(2),
    {
      quick: { description: 'true: skip CLINC150', default: 'false' },
      server: {
        description: 'false: skip the real-server parts (dialogues, server answers, turn run)',
        default: 'true',
      },
      'turns-json': { description: 'latest bench:turns result to chart', default: 'report/turns.json' },
      'out-dir': { description: 'report folder', default: 'report' },
      questions: { description: 'answer-quality questions', default: 'data/eval/questions.json' },
      dialogues: { description: 'scripted dialogues', default: 'data/eval/dialogues.json' },
      feedback: {
        description:
          'users\' reactions: an embedded data dir (e.g. .data/cosmos, bot stopped), "cosmos" (COSMOS_* env) or none',
        default: 'none',
      },
    },
    'usage: npm run eval -- [--quick true] [--server false]',
  );
  for (const flag of ['quick', 'server'] as const) {
    if (!['true', 'false'].includes(args[flag])) throw new BenchUsageError(`--${flag} must be true or false`);
  }
  const quick = args.quick === 'true';
  const useServer = args.server === 'true';
  const outDir = resolve(args['out-dir']);
  mkdirSync(outDir, { recursive: true });
  // Each language is scored and reported apart: the English numbers are those of the English items alone.
  const allQuestions = loadQuestions(resolve(args.questions));
  const allDialogues = loadDialogues(resolve(args.dialogues));
  const questions = inLanguage(allQuestions, 'en');
  const dialogues = inLanguage(allDialogues, 'en');
  const zhQuestions = inLanguage(allQuestions, 'zh-CN');
  const zhDialogues = inLanguage(allDialogues, 'zh-CN');
  const notes: string[] = [];
  const startedAt = new Date().toISOString();

  log('bot intents (held-out split of data/nlu)');
  const botIntents = evaluateBotIntents();
  log('Chinese intents (held-out split of data/nlu/utterances/zh-CN)');
  const chineseIntents = evaluateChineseIntents();

  let clinc: EvalResults['clinc'];
  if (!quick) {
    log('CLINC150 val: training (about 60 s on 2 cores)');
    clinc = evaluateClinc(undefined, () => undefined);
  } else notes.push('Quick run: CLINC150 skipped.');

  const retrievalBar = stage('SciFact queries', scifactQueryCount());
  const retrieval = evaluateRetrieval(undefined, 'heldout', () => retrievalBar.increment());

  const sources = await knowledgeSources();
  const embedded = await createEmbeddedAnswerer();
  const answersEmbedded = scoreAnswers(
    'embedded',
    questions,
    await answerAll(questions, embedded.answer, 'answers (embedded)'),
    sources,
  );
  const zhEmbedded = zhQuestions.length
    ? scoreAnswers(
        'embedded',
        zhQuestions,
        await answerAll(zhQuestions, embedded.answer, 'zh-CN answers (embedded)'),
        sources,
      )
    : undefined;
  await embedded.close();

  let answersServer: EvalResults['answersServer'];
  let dialogueSummary: EvalResults['dialogues'];
  let zhServer: AnswerQualityResult | undefined;
  let zhDialogueSummary: DialogueSummary | undefined;
  if (useServer) {
    log('starting the bot (src/index.ts) with an embedded Cosmos server');
    const session = await startServerSession();
    try {
      answersServer = scoreAnswers(
        'server',
        questions,
        await answerAll(questions, session.answer, 'answers (server)'),
        sources,
      );
      const runAll = async (list: typeof dialogues, name: string) => {
        const bar = stage(name, list.length);
        const results: DialogueResult[] = [];
        for (const d of list) {
          results.push(
            await runDialogue(d, {
              botUrl: session.botUrl,
              connector: session.connector,
              tickets: session.tickets,
              orders: session.orders,
              returns: session.returns,
              sources,
            }),
          );
          bar.increment();
        }
        return summarizeDialogues(results);
      };
      dialogueSummary = await runAll(dialogues, 'dialogues');
      if (zhQuestions.length)
        zhServer = scoreAnswers(
          'server',
          zhQuestions,
          await answerAll(zhQuestions, session.answer, 'zh-CN answers (server)'),
          sources,
        );
      if (zhDialogues.length) zhDialogueSummary = await runAll(zhDialogues, 'zh-CN dialogues');
    } finally {
      await session.stop();
    }
  } else
    notes.push('Server parts skipped (--server false): no dialogues, answers from the embedded path only.');

  let turns: EvalResults['turns'];
  const turnsPath = resolve(args['turns-json']);
  if (existsSync(turnsPath)) {
    turns = {
      ...(JSON.parse(readFileSync(turnsPath, 'utf8')) as TurnsBenchmarkResult),
      source: args['turns-json'],
    };
  } else if (useServer) {
    log(`${args['turns-json']} not found: small turn run (c1 and c16) for the histogram`);
    const bar = stage('turns (small run)', 2 * (50 + 200));
    const dataDir = join(outDir, '.turns-tmp');
    const small = await runTurnsBenchmark({
      concurrency: [1, 16],
      turns: [50, 200],
      warmupTurns: 20,
      targets: [
        { name: 'floor', script: 'bench/floorBot.ts' },
        { name: 'full', script: 'src/index.ts', env: embeddedBotEnv(dataDir), readyPath: '/readyz' },
      ],
      profile: false,
      log,
      onTurnDone: () => bar.increment(),
    });
    turns = { ...small, source: 'small run inside npm run eval' };
    notes.push(
      'Turn numbers come from a small run (50/200 turns); run npm run bench:turns for the full measurement.',
    );
  }
  bars.stop();

  let feedback: EvalResults['feedback'];
  if (args.feedback !== 'none') {
    log(`user feedback from ${args.feedback}`);
    feedback = summarizeFeedback(await loadFeedback(args.feedback), args.feedback);
  }

  const results: EvalResults = {
    gitSha: gitSha(),
    startedAt,
    finishedAt: new Date().toISOString(),
    quick,
    botIntents,
    chineseIntents,
    clinc,
    retrieval,
    answersEmbedded,
    answersServer,
    dialogues: dialogueSummary,
    turns,
    feedback,
    ...(zhEmbedded
      ? {
          zh: {
            answersEmbedded: zhEmbedded,
            answersServer: zhServer,
            dialogues: zhDialogueSummary,
            sourceLanguages: Object.fromEntries(
              zhQuestions.flatMap((q) =>
                q.expect === 'answer' && q.source ? [[q.id, sourceLanguage(q.source)]] : [],
              ),
            ),
          },
        }
      : {}),
    notes,
  };

  const charts: { name: string; file: string; title: string; svg: string }[] = [];
  const c16 = turns?.full?.levels.find((l) => l.concurrency === 16)?.samplesMs;
  if (c16?.length) {
    // Named with its run: the histogram may come from an earlier bench:turns result (--turns-json).
    const title = `Full bot turn latency at concurrency 16 (ms, clipped at p99): ${turns!.source}, ${turns!.finishedAt}`;
    charts.push({
      name: 'latency',
      file: 'turn-latency.svg',
      title,
      svg: histogramSvg(c16, { title, xLabel: 'turn latency (ms)', bins: 40, clipPercentile: 99 }),
    });
  }
  const cm = botIntents.confusion;
  charts.push({
    name: 'confusion',
    file: 'intent-confusion.svg',
    title: 'Bot intents: confusion on the held-out split',
    svg: heatmapSvg(cm.labels, cm.matrix, { title: 'Bot intents: confusion on the held-out split' }),
  });
  const recallTitle = `SciFact recall@k (${retrieval.queries} held-out train queries)`;
  charts.push({
    name: 'recall',
    file: 'retrieval-recall.svg',
    title: recallTitle,
    svg: lineChartSvg(
      [{ name: 'embedded BM25', points: retrieval.recallCurve.map((p) => ({ x: p.k, y: p.recall })) }],
      { title: recallTitle, xLabel: 'k', yLabel: 'recall@k', logX: true, yMin: 0, yMax: 1 },
    ),
  });

  writeCharts(outDir, charts);
  const markdown = renderMarkdown(results, charts);
  writeFileSync(join(outDir, 'report.md'), markdown);
  writeFileSync(join(outDir, 'index.html'), renderHtml(markdown, charts));
  writeFileSync(join(outDir, 'eval.json'), `${JSON.stringify(results, null, 2)}\n`);
  appendHistory(join(outDir, 'history.csv'), results);
  process.stderr.write(
    `${markdown.split('## Intent model')[0]}\n[eval] wrote ${join(args['out-dir'], 'report.md')}, index.html, ${charts.length} charts, history.csv\n`,
  );
}

main().catch((error: unknown) => {
  bars.stop();
  if (error instanceof BenchUsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`[eval] failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
