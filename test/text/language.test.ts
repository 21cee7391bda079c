import { describe, expect, it } from 'vitest';
import { showsLanguage, turnLanguage } from '../../src/text/language';

describe('a message that shows no language', () => {
  it('has no letters besides order and ticket ids', () => {
    for (const text of ['ORD-10421', ' tkt-000123 ', '10421', '👍'])
      expect(showsLanguage(text), text).toBe(false);
    for (const text of ['ORD-10421 please', '订单ORD-10421', 'yes'])
      expect(showsLanguage(text), text).toBe(true);
    // Called twice in a row: no state kept between calls.
    expect(showsLanguage('好的')).toBe(true);
    expect(showsLanguage('好的')).toBe(true);
  });

  it('turnLanguage still follows the locale for it (the embedded model keeps the conversation language)', () => {
    expect(turnLanguage('ORD-10421', 'zh-CN')).toBe('zh-CN');
    expect(turnLanguage('ORD-10421', 'en-US')).toBe('en');
  });
});
