import { describe, expect, it } from 'vitest';
import { stem, tokenizeWords } from '../../src/text/words';
import { normaliseText, wordTokens } from '../../src/nlu/text';
import { analyze } from '../../src/knowledge/textAnalysis';

describe('the one tokeniser and stemmer', () => {
  it('splits words keeping inner apostrophes and dots, and Chinese into dictionary words', () => {
    expect(tokenizeWords("Don't return item 1.5, e.g. shoes!")).toEqual([
      "Don't",
      'return',
      'item',
      '1.5',
      'e.g',
      'shoes',
    ]);
    expect(tokenizeWords('退货政策', { bigrams: false })).toEqual(['退货', '政策']);
  });

  it('stems with Porter2, the same for the intent model and knowledge search', () => {
    expect(stem('returns')).toBe('return');
    expect(stem('generously')).toBe('generous');
    expect(analyze('Returning the parcels')).toEqual([stem('returning'), stem('parcels')]);
    expect(wordTokens(normaliseText('Returning 2 parcels?'))).toEqual([
      stem('returning'),
      '<num>',
      stem('parcels'),
      '?',
    ]);
  });
});

describe('Chinese device nouns', () => {
  it('keeps 显示器 and 打印机 whole instead of 显示 + 器 and 打印 + 机', () => {
    const words = tokenizeWords('我的显示器坏了', { bigrams: false });
    expect(words).toContain('显示器');
    expect(words).not.toContain('显示');
    expect(tokenizeWords('打印机卡纸', { bigrams: false })).toContain('打印机');
    // A word without such a suffix is left as the dictionary has it.
    expect(tokenizeWords('追踪信息才会显示', { bigrams: false })).toContain('显示');
  });
});
