import { describe, expect, it } from 'vitest';
import { WordVocabulary } from '../../src/knowledge/spelling';

describe('reading misspelt words as words of the text', () => {
  const words = new WordVocabulary();
  words.add('You may take up to ten sick days. Send the form home or to the office. Tags must be attached.');

  it('reads a short word with a letter dropped inside or at the end as the longer word', () => {
    expect(words.correct('sck')).toBe('sick');
    expect(words.correct('hom')).toBe('home');
    expect(words.correct('offce')).toBe('office');
  });

  it('leaves a short word alone when the letter would go first, only make it plural, or change it', () => {
    // "end" is not "send", "tag" not "tags", "tan" not "ten", "at" is too short.
    expect(words.correct('end')).toBeUndefined();
    expect(words.correct('tag')).toBeUndefined();
    expect(words.correct('tan')).toBeUndefined();
    expect(words.correct('ay')).toBeUndefined();
  });
});
