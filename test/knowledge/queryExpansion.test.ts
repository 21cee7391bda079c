import { describe, expect, it } from 'vitest';
import { conceptsOf, expandQuery } from '../../src/knowledge/queryExpansion';
import { analyze } from '../../src/knowledge/textAnalysis';

const groupsNamed = (question: string) =>
  conceptsOf(analyze(question))
    .filter((c) => c.alternatives.length > 1)
    .map((c) => c.alternatives.map((a) => a.join(' ')));

describe('query expansion from the synonym list', () => {
  it('does not read "customer" as customs (both stem to "custom")', () => {
    expect(expandQuery('what is the phone number for customer service')).not.toMatch(/duties|import/);
    expect(groupsNamed('customer service email').flat()).not.toContain('duti');
  });

  it('still expands customs when the question is about customs', () => {
    expect(expandQuery('do I pay customs on orders to Canada?')).toMatch(/import duties/);
    expect(expandQuery('are customs fees included?')).toMatch(/import tax/);
  });

  it('does not read the verb "pay" as salary', () => {
    expect(expandQuery('Do I pay for the return label?')).not.toMatch(/salary|wage/);
    expect(expandQuery('can I pay by card?')).not.toMatch(/salary|wage/);
  });

  it('still expands a question about pay day or payslips to salary', () => {
    expect(expandQuery('when is payday?')).toMatch(/salary/);
    expect(expandQuery('where do I find my pay slip')).toMatch(/salary/);
  });
});
