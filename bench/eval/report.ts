import { marked, Renderer } from 'marked';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IntentBenchmarkResult } from '../lib/intentBenchmark';
import type { TurnsBenchmarkResult } from '../lib/turnsBenchmark';
import type { AnswerQualityResult } from './answerEval';
import { chineseLines, type DialogueSummary } from './dialogues';
import { feedbackMarkdown, type FeedbackSummary } from './feedbackEval';
import type { BotIntentResult, ChineseIntentResult } from './intentEval';
import type { RetrievalEvalResult } from './retrievalEval';
import { xmlEscape } from './svg';

export interface EvalResults {
  gitSha: string;
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  botIntents: BotIntentResult;
  /** The separate Chinese model on the held-out split of data/nlu/utterances/zh-CN. */
  chineseIntents?: ChineseIntentResult;
  clinc?: IntentBenchmarkResult;
  retrieval: RetrievalEvalResult;
  answersEmbedded: AnswerQualityResult;
  answersServer?: AnswerQualityResult;
  dialogues?: DialogueSummary;
  turns?: TurnsBenchmarkResult & { source: string };
  /** Users' reactions read from a transcript store (--feedback); undefined when not read. */
  feedback?: FeedbackSummary;
  /**
   * The questions and dialogues written in Chinese (language zh-CN), scored apart: the English
   * numbers above are those of the English items alone.
   */
  zh?: {
    answersEmbedded: AnswerQualityResult;
    answersServer?: AnswerQualityResult;
    dialogues?: DialogueSummary;
    /** Answerable question id → the language of its expected document (a Chinese question about an English-only one). */
    sourceLanguages: Record<string, string>;
  };
  notes: string[];
}

export interface Headline {
  name: string;
  key: string;
  value: number | undefined;
  format: 'pct' | 'num' | 'ratio';
}

const pct = (x: number | undefined) =>
  x === undefined || Number.isNaN(x) ? '–' : `${(x * 100).toFixed(1)} %`;
const num = (x: number | undefined, d = 3) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(d));
const show = (h: Headline) =>
  h.format === 'pct' ? pct(h.value) : h.format === 'ratio' ? num(h.value, 2) : num(h.value);

export function headlines(r: EvalResults): Headline[] {
  const answers = r.answersServer ?? r.answersEmbedded;
  return [
    {
      name: 'Bot intents: accuracy (held-out)',
      key: 'bot_intent_accuracy',
      value: r.botIntents.accuracy,
      format: 'pct',
    },
    {
      name: 'Bot intents: macro-F1 (held-out)',
      key: 'bot_intent_macro_f1',
      value: r.botIntents.macroF1,
      format: 'num',
    },
    {
      name: 'CLINC150 val: in-scope accuracy',
      key: 'clinc_accuracy',
      value: r.clinc?.inScopeAccuracy,
      format: 'pct',
    },
    {
      name: 'CLINC150 val: macro-F1 (151 labels)',
      key: 'clinc_macro_f1',
      value: r.clinc?.macroF1,
      format: 'num',
    },
    { name: 'SciFact: nDCG@10', key: 'scifact_ndcg10', value: r.retrieval.ndcgAt10, format: 'num' },
    { name: 'SciFact: recall@100', key: 'scifact_recall100', value: r.retrieval.recallAt100, format: 'num' },
    {
      name: `Answers (${answers.path}): citation correctness`,
      key: 'citation_correctness',
      value: answers.citationCorrectness,
      format: 'pct',
    },
    {
      name: `Answers (${answers.path}): faithfulness`,
      key: 'faithfulness',
      value: answers.faithfulness,
      format: 'pct',
    },
    { name: `Answers (${answers.path}): ROUGE-L F`, key: 'rouge_l_f', value: answers.rougeLF, format: 'num' },
    {
      name: `Answers (${answers.path}): refusal accuracy`,
      key: 'refusal_accuracy',
      value: answers.refusalAccuracy,
      format: 'pct',
    },
    {
      name: 'Dialogues: task success',
      key: 'dialogue_success',
      value: r.dialogues?.taskSuccess,
      format: 'pct',
    },
    {
      name: 'Turns c16: full p95 / floor p95 (target ≤ 2)',
      key: 'turns_p95_ratio_c16',
      value: r.turns?.ratios.p95AtC16,
      format: 'ratio',
    },
    {
      name: 'Turns c16: full / floor throughput (target ≥ 0.5)',
      key: 'turns_throughput_ratio_c16',
      value: r.turns?.ratios.throughputAtC16,
      format: 'ratio',
    },
  ];
}

/** Appends one row per run; writes the header when the file is new. Missing metrics are empty cells. */
export function appendHistory(path: string, r: EvalResults): void {
  const hs = headlines(r);
  if (!existsSync(path))
    writeFileSync(path, `${['timestamp', 'git_sha', 'quick', ...hs.map((h) => h.key)].join(',')}\n`);
  const cells = hs.map((h) =>
    h.value === undefined || Number.isNaN(h.value) ? '' : String(Math.round(h.value * 10000) / 10000),
  );
  appendFileSync(path, `${[r.finishedAt, r.gitSha, String(r.quick), ...cells].join(',')}\n`);
}

function table(header: string[], rows: (string | number)[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

export function renderMarkdown(
  r: EvalResults,
  charts: { name: string; file: string; title: string }[],
): string {
  const out: string[] = [];
  out.push('# Evaluation report', '');
  out.push(
    `Run ${r.finishedAt} at \`${r.gitSha}\`${r.quick ? ' (quick: CLINC150 skipped)' : ''}. Regenerate with \`npm run eval\`; see docs/measurement.md.`,
    '',
  );
  out.push(
    '## Headline',
    '',
    table(
      ['metric', 'value'],
      headlines(r).map((h) => [h.name, show(h)]),
    ),
    '',
  );
  if (r.notes.length) out.push('Notes:', '', ...r.notes.map((n) => `- ${n}`), '');

  out.push('## Intent model', '');
  out.push(
    `Bot dataset ${r.botIntents.datasetVersion}: trained on ${r.botIntents.train}, scored on the held-out ${r.botIntents.test} (every 5th utterance per intent).`,
    '',
  );
  if (r.botIntents.errors.length) {
    out.push(
      table(
        ['held-out utterance', 'gold', 'predicted', 'confidence'],
        r.botIntents.errors
          .slice(0, 15)
          .map((e) => [e.text.replace(/\|/g, '\\|'), e.gold, e.predicted, e.confidence]),
      ),
      '',
    );
  }
  if (r.chineseIntents) {
    const z = r.chineseIntents;
    out.push(
      `Chinese model (zh-CN data ${z.datasetVersion}): trained on ${z.train}, scored on the held-out ${z.test} (hash of the text): accuracy ${(z.accuracy * 100).toFixed(1)} %, macro-F1 ${z.macroF1.toFixed(3)}, OOS recall ${(z.oosRecall * 100).toFixed(0)} % of ${z.oosTest}.`,
      '',
    );
  }
  if (r.clinc) {
    const c = r.clinc;
    out.push(
      `CLINC150 val (${c.sizes.test} in-scope + ${c.sizes.oosTest} OOS): in-scope accuracy ${pct(c.inScopeAccuracy)}, OOS recall ${pct(c.oosRecall)}, OOS precision ${pct(c.oosPrecision)}, macro-F1 ${num(c.macroF1)}, train ${c.trainSeconds.toFixed(1)} s, classify p95 ${c.classifyP95Ms.toFixed(3)} ms.`,
      '',
    );
  }

  out.push('## Retrieval (SciFact)', '');
  out.push(
    `${r.retrieval.queries} ${r.retrieval.split} train queries over ${r.retrieval.documents} abstracts: nDCG@10 ${num(r.retrieval.ndcgAt10)}, recall@100 ${num(r.retrieval.recallAt100)}.`,
    '',
  );
  out.push(
    table(
      ['k', ...r.retrieval.recallCurve.map((p) => String(p.k))],
      [['recall@k', ...r.retrieval.recallCurve.map((p) => num(p.recall))]],
    ),
    '',
  );

  out.push('## Answer quality (data/eval/questions.json)', '');
  const answerRows = [r.answersEmbedded, r.answersServer].filter((a): a is AnswerQualityResult => !!a);
  out.push(
    table(
      [
        'path',
        'questions',
        'answered (answerable)',
        'citation correct',
        'citation precision',
        'faithfulness',
        'ROUGE-L F',
        'refusal acc.',
        'refusal recall not-in-KB',
        'refusal recall no-access',
        'access leaks',
      ],
      answerRows.map((a) => [
        a.path,
        a.questions,
        pct(a.answeredRate),
        pct(a.citationCorrectness),
        pct(a.citationPrecision),
        pct(a.faithfulness),
        num(a.rougeLF),
        pct(a.refusalAccuracy),
        pct(a.refusalRecall.not_in_kb),
        pct(a.refusalRecall.no_access),
        a.accessLeaks,
      ]),
    ),
    '',
  );
  for (const a of answerRows) {
    const styles = Object.entries(a.byStyle ?? {});
    if (!styles.length) continue;
    out.push(
      `By question style (${a.path} path; accuracy: answered from the expected source holding at least half of the reference, or refused when a refusal is expected):`,
      '',
      table(
        ['style', 'questions', 'answerable', 'accuracy', 'citation correct', 'refusal acc.'],
        styles.map(([st, b]) => {
          return [
            st,
            b.questions,
            b.answerable,
            pct(b.accuracy),
            pct(b.citationCorrectness),
            pct(b.refusalAccuracy),
          ];
        }),
      ),
      '',
    );
  }
  const answers = r.answersServer ?? r.answersEmbedded;
  const misses = answers.perQuestion.filter((q) =>
    q.expect === 'answer' ? !q.citationOk || (q.faithfulness ?? 1) < 1 : !q.refused,
  );
  if (misses.length) {
    out.push(`Misses (${answers.path} path):`, '');
    out.push(
      table(
        ['id', 'expected', 'refused', 'cited', 'answer'],
        misses
          .slice(0, 20)
          .map((q) => [
            q.id,
            q.expect,
            String(q.refused),
            q.citedSources.join(', ') || '–',
            q.text.slice(0, 120).replace(/\|/g, '\\|').replace(/\n/g, ' '),
          ]),
      ),
      '',
    );
  }

  out.push('## Dialogues (data/eval/dialogues.json)', '');
  if (r.dialogues) {
    out.push(
      `Task success ${pct(r.dialogues.taskSuccess)} of ${r.dialogues.dialogues} dialogues (all turn checks and the final tickets-container state must hold).`,
      '',
    );
    out.push(
      table(
        ['category', 'success', 'total'],
        Object.entries(r.dialogues.byCategory).map(([c, v]) => [c, v.success, v.total]),
      ),
      '',
    );
    const failed = r.dialogues.results.filter((d) => !d.success);
    if (failed.length)
      out.push(
        'Failed dialogues (first reason):',
        '',
        table(
          ['dialogue', 'reason'],
          failed.map((d) => [d.id, (d.failures[0] ?? '').replace(/\|/g, '\\|')]),
        ),
        '',
      );
  } else out.push('Not run (--skip-server).', '');

  out.push(...chineseMarkdown(r));

  out.push(...feedbackMarkdown(r.feedback));

  out.push('## Turn latency (bench:turns)', '');
  if (r.turns) {
    const rows: (string | number)[][] = [];
    for (const t of [r.turns.floor, r.turns.full]) {
      for (const l of t?.levels ?? [])
        rows.push([
          t!.name,
          l.concurrency,
          l.ok,
          l.errors,
          l.latencyMs.p50,
          l.latencyMs.p95,
          l.latencyMs.p99,
          l.throughputPerSec,
          t!.peakRssMiB,
        ]);
    }
    out.push(`From ${r.turns.source} (${r.turns.finishedAt}).`, '');
    out.push(
      table(
        ['server', 'concurrency', 'ok', 'errors', 'p50 ms', 'p95 ms', 'p99 ms', 'turns/s', 'peak RSS MiB'],
        rows,
      ),
      '',
    );
    out.push(
      `Ratios at c16: p95 ${num(r.turns.ratios.p95AtC16, 2)} (target ≤ 2), throughput ${num(r.turns.ratios.throughputAtC16, 2)} (target ≥ 0.5).`,
      '',
    );
  } else out.push('No turns result.', '');

  out.push('## Charts', '', ...charts.map((c) => `![${c.title}](${c.file})`), '');
  return `${out.join('\n')}\n`;
}

const share = (hits: number, total: number) => (total ? `${pct(hits / total)} (${hits}/${total})` : '–');

/**
 * Answer accuracy of one answer run (see AnswerQualityResult.byStyle) over the answerable questions whose
 * expected source is in `language` (all when undefined).
 */
function answerAccuracy(a: AnswerQualityResult, languages: Record<string, string>, language?: string) {
  const rows = a.perQuestion.filter(
    (q) => q.expect === 'answer' && (!language || languages[q.id] === language),
  );
  return { hits: rows.filter((q) => q.accurate).length, total: rows.length };
}

/** The zh-CN section: Chinese questions and dialogues, scored apart from the English ones. */
export function chineseMarkdown(r: EvalResults): string[] {
  const z = r.zh;
  if (!z) return [];
  const out: string[] = ['## Chinese (zh-CN): questions and dialogues with `language: zh-CN`', ''];
  out.push(
    'Scored apart from the English items (the numbers above are English only). Answer accuracy: answered, first citation names the expected document and the answer holds at least half of the reference (ROUGE-L recall on characters for Chinese). "Reply in Chinese" counts replies (lines not repeating the user\'s words) that hold Chinese characters: a measurement of the reply language, not a pass condition.',
    '',
  );
  const runs = [z.answersEmbedded, z.answersServer].filter((a): a is AnswerQualityResult => !!a);
  out.push(
    table(
      [
        'path',
        'questions',
        'citation correct',
        'answer accuracy',
        'accuracy, source in Chinese',
        'accuracy, source English only',
        'ROUGE-L F',
        'faithfulness',
        'refusal acc.',
        'refusal recall not-in-KB',
        'refusal recall no-access',
        'access leaks',
        'reply in Chinese',
      ],
      runs.map((a) => {
        const all = answerAccuracy(a, z.sourceLanguages);
        const zh = answerAccuracy(a, z.sourceLanguages, 'zh-CN');
        const en = answerAccuracy(a, z.sourceLanguages, 'en');
        const chinese = a.perQuestion.filter((q) => chineseLines(q.text, []).chinese > 0).length;
        return [
          a.path,
          a.questions,
          pct(a.citationCorrectness),
          share(all.hits, all.total),
          share(zh.hits, zh.total),
          share(en.hits, en.total),
          num(a.rougeLF),
          pct(a.faithfulness),
          pct(a.refusalAccuracy),
          pct(a.refusalRecall.not_in_kb),
          pct(a.refusalRecall.no_access),
          a.accessLeaks,
          a.path === 'server' ? share(chinese, a.questions) : '–',
        ];
      }),
    ),
    '',
  );
  const answers = z.answersServer ?? z.answersEmbedded;
  const styles = Object.entries(answers.byStyle ?? {});
  if (styles.length)
    out.push(
      `By question style (${answers.path} path):`,
      '',
      table(
        ['style', 'questions', 'answerable', 'accuracy', 'citation correct', 'refusal acc.'],
        styles.map(([st, b]) => [
          st,
          b.questions,
          b.answerable,
          pct(b.accuracy),
          pct(b.citationCorrectness),
          pct(b.refusalAccuracy),
        ]),
      ),
      '',
    );
  const misses = answers.perQuestion.filter((q) => !q.accurate);
  if (misses.length)
    out.push(
      `Misses (${answers.path} path):`,
      '',
      table(
        ['id', 'expected', 'refused', 'cited', 'answer'],
        misses.map((q) => [
          q.id,
          q.expect,
          String(q.refused),
          q.citedSources.join(', ') || '–',
          q.text.slice(0, 100).replace(/\|/g, '\\|').replace(/\n/g, ' '),
        ]),
      ),
      '',
    );
  if (z.dialogues) {
    const d = z.dialogues;
    out.push(
      `Dialogues: pass rate ${pct(d.taskSuccess)} of ${d.dialogues} (facts only: ids, status values, stored ticket fields, cited document, nothing leaked; never the reply wording). Bot reply lines in Chinese: ${share(d.replyLines.chineseLines, d.replyLines.lines)}; turns whose reply holds Chinese: ${share(d.replyLines.chineseTurns, d.replyLines.turns)}.`,
      '',
      table(
        ['category', 'success', 'total'],
        Object.entries(d.byCategory).map(([c, v]) => [c, v.success, v.total]),
      ),
      '',
    );
    const failed = d.results.filter((x) => !x.success);
    if (failed.length)
      out.push(
        'Failed zh-CN dialogues (first reason):',
        '',
        table(
          ['dialogue', 'reason'],
          failed.map((x) => [x.id, (x.failures[0] ?? '').replace(/\|/g, '\\|')]),
        ),
        '',
      );
  } else out.push('zh-CN dialogues not run (--server false).', '');
  return out;
}

/**
 * One self-contained HTML page: the report's Markdown rendered as HTML (marked; headline table
 * first, as in report.md), with each chart image replaced by its SVG inline, so the page needs
 * no other file.
 */
export function renderHtml(markdown: string, charts: { title: string; file: string; svg: string }[]): string {
  const byFile = new Map(charts.map((c) => [c.file, c]));
  const renderer = new Renderer();
  renderer.image = ({ href, text }) => {
    const chart = byFile.get(href);
    return chart
      ? `<figure>${chart.svg}<figcaption>${xmlEscape(chart.title)}</figcaption></figure>`
      : `<img src="${xmlEscape(href)}" alt="${xmlEscape(text)}">`;
  };
  // Questions and replies quoted in the report are data: raw HTML in them is shown, not run.
  renderer.html = ({ text }) => xmlEscape(text);
  const body = marked.parse(markdown, { renderer, async: false });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Evaluation report</title>
<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.45}table{border-collapse:collapse;margin:1em 0;font-size:14px}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#f3f3f3}code{background:#f6f6f6;padding:0 3px}figure{margin:1.5em 0}</style>
</head><body>
${body}
</body></html>
`;
}

export function writeCharts(dir: string, charts: { file: string; svg: string }[]): void {
  for (const c of charts) writeFileSync(join(dir, c.file), c.svg);
}
