import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNluDataset } from '../../src/nlu';
import {
  loadQuestions,
  QUESTION_STYLES,
  scoreAnswers,
  type AnswerOutcome,
  type EvalQuestion,
} from '../../bench/eval/answerEval';
import {
  findCardAction,
  loadDialogues,
  substitute,
  summarizeDialogues,
  visibleText,
} from '../../bench/eval/dialogues';
import { parseCitedReply } from '../../bench/eval/serverSession';

const root = resolve(__dirname, '..', '..');

describe('project evaluation data', () => {
  it('questions.json has ≥ 40 questions incl. ≥ 6 not-in-KB and ≥ 6 no-access refusals, sources that exist', () => {
    const qs = loadQuestions(resolve(root, 'data/eval/questions.json'));
    expect(qs.length).toBeGreaterThanOrEqual(40);
    expect(qs.filter((q) => q.reason === 'not_in_kb').length).toBeGreaterThanOrEqual(6);
    expect(qs.filter((q) => q.reason === 'no_access').length).toBeGreaterThanOrEqual(6);
    for (const q of qs.filter((x) => x.source))
      expect(() => statSync(resolve(root, 'data/knowledge', q.source!))).not.toThrow();
  });

  it('questions.json has ≥ 120 questions with unique ids and every style, apart from the NLU training data', () => {
    const qs = loadQuestions(resolve(root, 'data/eval/questions.json'));
    expect(qs.length).toBeGreaterThanOrEqual(120);
    expect(new Set(qs.map((q) => q.id)).size).toBe(qs.length);
    const styles = new Set(qs.map((q) => q.style ?? 'direct'));
    for (const style of QUESTION_STYLES) expect(styles).toContain(style);
    // Paraphrases are measured on answerable and refusal questions alike.
    const paraphrased = qs.filter((q) => q.style === 'paraphrase');
    expect(paraphrased.filter((q) => q.expect === 'answer').length).toBeGreaterThanOrEqual(20);
    expect(paraphrased.some((q) => q.reason === 'no_access')).toBe(true);
    expect(paraphrased.some((q) => q.reason === 'not_in_kb')).toBe(true);
    // A group-only fact asked by someone outside the group is also asked by someone inside it.
    for (const q of qs.filter((x) => x.reason === 'no_access'))
      expect(
        qs.some((x) => x.expect === 'answer' && x.question === q.question && x.source === q.source),
      ).toBe(true);
    for (const q of qs.filter((x) => x.source))
      expect(() => statSync(resolve(root, 'data/knowledge', q.source!))).not.toThrow();
    const norm = (t: string) =>
      t
        .toLowerCase()
        .replace(/[^a-z0-9\p{Script=Han}]+/gu, ' ')
        .trim();
    // Every language's utterances (data/nlu/utterances and its zh-CN folder), as the bot loads them.
    const training = new Set(loadNluDataset(resolve(root, 'data/nlu')).examples.map((e) => norm(e.text)));
    expect(training.size).toBeGreaterThan(100);
    expect(qs.filter((q) => training.has(norm(q.question))).map((q) => q.id)).toEqual([]);
  });

  it('dialogues.json has ≥ 30 valid dialogues covering the required flows', () => {
    const ds = loadDialogues(resolve(root, 'data/eval/dialogues.json'));
    expect(ds.length).toBeGreaterThanOrEqual(30);
    const categories = new Set(ds.map((d) => d.category));
    for (const c of [
      'order_status',
      'foreign_order',
      'ticket_create',
      'ticket_status',
      'digression',
      'correction',
      'cancel',
      'help',
      'reset',
    ]) {
      expect(categories).toContain(c);
    }
    expect(ds.some((d) => d.turns.some((t) => t.click === 'ticket.confirm'))).toBe(true);
    expect(ds.some((d) => d.turns.some((t) => t.click === 'ticket.cancel'))).toBe(true);
  });

  it('has ≥ 5 return dialogues judged by the stored orders and return requests, apart from the NLU data', () => {
    const returns = loadDialogues(resolve(root, 'data/eval/dialogues.json')).filter(
      (d) => d.category === 'return',
    );
    expect(returns.length).toBeGreaterThanOrEqual(5);
    expect(returns.every((d) => d.final.returns && d.final.orders && d.setup)).toBe(true);
    expect(returns.some((d) => d.turns.some((t) => t.click === 'order.returnConfirm'))).toBe(true);
    expect(returns.some((d) => d.final.returns!.requested === 0)).toBe(true);
    const norm = (t: string) =>
      t
        .toLowerCase()
        .replace(/ord-\d+/g, 'ord')
        .replace(/[^a-z0-9]+/g, ' ')
        .trim();
    const training = new Set(
      readFileSync(resolve(root, 'data/nlu/utterances/start_return.txt'), 'utf8')
        .split('\n')
        .filter((l) => l.trim() && !l.startsWith('#'))
        .map(norm),
    );
    const said = returns.flatMap((d) => d.turns.flatMap((t) => (t.say ? [norm(t.say)] : [])));
    expect(said.filter((t) => training.has(t))).toEqual([]);
  });
});

describe('dialogue helpers', () => {
  const card = {
    contentType: 'application/vnd.microsoft.card.adaptive',
    content: {
      type: 'AdaptiveCard',
      body: [
        { type: 'TextBlock', text: 'Review your ticket' },
        { type: 'FactSet', facts: [{ title: 'Priority', value: 'normal' }] },
      ],
      actions: [
        {
          type: 'Action.Execute',
          title: 'Confirm',
          verb: 'ticket.confirm',
          data: { draftId: 'd1', sig: 'secret-looking' },
        },
        { type: 'Action.Execute', title: 'Cancel', verb: 'ticket.cancel', data: { draftId: 'd1', sig: 's' } },
      ],
    },
  };

  it('visibleText takes message text and card text, titles and values but not action data', () => {
    const text = visibleText({ text: 'Here you go', attachments: [card] });
    expect(text).toContain('Here you go');
    expect(text).toContain('Review your ticket');
    expect(text).toContain('Priority');
    expect(text).toContain('normal');
    expect(text).not.toContain('secret-looking');
  });

  it('findCardAction returns the newest card button data for a verb', () => {
    const newer = JSON.parse(JSON.stringify(card));
    newer.content.actions[0].data.draftId = 'd2';
    expect(findCardAction([{ attachments: [card] }, { attachments: [newer] }], 'ticket.confirm')).toEqual({
      draftId: 'd2',
      sig: 'secret-looking',
    });
    expect(findCardAction([{ text: 'no card' }], 'ticket.confirm')).toBeUndefined();
  });

  it('substitute fills captured variables and leaves unknown ones', () => {
    expect(substitute('status of ${ticketId} and ${x}', new Map([['ticketId', 'TKT-000001']]))).toBe(
      'status of TKT-000001 and ${x}',
    );
  });

  it('summarizeDialogues computes task success per category', () => {
    const s = summarizeDialogues([
      { id: 'a', category: 'c1', success: true, failures: [], turns: [], tickets: [] },
      { id: 'b', category: 'c1', success: false, failures: ['x'], turns: [], tickets: [] },
      { id: 'c', category: 'c2', success: true, failures: [], turns: [], tickets: [] },
    ]);
    expect(s.taskSuccess).toBeCloseTo(2 / 3, 10);
    expect(s.byCategory).toEqual({ c1: { total: 2, success: 1 }, c2: { total: 1, success: 1 } });
  });
});

describe('answer scoring', () => {
  it('parses Teams citations (Claim entities) from a reply, preferring the URL and dropping the page suffix', () => {
    const out = parseCitedReply([
      {
        type: 'message',
        text: 'Refunds take 5 to 10 days. [1] Leave is 25 days. [2]',
        entities: [
          {
            type: 'https://schema.org/Message',
            citation: [
              {
                position: 1,
                appearance: {
                  name: 'Returns',
                  url: 'https://x.example/returns',
                  abstract: 'Refunds take 5 to 10 days.',
                },
              },
              {
                position: 2,
                appearance: { name: 'Employee handbook (p. 2)', abstract: 'Leave is 25 days.' },
              },
            ],
          },
        ],
      },
    ]);
    expect(out.refused).toBe(false);
    expect(out.citations).toEqual([
      { index: 1, source: 'https://x.example/returns', text: 'Refunds take 5 to 10 days.' },
      { index: 2, source: 'Employee handbook', text: 'Leave is 25 days.' },
    ]);
    expect(
      parseCitedReply([
        {
          type: 'message',
          text: "I couldn't find that.",
          entities: [{ type: 'https://schema.org/Message' }],
        },
      ]).refused,
    ).toBe(true);
  });

  it('scores citation correctness, faithfulness, ROUGE-L, refusals and access leaks', () => {
    const qs: EvalQuestion[] = [
      {
        id: 'a',
        user: 'alex',
        question: 'q?',
        expect: 'answer',
        source: 'cs/returns.md',
        reference: 'Refunds take 5 to 10 days.',
      },
      {
        id: 'b',
        user: 'alex',
        question: 'q?',
        expect: 'answer',
        source: 'cs/shipping.md',
        reference: 'Express costs 14.95 USD.',
      },
      { id: 'c', user: 'alex', question: 'q?', expect: 'refusal', reason: 'not_in_kb' },
      {
        id: 'd',
        user: 'alex',
        question: 'q?',
        expect: 'refusal',
        reason: 'no_access',
        source: 'hr/handbook.pdf',
      },
    ];
    const outcomes: AnswerOutcome[] = [
      {
        refused: false,
        text: 'Refunds take 5 to 10 days. [1]',
        citations: [
          { index: 1, source: 'data/knowledge/cs/returns.md', text: 'Card refunds take 5 to 10 days.' },
        ],
      },
      { refused: true, text: '', citations: [] },
      { refused: true, text: '', citations: [] },
      {
        refused: false,
        text: 'Leave is 25 days. [1]',
        citations: [{ index: 1, source: 'Employee handbook', text: 'Leave is 25 days.' }],
      },
    ];
    const r = scoreAnswers('embedded', qs, outcomes, [
      { source: 'hr/handbook.pdf', title: 'Employee handbook' },
    ]);
    expect(r.citationCorrectness).toBe(0.5);
    expect(r.faithfulness).toBe(1);
    expect(r.rougeLF).toBeCloseTo(0.5, 10); // 1 for the exact answer, 0 for the refusal
    expect(r.refusalAccuracy).toBe(0.5); // b refused wrongly, d answered wrongly
    expect(r.refusalRecall).toEqual({ not_in_kb: 1, no_access: 0 });
    expect(r.accessLeaks).toBe(1);
    expect(r.byStyle).toEqual({
      direct: { questions: 4, answerable: 2, accuracy: 0.5, citationCorrectness: 0.5, refusalAccuracy: 0.5 },
    });
  });

  it('breaks accuracy and citation correctness down by question style', () => {
    const q = (id: string, style: EvalQuestion['style'], expect: 'answer' | 'refusal'): EvalQuestion =>
      expect === 'answer'
        ? {
            id,
            user: 'alex',
            question: 'q?',
            expect,
            style,
            source: 'cs/returns.md',
            reference: 'Card refunds take 5 to 10 business days.',
          }
        : { id, user: 'alex', question: 'q?', expect, reason: 'not_in_kb', style };
    const cited = (text: string, source = 'cs/returns.md'): AnswerOutcome => ({
      refused: false,
      text: `${text} [1]`,
      citations: [{ index: 1, source, text }],
    });
    const refused: AnswerOutcome = { refused: true, text: '', citations: [] };
    const r = scoreAnswers(
      'embedded',
      [
        q('p1', 'paraphrase', 'answer'),
        q('p2', 'paraphrase', 'answer'),
        q('p3', 'paraphrase', 'answer'),
        q('p4', 'paraphrase', 'refusal'),
        q('t1', 'typo', 'answer'),
        q('v1', 'vague', 'refusal'),
      ],
      [
        cited('Card refunds take 5 to 10 business days.'),
        // right source but the answer misses the reference: cited correctly, not accurate
        cited('Returns are free in the mainland United States.'),
        cited('Card refunds take 5 to 10 business days.', 'cs/shipping.md'),
        refused,
        refused,
        cited('Something.'),
      ],
      [],
    );
    expect(r.byStyle.paraphrase).toEqual({
      questions: 4,
      answerable: 3,
      accuracy: 0.5,
      citationCorrectness: 2 / 3,
      refusalAccuracy: 1,
    });
    expect(r.byStyle.typo).toEqual({
      questions: 1,
      answerable: 1,
      accuracy: 0,
      citationCorrectness: 0,
      refusalAccuracy: 0,
    });
    expect(r.byStyle.vague).toMatchObject({ questions: 1, answerable: 0, accuracy: 0, refusalAccuracy: 0 });
    expect(Number.isNaN(r.byStyle.vague!.citationCorrectness)).toBe(true);
    expect(r.byStyle.direct).toBeUndefined();
    expect(r.perQuestion.map((p) => p.accurate)).toEqual([true, false, false, true, false, false]);
  });
});
