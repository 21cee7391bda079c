import { readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inLanguage, loadQuestions, scoreAnswers, type EvalQuestion } from '../../bench/eval/answerEval';
import { chineseLines, loadDialogues } from '../../bench/eval/dialogues';
import { answerSentences, rougeL, tokenize } from '../../bench/eval/metrics';
import { chineseMarkdown, type EvalResults } from '../../bench/eval/report';

const root = resolve(__dirname, '..', '..');
const zhTraining = resolve(root, 'data/nlu/utterances/zh-CN');

/** Punctuation, spaces, case and order ids removed: "ORD-10421 到哪了？" and "ord-1 到哪了" compare equal. */
const norm = (t: string) =>
  t
    .toLowerCase()
    .replace(/(?:ord|tkt)-\d+/g, '')
    .replace(/[^a-z0-9\p{Script=Han}]+/gu, '');

const training = readdirSync(zhTraining)
  .filter((f) => f.endsWith('.txt'))
  .flatMap((f) =>
    readFileSync(resolve(zhTraining, f), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  );

describe('zh-CN evaluation data (data/eval, language zh-CN)', () => {
  const questions = inLanguage(loadQuestions(resolve(root, 'data/eval/questions.json')), 'zh-CN');
  const dialogues = inLanguage(loadDialogues(resolve(root, 'data/eval/dialogues.json')), 'zh-CN');

  it('has ≥ 30 Chinese questions: answerable ones with a Chinese question, a reference and an existing source; refusals of both kinds', () => {
    expect(questions.length).toBeGreaterThanOrEqual(30);
    for (const q of questions) expect(q.question).toMatch(/\p{Script=Han}/u);
    const answerable = questions.filter((q) => q.expect === 'answer');
    expect(answerable.length).toBeGreaterThanOrEqual(25);
    for (const q of questions.filter((x) => x.source))
      expect(statSync(resolve(root, 'data/knowledge', q.source!)).isFile()).toBe(true);
    expect(questions.filter((q) => q.reason === 'not_in_kb').length).toBeGreaterThanOrEqual(4);
    expect(questions.filter((q) => q.reason === 'no_access').length).toBeGreaterThanOrEqual(3);
    // Group-only facts: asked by a member (answer) and by someone outside the group (refusal).
    expect(answerable.some((q) => q.user === 'bea' && q.source!.startsWith('hr/'))).toBe(true);
    for (const q of questions.filter((x) => x.reason === 'no_access'))
      expect(answerable.some((x) => x.question === q.question && x.source === q.source)).toBe(true);
    expect(new Set(questions.map((q) => q.style ?? 'direct'))).toEqual(
      new Set(['direct', 'paraphrase', 'typo', 'vague', 'table']),
    );
  });

  it('has ≥ 10 Chinese dialogues covering the flows, judged by facts (no English reply wording)', () => {
    expect(dialogues.length).toBeGreaterThanOrEqual(10);
    const categories = new Set(dialogues.map((d) => d.category));
    for (const c of ['order_status', 'foreign_order', 'ticket_create', 'handoff', 'knowledge', 'cancel'])
      expect(categories).toContain(c);
    const turns = dialogues.flatMap((d) => d.turns);
    expect(turns.some((t) => t.click === 'ticket.confirm')).toBe(true);
    expect(turns.some((t) => typeof t.cites === 'string')).toBe(true);
    expect(turns.some((t) => t.cites === false)).toBe(true);
    for (const t of turns) {
      if (t.say) expect(t.say).toMatch(/\p{Script=Han}|^ORD-\d+$/u);
      if (typeof t.cites === 'string')
        expect(statSync(resolve(root, 'data/knowledge', t.cites)).isFile()).toBe(true);
      // An expectation is an id, a number or an alternation that also holds a Chinese word: never only English prose.
      for (const re of t.expect) expect(re).toMatch(/TKT|ORD|\\d|\d|\$\{|\p{Script=Han}|DHL/u);
    }
  });

  it('shares no sentence with the Chinese NLU training utterances (after normalising)', () => {
    expect(training.length).toBeGreaterThan(300);
    const train = new Set(training.map(norm));
    const said = [
      ...questions.map((q) => q.question),
      ...dialogues.flatMap((d) => d.turns.flatMap((t) => (t.say ? [t.say] : []))),
    ].filter((t) => norm(t).length > 0);
    expect(said.filter((t) => train.has(norm(t)))).toEqual([]);
  });
});

describe('Chinese scoring helpers', () => {
  it('tokenizes each Chinese character on its own, so ROUGE-L works on Chinese text', () => {
    expect(tokenize('PayPal退款 24 小时')).toEqual(['paypal', '退', '款', '24', '小', '时']);
    expect(rougeL('退货期 30 天', '退货期 30 天').f).toBe(1);
    expect(rougeL('运费 5.95 美元', '退货期 30 天').f).toBe(0);
  });

  it('splits Chinese answers after 。！？ keeping the [n] marker with its sentence', () => {
    expect(answerSentences('门店周日营业。 [1] 电话客服周日休息！[2]')).toEqual([
      '门店周日营业。 [1]',
      '电话客服周日休息！[2]',
    ]);
    expect(answerSentences('Refunds take 5 days. [1] Next one.')).toEqual([
      'Refunds take 5 days. [1]',
      'Next one.',
    ]);
  });

  it('counts Chinese reply lines, leaving out lines that repeat what the user typed', () => {
    expect(
      chineseLines('Review your ticket\n键盘坏了\n已为您创建工单\nTKT-000001', ['帮我开工单：键盘坏了']),
    ).toEqual({
      lines: 3,
      chinese: 1,
    });
  });
});

describe('zh-CN report section', () => {
  it('reports accuracy by source language, refusals and the reply-in-Chinese share apart from English', () => {
    const qs: EvalQuestion[] = [
      {
        id: 'z1',
        language: 'zh-CN',
        user: 'alex',
        question: '运费多少',
        expect: 'answer',
        source: 'cs/s.zh-CN.md',
        reference: '运费 5.95 美元',
      },
      {
        id: 'z2',
        language: 'zh-CN',
        user: 'alex',
        question: '保修多久',
        expect: 'answer',
        source: 'cs/w.pdf',
        reference: 'A 2-year warranty.',
      },
      {
        id: 'z3',
        language: 'zh-CN',
        user: 'alex',
        question: '卖狗粮吗',
        expect: 'refusal',
        reason: 'not_in_kb',
      },
    ];
    const server = scoreAnswers(
      'server',
      qs,
      [
        {
          refused: false,
          text: '运费 5.95 美元。 [1]',
          citations: [{ index: 1, source: 'cs/s.zh-CN.md', text: '运费 5.95 美元。' }],
        },
        { refused: true, text: "I couldn't find that.", citations: [] },
        { refused: true, text: "I couldn't find that.", citations: [] },
      ],
      [],
    );
    const md = chineseMarkdown({
      zh: { answersEmbedded: server, answersServer: server, sourceLanguages: { z1: 'zh-CN', z2: 'en' } },
    } as unknown as EvalResults).join('\n');
    expect(md).toContain('## Chinese (zh-CN)');
    // answer accuracy 1/2; from Chinese documents 1/1, English-only 0/1; reply in Chinese 1 of 3 (server row)
    expect(md).toMatch(
      /\| server \| 3 \| 50\.0 % \| 50\.0 % \(1\/2\) \| 100\.0 % \(1\/1\) \| 0\.0 % \(0\/1\) \|/,
    );
    expect(md).toMatch(/\| 33\.3 % \(1\/3\) \|$/m);
    expect(md).toContain('zh-CN dialogues not run');
    expect(chineseMarkdown({} as EvalResults)).toEqual([]);
  });
});
