import { describe, expect, it } from 'vitest';
import {
  chineseConceptsOf,
  conceptsOf,
  expandQuery,
  isItDepartmentText,
  namesItDepartment,
  QUALIFIERS,
  spellOutDepartments,
} from '../../src/knowledge/queryExpansion';
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

  it('reads everyday words for documented terms (helpdesk, app, uptime) without stop-word phrases matching everything', () => {
    expect(expandQuery('is the helpdesk open today?')).toMatch(/service desk/);
    expect(expandQuery('which app do I install?')).toMatch(/software/);
    expect(expandQuery('what uptime do we promise?')).toMatch(/monthly availability/);
    // "available" is not uptime: only the phrase "monthly availability" is.
    expect(groupsNamed('when is the desk available').flat()).not.toContain('uptim');
    // No phrase of the list is a stop word plus "support" ("it support" would be "support" alone).
    expect(groupsNamed('customer support email').flat()).not.toContain('helpdesk');
  });

  it('reads everyday words for repairs, accidents, refunds appearing and what a warranty covers', () => {
    expect(expandQuery('can the zip be fixed?')).toMatch(/repair/);
    expect(expandQuery('the phone fell off the table')).toMatch(/accident/);
    expect(expandQuery('when does the money show up')).toMatch(/appear/);
    expect(expandQuery('is a torn strap covered?')).toMatch(/warranty/);
    expect(expandQuery('how do I pick a new password')).toMatch(/reset password/);
    expect(expandQuery('can the people in the store order it for me')).toMatch(/store staff/);
    expect(expandQuery('will it take longer')).toMatch(/extra days/);
    expect(expandQuery('the tags are off, can the dress go back?')).toMatch(/tags attached/);
    expect(expandQuery('can the dress go back?')).toMatch(/send back/);
  });
});

describe('spellOutDepartments', () => {
  it('"IT" in capitals is the IT service desk; the pronoun and a shouted message are left alone', () => {
    expect(spellOutDepartments('who do I call after hours for IT?')).toBe(
      'who do I call after hours for IT service desk?',
    );
    expect(spellOutDepartments('is it open on sunday')).toBe('is it open on sunday');
    expect(spellOutDepartments('WHERE IS IT')).toBe('WHERE IS IT');
    expect(spellOutDepartments('the ITEM is broken')).toBe('the ITEM is broken');
  });
});

describe('the IT department and the cases a rule is narrowed to', () => {
  it('tells a question naming IT and a text of the IT department from the pronoun and other texts', () => {
    expect(namesItDepartment('can IT unlock my account?')).toBe(true);
    expect(namesItDepartment('is the service desk open on weekends?')).toBe(true);
    expect(namesItDepartment('can it be unlocked?')).toBe(false);
    expect(namesItDepartment('CAN IT BE UNLOCKED')).toBe(false);
    expect(isItDepartmentText('IT handbook')).toBe(true);
    expect(isItDepartmentText('Call the help desk on 4357.')).toBe(true);
    expect(isItDepartmentText('Our shops are open until it gets dark.')).toBe(false);
  });

  it('finds a qualifier group by its words as written, not by their stems', () => {
    const abroad = QUALIFIERS[0]!;
    expect(abroad.pattern.test('Parcels sent abroad take longer.')).toBe(true);
    expect(abroad.pattern.test('Orders to the United Kingdom')).toBe(true);
    expect(abroad.pattern.test('Internal systems need the VPN.')).toBe(false);
    expect(abroad.phrases.map((p) => p.join(' '))).toContain('germani');
  });
});

describe('Chinese words of the synonym list', () => {
  it('searches a Chinese question with the English words of its group too', () => {
    expect(expandQuery('这个东西质保几年')).toMatch(/warranty/);
    expect(expandQuery('寄到海外要几天')).toMatch(/international/);
  });

  it('finds a Chinese phrase inside a longer word, longest first, and keeps the other words', () => {
    const concepts = chineseConceptsOf('保修期内不小心摔坏', ['保修期', '小心', '摔坏']);
    const groups = concepts.map((c) => c.alternatives.map((a) => a.join(' ')));
    expect(groups[0]).toContain('warranti');
    expect(groups[1]).toEqual(['小心']);
    expect(groups[2]).toContain('accid');
    expect(concepts).toHaveLength(3);
    expect(chineseConceptsOf('发票抬头', ['发票', '抬头']).map((c) => c.own)).toEqual([['发票'], ['抬头']]);
  });

  it('leaves English questions as they were', () => {
    expect(expandQuery('how long is the warranty')).not.toMatch(/\p{Script=Han}/u);
  });
});

describe('English words inside a Chinese question', () => {
  it('keep the synonyms of their group', () => {
    expect(expandQuery('家里的wifi老掉线')).toMatch(/wireless/);
    const groups = chineseConceptsOf('wifi老掉线', ['wifi', '掉线']).map((c) => c.alternatives.length);
    expect(groups.some((n) => n > 1)).toBe(true);
  });
});
