import { describe, expect, it, vi } from 'vitest';
import { countTokens } from '../../src/text/tokens';
import {
  appendTurn,
  type ConversationMemory,
  emptyMemory,
  type MemoryTurn,
  normalizeMemory,
  renderMemory,
  SUMMARY_PREFIX,
  type Summarizer,
} from '../../src/memory';

const at = (i: number) => new Date(Date.UTC(2025, 0, 1, 10, 0, i)).toISOString();
const user = (i: number, text = `user message number ${i}`): MemoryTurn => ({
  role: 'user',
  text,
  at: at(i),
});
const bot = (i: number, text = `assistant answer number ${i}`): MemoryTurn => ({
  role: 'assistant',
  text,
  at: at(i),
});

/** Per-message folding (summarizeEvery 1) unless the test says otherwise. */
const EACH = { summarizeEvery: 1 };

async function fill(n: number, options = {}, summarizer?: Summarizer): Promise<ConversationMemory> {
  let m = emptyMemory();
  for (let i = 0; i < n; i++)
    m = await appendTurn(m, i % 2 ? bot(i) : user(i), { ...EACH, ...options }, summarizer);
  return m;
}

describe('appendTurn: sliding window', () => {
  it('keeps the last 10 messages (default window) and counts what was summarized', async () => {
    const m = await fill(14);
    expect(m.turns).toHaveLength(10);
    expect(m.turns[0].text).toBe('user message number 4');
    expect(m.turns[9].text).toBe('assistant answer number 13');
    expect(m.summarizedTurns).toBe(4);
  });

  it('honours a configured window and does not mutate its input', async () => {
    const before = await fill(3, { windowTurns: 3 });
    const snapshot = structuredClone(before);
    const after = await appendTurn(before, user(3), { ...EACH, windowTurns: 3 });
    expect(before).toEqual(snapshot);
    expect(after.turns.map((t) => t.text)).toEqual([
      'assistant answer number 1',
      'user message number 2',
      'user message number 3',
    ]);
  });

  it('does not summarize while the window has room', async () => {
    const summarize = vi.fn<Summarizer>(async () => 'never');
    const m = await fill(10, {}, summarize);
    expect(summarize).not.toHaveBeenCalled();
    expect(m.summary).toBe('');
  });

  it('rejects invalid turns and options with clear errors', async () => {
    await expect(
      appendTurn(emptyMemory(), { role: 'system' as never, text: 'x', at: at(0) }),
    ).rejects.toThrow(/role/);
    await expect(appendTurn(emptyMemory(), { role: 'user', text: 'x', at: 'soon' })).rejects.toThrow(
      /at must be/,
    );
    await expect(appendTurn(emptyMemory(), user(0), { windowTurns: 0 })).rejects.toThrow(/windowTurns/);
    await expect(appendTurn(emptyMemory(), user(0), { summarizeEvery: 0 })).rejects.toThrow(/summarizeEvery/);
  });

  it('by default folds in batches: one summarizer call per 6 messages beyond the window', async () => {
    const calls: string[][] = [];
    const summarize: Summarizer = async (prev, dropped) => {
      calls.push(dropped.map((d) => d.text.split(' ').pop()!));
      return `${prev}[${calls.length}]`;
    };
    let m = emptyMemory();
    for (let i = 0; i < 27; i++) m = await appendTurn(m, i % 2 ? bot(i) : user(i), {}, summarize);
    // 16th message: 6 beyond the window of 10 → fold 0..5; 22nd → fold 6..11; then 5 pile up again.
    expect(calls).toEqual([
      ['0', '1', '2', '3', '4', '5'],
      ['6', '7', '8', '9', '10', '11'],
    ]);
    expect(m.summarizedTurns).toBe(12);
    expect(m.turns.map((t) => t.text.split(' ').pop())).toEqual(
      Array.from({ length: 15 }, (_, i) => String(i + 12)),
    );
    expect(m.summary).toBe('[1][2]');
  });
});

describe('appendTurn: running summary', () => {
  it('passes the previous summary and exactly the dropped messages to the injected summarizer', async () => {
    const calls: [string, string[]][] = [];
    const summarize: Summarizer = async (prev, dropped) => {
      calls.push([prev, dropped.map((d) => d.text)]);
      return `${prev}[${dropped.map((d) => d.text.split(' ').pop()).join(',')}]`;
    };
    const m = await fill(5, { windowTurns: 3 }, summarize);
    expect(calls).toEqual([
      ['', ['user message number 0']],
      ['[0]', ['assistant answer number 1']],
    ]);
    expect(m.summary).toBe('[0][1]');
  });

  it('falls back to the extractive summary when the LLM summarizer fails, losing nothing', async () => {
    const failing: Summarizer = async () => {
      throw new Error('model unavailable');
    };
    let m = emptyMemory();
    m = await appendTurn(
      m,
      user(0, 'My order ORD-7781 arrived damaged and I want a refund.'),
      { ...EACH, windowTurns: 1 },
      failing,
    );
    m = await appendTurn(m, bot(1, 'Sorry to hear that.'), { ...EACH, windowTurns: 1 }, failing);
    expect(m.summary).toContain('ORD-7781');
    expect(m.turns).toEqual([bot(1, 'Sorry to hear that.')]);
  });

  it('caps the stored summary at summaryMaxTokens even if the summarizer rambles', async () => {
    const verbose: Summarizer = async () => 'word '.repeat(5000);
    const m = await fill(4, { windowTurns: 2, summaryMaxTokens: 50 }, verbose);
    expect(countTokens(m.summary)).toBeLessThanOrEqual(50);
    expect(m.summary.length).toBeGreaterThan(0);
  });

  it('shortens huge messages before storing them', async () => {
    const m = await appendTurn(emptyMemory(), user(0, 'x'.repeat(20_000)), { maxTurnChars: 100 });
    expect(m.turns[0].text).toHaveLength(101);
  });
});

describe('renderMemory', () => {
  it('renders summary first, then turns oldest-first, as messages and text', async () => {
    const m: ConversationMemory = {
      summary: 'User asked about order 42.',
      summarizedTurns: 2,
      turns: [user(3, 'Is it shipped?'), bot(4, 'Yes.')],
    };
    const r = renderMemory(m, 1000);
    expect(r.messages).toEqual([
      { role: 'system', content: `${SUMMARY_PREFIX}User asked about order 42.` },
      { role: 'user', content: 'Is it shipped?' },
      { role: 'assistant', content: 'Yes.' },
    ]);
    expect(r.text).toBe(`${SUMMARY_PREFIX}User asked about order 42.\nUser: Is it shipped?\nAssistant: Yes.`);
  });

  it('stays within the token budget, dropping the oldest turns first and keeping the tail contiguous', async () => {
    const m = await fill(10);
    for (const budget of [0, 10, 25, 40, 60, 100]) {
      const r = renderMemory(m, budget);
      const counted = r.messages.reduce((s, msg) => s + countTokens(msg.content) + 4, 0);
      expect(counted).toBe(r.tokens);
      expect(r.tokens).toBeLessThanOrEqual(budget);
      const texts = r.messages.map((x) => x.content);
      const tail = m.turns.slice(m.turns.length - texts.length).map((t) => t.text);
      expect(texts).toEqual(tail);
    }
    expect(renderMemory(m, 10_000).messages).toHaveLength(10);
  });

  it('gives the summary at most half of the budget so recent turns are never crowded out', () => {
    const m: ConversationMemory = {
      summary: 'detail '.repeat(500),
      summarizedTurns: 20,
      turns: [user(1, 'latest question')],
    };
    const r = renderMemory(m, 100);
    expect(countTokens(r.messages[0].content) + 4).toBeLessThanOrEqual(50);
    expect(r.messages.at(-1)).toEqual({ role: 'user', content: 'latest question' });
  });

  it('shortens the newest message when it alone exceeds the budget', () => {
    const m: ConversationMemory = { summary: '', summarizedTurns: 0, turns: [user(1, 'long '.repeat(400))] };
    const r = renderMemory(m, 30);
    expect(r.messages).toHaveLength(1);
    expect(r.tokens).toBeLessThanOrEqual(30);
    expect(r.messages[0].content.endsWith('…')).toBe(true);
  });

  it('rejects a negative budget', () => {
    expect(() => renderMemory(emptyMemory(), -1)).toThrow(RangeError);
  });
});

describe('reset and stored-shape tolerance', () => {
  it('reset empties the memory', async () => {
    const m = await fill(12);
    expect(m.summary).not.toBe('');
  });

  it('normalizes missing or malformed stored memory instead of crashing', () => {
    expect(normalizeMemory(undefined)).toEqual(emptyMemory());
    expect(normalizeMemory({ turns: [{ role: 'hacker', text: 1 }, user(1)], summary: 7 })).toEqual({
      turns: [user(1)],
      summary: '',
      summarizedTurns: 0,
    });
  });

  it('round-trips through JSON (it lives in conversation state)', async () => {
    const m = await fill(13);
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });
});
