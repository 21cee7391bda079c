import { describe, expect, it } from 'vitest';
import { createExtractiveSummarizer, type MemoryTurn } from '../../src/memory';
import { countTokens } from '../../src/text/tokens';

const t = (role: MemoryTurn['role'], text: string): MemoryTurn => ({
  role,
  text,
  at: '2025-01-01T00:00:00Z',
});

describe('extractive summarizer', () => {
  it('keeps the informative sentences (ids, topic words) and drops small talk', async () => {
    const summarize = createExtractiveSummarizer({ maxTokens: 40 });
    const summary = await summarize('', [
      t('user', 'Hi there! Thanks.'),
      t('user', 'My order ORD-12345 has not arrived. The order was placed last week.'),
      t('assistant', 'I checked order ORD-12345: it is delayed at the depot. The weather is nice today.'),
      t('user', 'Ok.'),
    ]);
    expect(summary).toContain('ORD-12345');
    expect(summary).not.toMatch(/Hi there/);
    expect(summary).not.toMatch(/^Ok\.$/m);
    expect(countTokens(summary)).toBeLessThanOrEqual(40);
  });

  it('keeps sentence order and role labels', async () => {
    const summary = await createExtractiveSummarizer({ maxTokens: 200 })('', [
      t('user', 'I need a refund for invoice INV-2024-001.'),
      t('assistant', 'The refund for invoice INV-2024-001 was approved.'),
    ]);
    expect(summary.split('\n')).toEqual([
      'User: I need a refund for invoice INV-2024-001.',
      'Assistant: The refund for invoice INV-2024-001 was approved.',
    ]);
  });

  it('carries the previous summary forward and respects the cap as it grows', async () => {
    const summarize = createExtractiveSummarizer({ maxTokens: 60 });
    let summary = '';
    for (let i = 0; i < 30; i++) {
      summary = await summarize(summary, [
        t('user', `Question ${i} is about ticket TCK-${1000 + i} and the VPN client.`),
      ]);
      expect(countTokens(summary)).toBeLessThanOrEqual(60);
    }
    expect(summary).toContain('TCK-1029'); // the newest fact survives
    expect(summary.split('\n').length).toBeGreaterThan(1);
  });

  it('returns the previous summary when nothing new is worth keeping', async () => {
    expect(await createExtractiveSummarizer()('User: earlier fact.', [t('user', 'ok')])).toBe(
      'User: earlier fact.',
    );
  });
});
